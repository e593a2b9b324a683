"""SPARQL over a graph: ad-hoc and saved queries, safe parameters, result formatting."""
from __future__ import annotations

import functools
import itertools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources

from rdflib import RDF, Graph, Literal, URIRef

from .errors import QueryError, QueryTimeoutError
from .namespace import KG, bind_prefixes

UPDATE_REFUSED = "SPARQL updates are not allowed here; kgbuild query is read-only"
SERVICE_REFUSED = "SERVICE clauses are refused (they fetch remote URLs); use --allow-service"


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
        values' datatypes (`kgbuild.frames.result_dataframe`); needs pandas
        (`pip install 'kgbuild[pandas]'`)."""
        from .frames import result_dataframe

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


def _check_page(limit: int | None, offset: int) -> None:
    if (limit is not None and limit < 0) or offset < 0:
        raise QueryError("limit and offset must be 0 or more")


def saved_queries() -> dict[str, str]:
    """Name -> text of the queries shipped in `kgbuild/queries/*.rq`."""
    return dict(_saved())


@functools.lru_cache(maxsize=1)
def _saved() -> dict[str, str]:
    """The saved queries, read once per process (not on every query)."""
    folder = resources.files("kgbuild").joinpath("queries")
    return {p.name[:-3]: p.read_text("utf-8") for p in sorted(folder.iterdir(), key=lambda p: p.name)
            if p.name.endswith(".rq")}


def describe_saved(text: str) -> str:
    """The first comment line of a saved query (what it answers)."""
    for line in text.splitlines():
        if line.startswith("#"):
            return line.lstrip("# ").strip()
    return ""


def resolve_query(query: str) -> str:
    """A saved query's text when `query` is one of their names, else `query` itself."""
    saved = _saved()
    if query in saved:
        return saved[query]
    if re.fullmatch(r"[\w-]+", query.strip()):
        raise QueryError(f"no saved query named '{query}'; see `kgbuild query --list`")
    return query


def _prefixes(graph: Graph) -> dict:
    bind_prefixes(graph)
    return {p: n for p, n in graph.namespaces() if p}


def ontology_graph() -> Graph:
    """The kgbuild ontology and the CAMEO/PLOVER event-type schemes as one graph."""
    g = Graph()
    folder = resources.files("kgbuild.ontology")
    for name in ("kgbuild.ttl", "event-types.ttl"):
        g.parse(data=folder.joinpath(name).read_text("utf-8"), format="turtle")
    return g


def with_inference(graph: Graph) -> Graph:
    """A copy of `graph` plus the ontology, closed under RDFS entailment (owlrl), so that
    `?e a sem:Event` or `?x sem:hasActor ?a` find kgbuild's events."""
    import owlrl

    closed = Graph()
    bind_prefixes(closed)
    for triple in graph:
        closed.add(triple)
    for triple in ontology_graph():
        closed.add(triple)
    owlrl.DeductiveClosure(owlrl.RDFS_Semantics, axiomatic_triples=False,
                           datatype_axioms=False).expand(closed)
    return closed


