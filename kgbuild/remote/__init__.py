"""Remote triplestores over HTTP: push a graph, query an endpoint (standard library only).

Pushing keeps the layout of `kgbuild.stores.files.to_dataset` and the store: each document's
triples in the named graph `kgr:graph/<doc>`, merged events, actors and event types in the
default graph. Two protocols:

- ``gsp`` (SPARQL 1.1 Graph Store HTTP Protocol): PUT each document graph as N-Triples to
  ``URL?graph=<iri>`` (so pushing a document again replaces it) and POST the default
  graph to ``URL?default`` (merged with what the server holds).
- ``update`` (SPARQL 1.1 Update): ``DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> {…} }``
  per document, then the default graph, in requests of at most `CHUNK_TRIPLES` triples;
  the stale mention counts and report dates of the events pushed are deleted first.

Credentials never come from the command line or the URL: `KGBUILD_ENDPOINT_TOKEN` (a
bearer token), else `KGBUILD_ENDPOINT_USER` / `KGBUILD_ENDPOINT_PASSWORD` (Basic), else
the ~/.netrc entry of the endpoint's host. They are checked before anything is sent, go
only to the server given (never along a redirect to another one) and never appear in
messages. The HTTP rules — redirects, time limits, credentials — are in
`kgbuild.remote.transport` and `kgbuild.remote.credentials`.
"""
from __future__ import annotations

import functools
import io
import logging
import urllib.parse
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rdflib import XSD, Graph, Literal, URIRef
from rdflib.query import Result

from ..errors import EndpointConnectionError, EndpointError, EndpointHTTPError
from ..formats import GRAPH, RESULTS, by_media_type, get
from ..graph.build import decimal_text
from ..graph.datasets import partition
from ..graph.namespace import bind_prefixes
from ..query import QueryResult, page, with_prefixes
from ..query.prepare import bound_text, prepare_query
from ..stores.writes import AGGREGATES
from .credentials import PASSWORD_ENV, TOKEN_ENV, USER_ENV, check_endpoint, check_url, public_url, redact_for
from .transport import MAX_ANSWER, Deadline, send

__all__ = ["push", "remote_query", "public_url", "check_url", "check_endpoint", "PushSummary", "MAX_ANSWER",
           "EndpointError", "EndpointConnectionError", "EndpointHTTPError", "PROTOCOLS",
           "TOKEN_ENV", "USER_ENV", "PASSWORD_ENV"]

log = logging.getLogger(__name__)

PROTOCOLS = ("gsp", "update")
#: Triples per SPARQL Update request (and per INSERT DATA block).
CHUNK_TRIPLES = 5000
#: What is pushed (N-Triples) and the answers asked for, first choice first (`kgbuild.formats`).
PUSHED = get("nt", GRAPH)
GRAPH_ANSWERS = (PUSHED, get("turtle", GRAPH))
RESULT_ANSWERS = (get("json", RESULTS), get("xml", RESULTS))
NTRIPLES = PUSHED.media_type
SPARQL_JSON = RESULT_ANSWERS[0].media_type


@dataclass
class PushSummary:
    """What a push sent: document graphs, triples (all graphs) and HTTP requests."""

    protocol: str
    endpoint: str
    graphs: int = 0
    triples: int = 0
    default_triples: int = 0
    requests: int = 0


def _with_param(url: str, param: str) -> str:
    return url + ("&" if urllib.parse.urlsplit(url).query else "?") + param


# -- push ------------------------------------------------------------------------------
def _split(source: Graph) -> dict[URIRef | None, list[tuple]]:
    """Graph name (None: default graph) -> its triples, as in `kgbuild.stores.files.to_dataset`."""
    groups: dict[URIRef | None, list[tuple]] = {}
    for s, p, o, name in partition(source):
        groups.setdefault(name, []).append((s, p, o))
    return groups


def _ntriples(triples: Sequence[tuple]) -> str:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph.serialize(format=PUSHED.rdflib_name, encoding="utf-8").decode("utf-8")


def _chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start: start + size]


