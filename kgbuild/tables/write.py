"""Writing the event table: spreadsheet-safe CSV and TSV lines, Parquet files (pyarrow),
GeoJSON (`kgbuild.tables.geojson`), to a file atomically or to stdout; the columns and
rows come from `kgbuild.tables.rows`."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

from ..atomic import atomic_write, open_output
from ..dataframes import day, require
from ..errors import OutputError
from ..graph.build import decimal_text
from ..model import Event
from ..stores import open_store
from ..tabular import csv_line, visible_controls
from .dates import DateRange
from .geojson import feature_collection, geojson_text
from .rows import TABLE_FORMATS, Column, check_rows, columns, event_row, graph_rows


class DocumentURLs(Protocol):
    """Document id -> URL (a dict, or a lookup as the events come)."""

    def get(self, doc_id: str, /) -> str | None: ...


def cell_text(value: object) -> str | None:
    """A row value as CSV text: booleans true/false, decimals in one form (`decimal_text`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return decimal_text(value)
    return None if value is None else str(value)


def table_lines(rows: Iterable[dict], cols: list[Column], fmt: str = "csv") -> Iterator[str]:
    """The header and one line per row, as CSV or TSV, every cell safe to open in a
    spreadsheet (`kgbuild.tabular.csv_line`)."""
    delimiter = "\t" if fmt == "tsv" else ","
    yield csv_line([c.name for c in cols], delimiter)
    for row in rows:
        yield csv_line([cell_text(row.get(c.name)) for c in cols], delimiter)


def event_table_lines(events: Iterable[Event | dict], fmt: str = "csv",
                      urls: DocumentURLs | None = None) -> Iterator[str]:
    """The report table of extracted events as CSV/TSV lines, header first, one line per
    event as it comes (streamed); `urls` maps document ids to URLs (read when each row is
    made, so it may be filled while the events are extracted)."""
    urls = {} if urls is None else urls

    def rows() -> Iterator[dict]:
        for event in events:
            event = Event.from_dict(event) if isinstance(event, dict) else event
            yield event_row(event, urls.get(event.doc))

    return table_lines(rows(), columns("mentions"), fmt)


def write_table(source, output: str | Path, fmt: str = "csv", rows: str = "events",
                min_confidence: float = 0.0, dates: DateRange | None = None) -> int:
    """Write the event table of `source` (Graph, GraphStore, or a graph file or store path)
    to `output` atomically ('-': stdout, not Parquet); returns the number of rows written
    (GeoJSON: of Features, the rows with coordinates). Events whose most confident report
    is below `min_confidence` are left out, and with `dates` those not dated wholly inside
    (`kgbuild.tables.dates.date_range`).

    Raises:
        OutputError: unknown format or rows, Parquet to stdout, or the file cannot be written.
        MissingExtraError: Parquet without pyarrow (`pip install 'kgbuild[parquet]'`).
    """
    if fmt not in TABLE_FORMATS:
        raise OutputError(f"unknown table format '{fmt}'; choose one of {', '.join(TABLE_FORMATS)}")
    check_rows(rows)
    if fmt == "parquet":
        require("pyarrow", "parquet", "Parquet output")
        if str(output) == "-":
            raise OutputError("Parquet is binary and is not written to stdout; give -o FILE.parquet")
    if isinstance(source, (str, Path)):
        with open_store(source) as opened:
            data = graph_rows(opened, rows, min_confidence, dates)
    else:
        data = graph_rows(source, rows, min_confidence, dates)
    cols = columns(rows)
    if fmt == "parquet":
        write_parquet(data, cols, output)
    elif fmt == "geojson":
        collection = feature_collection(data, rows)
        with open_output(output) as fh:
            fh.write(geojson_text(collection))
        return len(collection["features"])
    else:
        with open_output(output) as fh:
            for line in table_lines(data, cols, fmt):  # write(): errors name the file
                fh.write(line)
    return len(data)


def write_parquet(rows: list[dict[str, Any]], cols: list[Column], path: str | Path) -> None:
    """Write table rows to a Parquet file atomically, typed by column kind (string, int64,
    float64, bool, date32); control characters in strings shown as in CSV
    (`kgbuild.tabular.visible_controls`).

    Raises:
        MissingExtraError: pyarrow is not installed (`pip install 'kgbuild[parquet]'`).
        OutputError: the file cannot be written.
    """
    pa = require("pyarrow", "parquet", "Parquet output")
    pq = require("pyarrow.parquet", "parquet", "Parquet output")
    types = {"text": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(),
             "date": pa.date32()}
    arrays = []
    for c in cols:
        values = [r.get(c.name) for r in rows]
        if c.kind == "date":
            values = [day(v) for v in values]
        elif c.kind == "text":  # as in CSV and TSV: no raw NUL or ESC (kgbuild.tabular)
            values = [None if v is None else visible_controls(str(v)) for v in values]
        arrays.append(pa.array(values, type=types[c.kind]))
    table = pa.Table.from_arrays(arrays, names=[c.name for c in cols])
    with atomic_write(path, "wb") as fh:
        pq.write_table(table, fh)