def run_query(graph: Graph, query: str, *, bindings: dict[str, object] | None = None,
              allow_service: bool = False, infer: bool = False,
              timeout: float | None = None, limit: int | None = None,
              offset: int = 0) -> QueryResult:
    """Run a SPARQL SELECT / ASK / CONSTRUCT / DESCRIBE query (never an update).

    Args:
        graph: the graph to query.
        query: SPARQL text or the name of a saved query.
        bindings: values for variables, bound by the engine (never pasted into the text);
            strings that look like IRIs become IRIs, others plain literals.
        allow_service: allow `SERVICE` clauses, which make the engine fetch remote URLs.
        infer: query the RDFS closure of the graph and the ontology (see `with_inference`).
        timeout: stop after this many seconds (None or 0: no limit). The query runs in a
            helper thread while the calling thread waits, so Ctrl-C (KeyboardInterrupt)
            stops the wait at once, on stores too. An rdflib evaluation is stopped; an
            Oxigraph (store) evaluation cannot be, and keeps a core busy until it ends or
            the process exits — the CLI exits.
        limit: return at most this many SELECT rows (None: all); `QueryResult.truncated`
            says whether more followed. Rows come in the query's ORDER BY, and for the
            same graph and query in the same order every time, so `offset` pages through
            them: pages of `limit` rows at offsets 0, limit, 2*limit ... together are the
            unpaged answer.
        offset: skip this many SELECT rows first.

    Raises:
        QueryParameterError: a saved query given a parameter it does not take, or not
            given one it needs (`kgbuild.saved`).
        QueryError: syntax error (with line and column), update request, refused SERVICE,
            or an error while evaluating.
        QueryTimeoutError: the query ran longer than `timeout`.
    """
    from .saved import bind_placeholders, check_bindings

    _check_page(limit, offset)
    text = resolve_query(query)
    if query in _saved():
        check_bindings(query, text, bindings or {})
    prepared = check_query(text, allow_service=allow_service)  # parsed once per text
    init = {k: _term(v) for k, v in (bindings or {}).items()}
    if not isinstance(graph, Graph) and not infer:  # a kgbuild.store.GraphStore: Oxigraph answers
        from .store import bind_values, store_query_result

        # Values for `VALUES ?name { UNDEF }` placeholders go in as escaped terms (no new
        # parse needed); any others become a VALUES block, and that text is checked again.
        bound, rest = bind_placeholders(text, init)
        if rest:
            check_query(bind_values(bound, rest), allow_service=allow_service)  # what Oxigraph runs
        return bounded(lambda: store_query_result(graph, bound, rest, limit=limit, offset=offset),
                       timeout)

    def evaluate() -> QueryResult:
        source = graph if isinstance(graph, Graph) else graph.to_graph()
        source = with_inference(source) if infer else source
        try:
            result = source.query(prepared, initBindings=init)
            if result.type == "SELECT":
                rows, cut = page((list(row) for row in result), limit, offset)
                return QueryResult("SELECT", [str(v) for v in result.vars], rows, truncated=cut,
                                   offset=offset)
            if result.type == "ASK":
                return QueryResult("ASK", boolean=bool(result.askAnswer))
            out = bind_prefixes(Graph())
            for triple in result:
                out.add(triple)
        except Exception as err:  # noqa: BLE001 - evaluation errors are the user's query
            if "requiring a dataset" in str(err):
                raise QueryError("the query failed: GRAPH needs named graphs, and a graph file "
                                 "is read as one graph; query a store (kgbuild build --store) "
                                 "or leave GRAPH out") from None
            raise QueryError(f"the query failed: {' '.join(str(err).split())[:300]}") from None
        return QueryResult(result.type, graph=out)

    return bounded(evaluate, timeout)


class _Stopped(BaseException):
    """Raised inside an abandoned query thread to end its Python work."""


def bounded(work, timeout: float | None):
    """`work()` run in a helper thread, waited for at most `timeout` seconds (None or 0:
    no limit) in a way that Ctrl-C interrupts; its result or its exception.

    Raises:
        QueryTimeoutError: the time ran out (the thread is told to stop, see `run_query`).
        KeyboardInterrupt: Ctrl-C while waiting (likewise).
    """
    import threading
    import time

    box: dict = {}

    def target() -> None:
        try:
            box["value"] = work()
        except BaseException as err:  # noqa: BLE001 - handed to the waiting thread
            box["error"] = err

    thread = threading.Thread(target=target, name="kgbuild-query", daemon=True)
    thread.start()
    end = time.monotonic() + timeout if timeout else None
    try:
        while thread.is_alive():
            left = None if end is None else end - time.monotonic()
            if left is not None and left <= 0:
                raise QueryTimeoutError(
                    f"the query did not finish within {timeout:g} s and was stopped; add a LIMIT, "
                    "make its patterns more specific, or allow more time (--timeout SECONDS, 0 "
                    "for no limit)")
            thread.join(0.25 if left is None else min(left, 0.25))
    except BaseException:
        _stop(thread)
        raise
    if "error" in box:
        raise box["error"]
    return box["value"]


def _stop(thread) -> None:
    """Raise `_Stopped` in `thread` at its next Python instruction (CPython's
    PyThreadState_SetAsyncExc; native code such as Oxigraph's runs on until it returns)."""
    import ctypes

    if thread.ident is not None and thread.is_alive():
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident),
                                                   ctypes.py_object(_Stopped))


def check_query(text: str, *, allow_service: bool = False):
    """Parse SPARQL query text and refuse what kgbuild never runs; returns the prepared query.

    The decision is taken on the parsed query (after the parser has expanded `\\u` escapes
    and dropped comments), never on the raw text: an update is text that does not parse as
    a query but does parse as an update; a SERVICE clause is a `ServiceGraphPattern`
    anywhere in the parse tree or the algebra (OPTIONAL, EXISTS, subqueries included).
    Shared by local (`run_query`), store and remote (`kgbuild.remote.remote_query`) queries.

    Raises:
        QueryError: an update request, a syntax error (with line and column), or a
            `SERVICE` clause without `allow_service`.
    """
    return _checked(text, allow_service)


