"""Flat event tables for analysts: the GDELT-like columns and their rows from a graph,
a store or extracted events (`rows`), CSV/TSV/Parquet files (`write`), pandas (`frames`)."""