def push(source: Graph, endpoint: str, *, protocol: str = "gsp", graph_store_url: str | None = None,
         timeout: float | None = 60, deadline: float | None = None, insecure: bool = False,
         chunk_size: int = CHUNK_TRIPLES, max_answer: int | None = MAX_ANSWER) -> PushSummary:
    """Send a kgbuild graph to a remote triplestore, one named graph per document.

    Args:
        source: a graph from `kgbuild.build_graph` or `kgbuild.load_graph` (files or stores).
        endpoint: with "gsp", the Graph Store Protocol URL (unless `graph_store_url` is
            given); with "update", the SPARQL Update URL.
        protocol: "gsp" (PUT per document graph, POST the default graph) or "update"
            (DROP SILENT GRAPH + INSERT DATA per document, POSTed in chunks).
        graph_store_url: the Graph Store Protocol URL when it is not `endpoint`.
        timeout: seconds for each request as a whole (connect, send, the complete answer),
            however slowly the server answers; None or 0 for no limit (as `run_query`'s).
        deadline: seconds for the whole push; None or 0 for no limit.
        insecure: do not verify TLS certificates (a warning is logged).
        chunk_size: triples per SPARQL Update request.
        max_answer: bytes of each answer read at most (they are not kept); None for no limit.

    Returns:
        A `PushSummary`; the endpoint in it has no credentials. A push returns only when
        every request got a 2xx answer from the server that received its data.

    Raises:
        EndpointConnectionError: the server cannot be reached, or the time ran out.
        EndpointHTTPError: the server refused a request (status and the start of its
            answer), or redirected it where kgbuild does not follow.
        EndpointError: a bad URL or unusable credentials (before anything is sent), or an
            answer longer than `max_answer`.

    Example:
        >>> push(load_graph("graph.ttl"), "http://localhost:7878/store")  # doctest: +SKIP
    """
    if protocol not in PROTOCOLS:
        raise EndpointError(f"unknown push protocol '{protocol}'; choose one of {', '.join(PROTOCOLS)}")
    url = (graph_store_url or endpoint) if protocol == "gsp" else endpoint
    check_endpoint(url)
    if insecure:
        log.warning("TLS certificate verification is off (--insecure); use it only for test servers")
    groups = _split(source)
    summary = PushSummary(protocol, public_url(url))
    send_ = functools.partial(send, timeout=timeout, deadline=Deadline(deadline, "--deadline"),
                              insecure=insecure, max_answer=max_answer, keep_answer=False)
    names = sorted(name for name in groups if name is not None)
    if protocol == "gsp":
        for name in names:
            send_("PUT", _with_param(url, "graph=" + urllib.parse.quote(str(name), safe="")),
                  data=_ntriples(groups[name]).encode("utf-8"), content_type=NTRIPLES)
            summary.requests += 1
        if groups.get(None):
            send_("POST", _with_param(url, "default"), data=_ntriples(groups[None]).encode("utf-8"),
                  content_type=NTRIPLES)
            summary.requests += 1
    else:
        for request in _pack(_update_operations(groups, names, chunk_size), chunk_size):
            send_("POST", url, data=request.encode("utf-8"), content_type="application/sparql-update")
            summary.requests += 1
    summary.graphs = len(names)
    summary.default_triples = len(groups.get(None, ()))
    summary.triples = sum(len(t) for t in groups.values())
    return summary


def _update_operations(groups: dict, names: list, chunk_size: int) -> Iterator[tuple[str, int]]:
    """(SPARQL Update operation, triples in it), in the order they must run."""
    for name in names:
        drop = f"DROP SILENT GRAPH {name.n3()} ;\n"  # in the request of the first chunk
        for chunk in _chunks(groups[name], chunk_size):
            yield f"{drop}INSERT DATA {{ GRAPH {name.n3()} {{\n{_ntriples(chunk)}}} }}", len(chunk)
            drop = ""
    default = groups.get(None, [])
    events = sorted({s for s, p, _ in default if p in AGGREGATES})
    props = " ".join(p.n3() for p in AGGREGATES)
    for chunk in _chunks(events, chunk_size):
        values = " ".join(e.n3() for e in chunk)
        yield (f"DELETE {{ ?e ?p ?o }} WHERE {{ VALUES ?p {{ {props} }} VALUES ?e {{ {values} }} "
               "?e ?p ?o }", len(chunk))
    for chunk in _chunks(default, chunk_size):
        yield f"INSERT DATA {{\n{_ntriples(chunk)}}}", len(chunk)


def _pack(operations: Iterator[tuple[str, int]], chunk_size: int) -> Iterator[str]:
    """Join operations with ';' into requests of about `chunk_size` triples each."""
    batch: list[str] = []
    size = 0
    for text, count in operations:
        if batch and size + count > chunk_size:
            yield " ;\n".join(batch)
            batch, size = [], 0
        batch.append(text)
        size += count
    if batch:
        yield " ;\n".join(batch)