@functools.lru_cache(maxsize=256)
def _checked(text: str, allow_service: bool):
    """`check_query`, parsed once per text (the prepared query is reused; rdflib does not
    change it while evaluating); errors are not cached."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        tree = parseQuery(text)
    except Exception as err:  # pyparsing.ParseException and friends
        try:
            update = parseUpdate(text)
        except Exception:  # noqa: BLE001 - neither a query nor an update: report the query error
            update = None
        if update is not None and "request" in update:
            raise QueryError(UPDATE_REFUSED) from None
        raise QueryError(_syntax_message(err)) from None
    try:
        namespaces = _prefixes(Graph())
        prepared = translateQuery(tree, None, namespaces)
        prepared._original_args = (text, namespaces, None)  # as prepareQuery leaves it
    except Exception as err:  # noqa: BLE001 - unknown prefixes, bad aggregates ...
        raise QueryError(_syntax_message(err)) from None
    if not allow_service and (_has_part(tree, "ServiceGraphPattern")
                              or _has_part(prepared.algebra, "ServiceGraphPattern")):
        raise QueryError(SERVICE_REFUSED)
    return prepared


def _has_part(tree: object, name: str) -> bool:
    """True when a parse tree or algebra (nested CompValues, lists, dicts) holds a node `name`."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack, seen = [tree], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, CompValue):
            if node.name == name:
                return True
            stack.extend(dict.values(node))
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, set, frozenset, ParseResults)):
            stack.extend(node)
    return False


@functools.lru_cache(maxsize=1)
def kgbuild_prefixes() -> dict[str, str]:
    """Prefix -> namespace of kgbuild's usual prefixes (`kgbuild.namespace.bind_prefixes`)."""
    return {p: str(n) for p, n in _prefixes(Graph()).items()}


def _with_prefixes(text: str) -> str:
    """Declare kgbuild's usual prefixes for engines without rdflib's initNs."""
    declared = {m.lower() for m in re.findall(r"PREFIX\s+([\w-]*):", text, re.I)}
    head = "".join(f"PREFIX {p}: <{n}>\n" for p, n in kgbuild_prefixes().items()
                   if p.lower() not in declared)
    return head + text


def _term(value: object):
    if isinstance(value, (URIRef, Literal)):
        return value
    if isinstance(value, str) and re.match(r"^[a-z][a-z0-9+.-]*://", value):
        bad = _NOT_IN_IRI.search(value)
        if bad:
            shown = value if len(value) <= 60 else value[:60] + "…"
            raise QueryError(f"cannot bind {shown!r}: it starts like an IRI but contains "
                             f"{bad.group()!r}, which an IRI cannot; percent-encode it")
        return URIRef(value)
    return Literal(value)


#: Characters an IRI (SPARQL IRIREF) cannot contain.
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _syntax_message(err: Exception) -> str:
    line, col = getattr(err, "lineno", None), getattr(err, "col", None)
    msg = getattr(err, "msg", None) or str(err).splitlines()[0]
    where = f" at line {line}, column {col}" if line is not None else ""
    return f"SPARQL syntax error{where}: {msg}"


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Render a result as an aligned `table`, `csv` (cells safe to open in a spreadsheet, see
    `kgbuild.tabular`), `json` (SPARQL JSON results) or, for CONSTRUCT, Turtle."""
    if result.kind == "ASK":
        return json.dumps({"head": {}, "boolean": result.boolean}) + "\n" if fmt == "json" else f"{str(result.boolean).lower()}\n"
    if result.graph is not None:
        return result.graph.serialize(format="json-ld" if fmt == "json" else "turtle")
    if fmt == "csv":
        from .tabular import csv_text

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


def graph_stats(graph: Graph) -> dict[str, object]:
    """Counts of events, mentions, actors, documents and events per CAMEO root."""
    by_root: dict[str, int] = {}
    for ev in graph.subjects(RDF.type, KG.Event):
        etype = graph.value(ev, KG.eventType)
        root = str(graph.value(etype, KG.cameoRoot)) if etype is not None else "unknown"
        by_root[root] = by_root.get(root, 0) + 1
    return {
        "triples": len(graph),
        "events": sum(1 for _ in graph.subjects(RDF.type, KG.Event)),
        "mentions": sum(1 for _ in graph.subjects(RDF.type, KG.Mention)),
        "actors": sum(1 for _ in graph.subjects(RDF.type, KG.Actor)),
        "documents": sum(1 for _ in graph.subjects(RDF.type, KG.Document)),
        "event_types": dict(sorted(by_root.items())),
    }
