"""A query's answer (`QueryResult`), paging, and its text forms: an aligned table, CSV,
SPARQL JSON results, Turtle."""
from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef

from ..dataframes import result_dataframe
from ..errors import QueryError
from ..formats import GRAPH, get
from ..tabular import csv_text, visible_controls

#: The largest limit or offset: a page's end, offset + limit + 1, still fits in a machine
#: integer (what itertools.islice takes).
MAX_ROWS = sys.maxsize // 2


@dataclass
class QueryResult:
    """A query's answer: `kind` is SELECT, ASK or CONSTRUCT/DESCRIBE."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[list[object]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    #: True when `limit` cut the rows: the query has more (ask again with a larger offset).
    truncated: bool = False
    #: The offset the rows start at (0 unless paged with `offset`).
    offset: int = 0

    def to_dataframe(self):
        """The SELECT rows as a pandas DataFrame, one column per variable, typed from the
        values' datatypes (`kgbuild.dataframes.result_dataframe`); needs pandas
        (`pip install 'kgbuild[pandas]'`)."""
        return result_dataframe(self)

def page(rows: Iterable, limit: int | None, offset: int = 0) -> tuple[list, bool]:
    """Rows `offset` to `offset + limit` of an iterable (all from `offset` when `limit` is
    None) and whether more followed. Reads at most one row past the page, so a lazily
    evaluated answer (Oxigraph's) stops there."""
    stop = None if limit is None else offset + limit + 1
    taken = list(itertools.islice(rows, offset, stop))
    if limit is not None and len(taken) > limit:
        return taken[:limit], True
    return taken, False

def check_page(limit: int | None, offset: int) -> None:
    """Raise `QueryError` unless `limit` (or None) and `offset` are from 0 to `MAX_ROWS`."""
    if any(n is not None and not 0 <= n <= MAX_ROWS for n in (limit, offset)):
        raise QueryError(f"limit and offset must be whole numbers from 0 to {MAX_ROWS}")

def _cell(value: object) -> str:
    return "" if value is None else visible_controls(str(value))

def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Render a result as an aligned `table`, `csv` (cells safe to open in a spreadsheet, see
    `kgbuild.tabular`), `json` (SPARQL JSON results) or, for CONSTRUCT, Turtle."""
    if result.kind == "ASK":
        return json.dumps({"head": {}, "boolean": result.boolean}) + "\n" if fmt == "json" else f"{str(result.boolean).lower()}\n"
    if result.graph is not None:
        return result.graph.serialize(format=get("jsonld" if fmt == "json" else "turtle", GRAPH).rdflib_name)
    if fmt == "csv":
        return csv_text(result.variables, result.rows)
    if fmt == "json":
        bindings = [{var: _json_term(v) for var, v in zip(result.variables, row) if v is not None}
                    for row in result.rows]
        return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False) + "\n"
    table = [result.variables] + [[_cell(v) for v in row] for row in result.rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(result.variables))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + f"\n({len(result.rows)} rows)\n"

def _json_term(value: object) -> dict:
    if isinstance(value, URIRef):
        return {"type": "uri", "value": str(value)}
    if isinstance(value, Literal):
        out = {"type": "literal", "value": str(value)}
        if value.datatype:
            out["datatype"] = str(value.datatype)
        if value.language:
            out["xml:lang"] = value.language
        return out
    return {"type": "bnode", "value": str(value)}
