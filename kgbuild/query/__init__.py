"""SPARQL over a graph, a store or a remote endpoint: SPARQL text checked (`sparql`), saved
queries (`saved/*.rq`) and their parameters (`params`), the one checking path every query
takes (`prepare`), running them (`run`; on an Oxigraph store: `store`), and the answers
with paging and their text forms (`result`)."""
from __future__ import annotations

from .prepare import PreparedQuery, bound_text, prepare_query, query_kind
from .result import QueryResult, check_page, format_result, page
from .run import graph_stats, ontology_graph, run_query, with_inference
from .sparql import (
    SERVICE_REFUSED,
    UPDATE_REFUSED,
    bind_term,
    bounded,
    check_query,
    describe_saved,
    kgbuild_prefixes,
    resolve_query,
    saved_queries,
    with_prefixes,
)

__all__ = ["QueryResult", "check_page", "format_result", "page", "graph_stats", "ontology_graph",
           "run_query", "with_inference", "SERVICE_REFUSED", "UPDATE_REFUSED", "bind_term",
           "bounded", "check_query", "describe_saved", "kgbuild_prefixes", "resolve_query",
           "saved_queries", "with_prefixes", "PreparedQuery", "bound_text", "prepare_query",
           "query_kind"]
