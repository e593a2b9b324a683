"""SPARQL over a graph or a store: `run_query` with saved queries, safe parameters,
inference, limits and paging; `graph_stats`."""
from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING, cast

from rdflib import OWL, RDF, RDFS, Graph

from ..errors import QueryError
from ..graph.namespace import KG, bind_prefixes
from .prepare import bound_text, prepare_query
from .result import QueryResult, page
from .sparql import bounded, has_part
from .store import indexed_query, store_query_result
from .timeline import has_index as has_timeline
from .timeline import page_of_timeline

if TYPE_CHECKING:
    from ..stores.oxigraph import GraphStore

#: The answer to GRAPH in a query over a file that holds one graph (no named graphs).
GRAPH_ON_FILE = ("the query failed: GRAPH needs named graphs, and a graph file is read as one "
                 "graph; query a store (kgbuild build --store) or leave GRAPH out")


def ontology_graph() -> Graph:
    """The kgbuild ontology and the CAMEO/PLOVER event-type schemes as one graph."""
    g = Graph()
    folder = resources.files("kgbuild.ontology")
    for name in ("kgbuild.ttl", "event-types.ttl"):
        g.parse(data=folder.joinpath(name).read_text("utf-8"), format="turtle")
    return g

def with_inference(graph: Graph) -> Graph:
    """A copy of `graph` plus the ontology, closed under RDFS entailment (owlrl), so that
    `?e a sem:Event`, `?x sem:hasActor ?a` or `?e schema:agent ?a` find kgbuild's events.

    The ontology ties `kg:actor` to `schema:agent` by `owl:equivalentProperty`, which RDFS
    does not read; each equivalence is given to it as the two sub-property (sub-class)
    statements it means (OWL 2 Direct Semantics)."""
    import owlrl

    closed = Graph()
    bind_prefixes(closed)
    for triple in graph:
        closed.add(triple)
    for triple in ontology_graph():
        closed.add(triple)
    for equivalent, sub in ((OWL.equivalentProperty, RDFS.subPropertyOf),
                            (OWL.equivalentClass, RDFS.subClassOf)):
        for a, b in list(closed.subject_objects(equivalent)):
            closed.add((a, sub, b))
            closed.add((b, sub, a))
    owlrl.DeductiveClosure(owlrl.RDFS_Semantics, axiomatic_triples=False,
                           datatype_axioms=False).expand(closed)
    return closed

def run_query(graph: Graph | GraphStore, query: str, *, bindings: dict[str, object] | None = None,
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
        QueryParameterError: a parameter name that is no SPARQL variable name, or a saved
            query given a parameter it does not take, or not given one it needs
            (`kgbuild.query.params`).
        QueryError: syntax error (with line and column), update request, refused SERVICE,
            or an error while evaluating.
        QueryTimeoutError: the query ran longer than `timeout`.
    """
    on_store = not isinstance(graph, Graph) and not infer  # a GraphStore: Oxigraph answers
    # a shipped text needs no check on a store (rdflib's parse: half a second)
    prepared = prepare_query(query, bindings=bindings, allow_service=allow_service,
                             timeout=timeout, limit=limit, offset=offset, parse=not on_store)
    init = prepared.init
    if on_store:
        if prepared.parsed is not None and getattr(graph, "one_graph", False) \
                and has_part(prepared.parsed.algebra, "Graph"):
            raise QueryError(GRAPH_ON_FILE)
        text = prepared.text if init else indexed_query(graph, query, prepared.text)  # `dyads` unbound: the index
        final = bound_text(prepared, text)
        store = cast("GraphStore", graph)
        if prepared.name == "timeline" and limit and has_timeline(store):  # a page: day by day

            def by_day() -> QueryResult:
                found = page_of_timeline(store, final, limit=limit, offset=offset)
                return found if found is not None else store_query_result(
                    store, final, limit=limit, offset=offset)

            return bounded(by_day, timeout)
        return bounded(lambda: store_query_result(store, final, limit=limit, offset=offset), timeout)

    parsed = prepared.parsed
    assert parsed is not None  # prepare_query parses what rdflib runs

    def evaluate() -> QueryResult:
        source = graph if isinstance(graph, Graph) else graph.to_graph()  # (a GraphStore with infer)
        source = with_inference(source) if infer else source
        try:
            result = source.query(parsed, initBindings=init)
            if result.type == "SELECT":
                rows, cut = page((list(row) for row in result), limit, offset)  # type: ignore[arg-type]
                return QueryResult("SELECT", [str(v) for v in result.vars or ()], rows, truncated=cut,
                                   offset=offset)
            if result.type == "ASK":
                return QueryResult("ASK", boolean=bool(result.askAnswer))
            out = bind_prefixes(Graph())
            for triple in result:
                out.add(triple)  # type: ignore[arg-type]  # (CONSTRUCT, DESCRIBE: triples)
        except Exception as err:  # noqa: BLE001 - evaluation errors are the user's query
            if "requiring a dataset" in str(err):
                raise QueryError(GRAPH_ON_FILE) from None
            raise QueryError(f"the query failed: {' '.join(str(err).split())[:300]}") from None
        return QueryResult(result.type, graph=out)

    return bounded(evaluate, timeout)

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