# -- query -----------------------------------------------------------------------------
def remote_query(endpoint: str, query_text: str, *, bindings: dict[str, object] | None = None,
                 allow_service: bool = False, timeout: float | None = 60,
                 insecure: bool = False, limit: int | None = None,
                 offset: int = 0, max_answer: int | None = MAX_ANSWER) -> QueryResult:
    """Run a read-only SPARQL query (text or saved query name) on a remote endpoint.

    The query is checked like `kgbuild.query.run_query` (no updates, no SERVICE unless
    allowed, syntax errors with line and column) before anything is sent; kgbuild's
    prefixes are declared; bindings become a VALUES block of escaped terms.

    Args:
        endpoint: the SPARQL query URL (Oxigraph `/query`, Fuseki `/ds/sparql`, GraphDB
            `/repositories/REPO`). Oxigraph answers from the default graph only unless
            the URL ends in `?union-default-graph`.
        query_text: SPARQL text or the name of a saved query.
        bindings: values for variables; strings that look like IRIs become IRIs.
        allow_service: let the query contain SERVICE clauses.
        timeout: seconds for the whole exchange (connect, send, the complete answer),
            however slowly the server answers; None or 0 for no limit.
        insecure: do not verify TLS certificates.
        limit, offset: page the SELECT rows as `kgbuild.query.run_query` does (here after
            the whole answer has arrived).
        max_answer: bytes of the answer read at most (it is parsed whole, so this bounds
            memory); None for no limit.

    Raises:
        QueryError: the query is refused or malformed (nothing is sent).
        EndpointConnectionError, EndpointHTTPError, EndpointError: as for `push`, also an
            answer longer than `max_answer`.

    Example:
        >>> remote_query("http://localhost:7878/query", "timeline", bindings={"actor": "RUS"})  # doctest: +SKIP
    """
    prepared = prepare_query(query_text, bindings=bindings, allow_service=allow_service,
                             limit=limit, offset=offset)
    kind = prepared.kind
    assert kind is not None  # prepare_query parsed it
    if insecure:
        log.warning("TLS certificate verification is off (--insecure); use it only for test servers")
    graph_answer = kind in ("CONSTRUCT", "DESCRIBE")
    first, second = GRAPH_ANSWERS if graph_answer else RESULT_ANSWERS
    accept = f"{first.media_type}, {second.media_type};q=0.8"
    sent = with_prefixes(bound_text(prepared))  # what the server will run, checked
    body, content_type = send("POST", endpoint, data=sent.encode("utf-8"),
                              content_type="application/sparql-query", accept=accept,
                              timeout=timeout, insecure=insecure, max_answer=max_answer)
    shown = public_url(endpoint)
    try:
        if graph_answer:
            return QueryResult(kind, graph=_read_graph(body, content_type, shown))
        result = _read_results(body, content_type, shown)
    except EndpointError:
        raise
    except Exception as err:  # noqa: BLE001 - any parser failure is the server's answer
        reason = redact_for(endpoint, " ".join(str(err).split()))[:200]
        raise EndpointError(f"{shown}: could not read the answer ({content_type}): {reason}") from None
    result.rows, result.truncated = page(result.rows, limit, offset)
    result.offset = offset
    return result


def _read_graph(body: bytes | bytearray, content_type: str, shown: str) -> Graph:
    found = by_media_type(content_type, GRAPH)
    if found is None:
        raise EndpointError(f"{shown}: answered {content_type}, not RDF; is this the query URL?")
    parsed = Graph()
    parsed.parse(data=body.decode("utf-8"), format=found.rdflib)
    graph = bind_prefixes(Graph())
    for s, p, o in parsed:
        graph.add((s, p, _canonical(o)))
    return graph


def _read_results(body: bytes | bytearray, content_type: str, shown: str) -> QueryResult:
    found = by_media_type(content_type, RESULTS)
    if found is None or found.rdflib is None:
        raise EndpointError(f"{shown}: answered {content_type}, not SPARQL results; is this the "
                            "query URL?")
    result = Result.parse(io.BytesIO(body), format=found.rdflib)
    if result.type == "ASK":
        return QueryResult("ASK", boolean=bool(result.askAnswer))
    variables = [str(v) for v in result.vars or ()]
    rows = [[_canonical(value) for value in row] for row in result]  # type: ignore[union-attr]  # (rows)
    return QueryResult("SELECT", variables, rows)


def _canonical(term):
    """Decimals in kgbuild's lexical form (Oxigraph answers "4" for "4.0") when lossless."""
    if isinstance(term, Literal) and term.datatype == XSD.decimal:
        try:
            text = decimal_text(str(term))
            if Decimal(text) == Decimal(str(term)):
                return Literal(text, datatype=XSD.decimal)
        except (ValueError, InvalidOperation):
            pass
    return term
