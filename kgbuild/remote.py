"""Remote triplestores over HTTP: push a graph, query an endpoint (standard library only).

Pushing keeps the layout of `kgbuild.export.to_dataset` and the store: each document's
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
the ~/.netrc entry of the endpoint's host. They are sent only to the URL given (never
along a redirect) and never appear in messages.
"""
from __future__ import annotations

import base64
import functools
import http.client
import io
import logging
import netrc
import os
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rdflib import XSD, Graph, Literal, URIRef
from rdflib.query import Result

from .errors import KgbuildError, QueryError
from .namespace import bind_prefixes
from .query import QueryResult, _term, _with_prefixes, check_query, resolve_query
from .store import AGGREGATES, bind_values, partition

__all__ = ["push", "remote_query", "public_url", "check_url", "PushSummary", "EndpointError",
           "EndpointConnectionError", "EndpointHTTPError", "PROTOCOLS"]

log = logging.getLogger(__name__)

PROTOCOLS = ("gsp", "update")
TOKEN_ENV = "KGBUILD_ENDPOINT_TOKEN"
USER_ENV = "KGBUILD_ENDPOINT_USER"
PASSWORD_ENV = "KGBUILD_ENDPOINT_PASSWORD"
#: Triples per SPARQL Update request (and per INSERT DATA block).
CHUNK_TRIPLES = 5000
NTRIPLES = "application/n-triples"
SPARQL_JSON = "application/sparql-results+json"
_RDF_TYPES = {"application/n-triples": "nt", "text/plain": "nt", "text/turtle": "turtle",
              "application/n-quads": "nquads", "application/rdf+xml": "xml",
              "application/ld+json": "json-ld", "application/trig": "trig"}
_RESULT_TYPES = {SPARQL_JSON: "json", "application/json": "json",
                 "application/sparql-results+xml": "xml"}
_KINDS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT",
          "DescribeQuery": "DESCRIBE"}
_CREDENTIAL_HINT = (f"set {USER_ENV} and {PASSWORD_ENV} (or {TOKEN_ENV}), or add a ~/.netrc "
                    "entry for the host")


class EndpointError(KgbuildError):
    """A remote SPARQL endpoint or graph store cannot be used as asked."""


class EndpointConnectionError(EndpointError):
    """The endpoint cannot be reached: refused, unknown host, TLS failure or timeout."""


class EndpointHTTPError(EndpointError):
    """The endpoint answered with an HTTP error status (4xx or 5xx)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


@dataclass
class PushSummary:
    """What a push sent: document graphs, triples (all graphs) and HTTP requests."""

    protocol: str
    endpoint: str
    graphs: int = 0
    triples: int = 0
    default_triples: int = 0
    requests: int = 0


# -- HTTP ------------------------------------------------------------------------------
def public_url(url: str) -> str:
    """The URL without any `user:password@` part, for messages."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    netloc += f":{parts.port}" if parts.port else ""
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def check_url(url: str) -> None:
    """Refuse a URL that is not http(s) or that carries credentials (`EndpointError`)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(f"{public_url(url)}: not an http:// or https:// endpoint URL")
    if parts.username is not None or parts.password is not None:
        raise EndpointError(f"{public_url(url)}: credentials do not belong in the URL; "
                            + _CREDENTIAL_HINT)


def _credentials(url: str) -> tuple[str | None, list[str]]:
    """The Authorization header value for `url` and the secrets to keep out of messages."""
    token = os.environ.get(TOKEN_ENV)
    if token:
        return f"Bearer {token}", [token]
    user = os.environ.get(USER_ENV)
    if user:
        return _basic(user, os.environ.get(PASSWORD_ENV, ""))
    host = urllib.parse.urlsplit(url).hostname
    try:
        entry = netrc.netrc().authenticators(host) if host else None
    except FileNotFoundError:
        return None, []
    except netrc.NetrcParseError as err:
        raise EndpointError(f"~/.netrc cannot be read (line {err.lineno}): fix it or remove "
                            "the entry") from None
    except OSError:
        return None, []
    if entry and entry[0]:
        return _basic(entry[0], entry[2] or "")
    return None, []


def _basic(user: str, password: str) -> tuple[str, list[str]]:
    encoded = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return f"Basic {encoded}", [s for s in (password, encoded) if s]


@functools.lru_cache(maxsize=2)
def _tls_context(insecure: bool) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if insecure:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _redact(text: str, secrets: Sequence[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


def _send(method: str, url: str, *, data: bytes | None = None, content_type: str | None = None,
          accept: str | None = None, timeout: float = 60, insecure: bool = False) -> tuple[bytes, str]:
    """One HTTP request; returns (body, content type) or raises an `EndpointError`."""
    from . import __version__

    check_url(url)
    shown = public_url(url)
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("User-Agent", f"kgbuild/{__version__}")
    if content_type:
        request.add_header("Content-Type", content_type)
    if accept:
        request.add_header("Accept", accept)
    authorization, secrets = _credentials(url)
    if authorization:
        request.add_unredirected_header("Authorization", authorization)
    context = _tls_context(insecure) if url.lower().startswith("https:") else None
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=context) as response:
            return response.read(), response.headers.get_content_type()
    except urllib.error.HTTPError as err:
        try:
            body = err.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            body = ""
        snippet = _redact(" ".join(body.split()), secrets)[:200]
        hint = f"; {_CREDENTIAL_HINT}" if err.code in (401, 403) else ""
        message = f"{shown}: HTTP {err.code} {' '.join(str(err.reason).split())}"
        raise EndpointHTTPError(_redact(message + (f": {snippet}" if snippet else "") + hint, secrets),
                                err.code) from None
    except urllib.error.URLError as err:
        reason = err.reason
    except (OSError, http.client.HTTPException) as err:  # timeouts, resets, broken answers
        reason = err
    server = shown.split("?", 1)[0]
    raise EndpointConnectionError(f"cannot reach {server}: {_reason(reason, timeout)}")


def _reason(reason: object, timeout: float) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused; is the server running, and is the URL right?"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return (f"TLS certificate not trusted ({reason.verify_message}); fix the certificate, "
                "or use --insecure for a test server")
    if isinstance(reason, socket.gaierror):
        return "unknown host name"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"no answer within {timeout:g} s"
    return " ".join(str(reason).split())[:200] or type(reason).__name__


def _with_param(url: str, param: str) -> str:
    return url + ("&" if urllib.parse.urlsplit(url).query else "?") + param


# -- push ------------------------------------------------------------------------------
def _split(source: Graph) -> dict[URIRef | None, list[tuple]]:
    """Graph name (None: default graph) -> its triples, as in `kgbuild.export.to_dataset`."""
    groups: dict[URIRef | None, list[tuple]] = {}
    for s, p, o, name in partition(source):
        groups.setdefault(name, []).append((s, p, o))
    return groups


def _ntriples(triples: Sequence[tuple]) -> str:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph.serialize(format="nt", encoding="utf-8").decode("utf-8")


def _chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start: start + size]


def push(source: Graph, endpoint: str, *, protocol: str = "gsp", graph_store_url: str | None = None,
         timeout: float = 60, insecure: bool = False, chunk_size: int = CHUNK_TRIPLES) -> PushSummary:
    """Send a kgbuild graph to a remote triplestore, one named graph per document.

    Args:
        source: a graph from `kgbuild.build_graph` or `kgbuild.load_graph` (files or stores).
        endpoint: with "gsp", the Graph Store Protocol URL (unless `graph_store_url` is
            given); with "update", the SPARQL Update URL.
        protocol: "gsp" (PUT per document graph, POST the default graph) or "update"
            (DROP SILENT GRAPH + INSERT DATA per document, POSTed in chunks).
        graph_store_url: the Graph Store Protocol URL when it is not `endpoint`.
        timeout: seconds to wait for each request.
        insecure: do not verify TLS certificates (a warning is logged).
        chunk_size: triples per SPARQL Update request.

    Returns:
        A `PushSummary`; the endpoint in it has no credentials.

    Raises:
        EndpointConnectionError: the server cannot be reached.
        EndpointHTTPError: the server refused a request (status and the start of its answer).

    Example:
        >>> push(load_graph("graph.ttl"), "http://localhost:7878/store")  # doctest: +SKIP
    """
    if protocol not in PROTOCOLS:
        raise EndpointError(f"unknown push protocol '{protocol}'; choose one of {', '.join(PROTOCOLS)}")
    url = (graph_store_url or endpoint) if protocol == "gsp" else endpoint
    check_url(url)
    if insecure:
        log.warning("TLS certificate verification is off (--insecure); use it only for test servers")
    groups = _split(source)
    summary = PushSummary(protocol, public_url(url))
    send = functools.partial(_send, timeout=timeout, insecure=insecure)
    names = sorted(name for name in groups if name is not None)
    if protocol == "gsp":
        for name in names:
            send("PUT", _with_param(url, "graph=" + urllib.parse.quote(str(name), safe="")),
                 data=_ntriples(groups[name]).encode("utf-8"), content_type=NTRIPLES)
            summary.requests += 1
        if groups.get(None):
            send("POST", _with_param(url, "default"), data=_ntriples(groups[None]).encode("utf-8"),
                 content_type=NTRIPLES)
            summary.requests += 1
    else:
        for request in _pack(_update_operations(groups, names, chunk_size), chunk_size):
            send("POST", url, data=request.encode("utf-8"), content_type="application/sparql-update")
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
                 allow_service: bool = False, timeout: float = 60,
                 insecure: bool = False) -> QueryResult:
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
        timeout: seconds to wait for the answer.
        insecure: do not verify TLS certificates.

    Raises:
        QueryError: the query is refused or malformed (nothing is sent).
        EndpointConnectionError, EndpointHTTPError: as for `push`.

    Example:
        >>> remote_query("http://localhost:7878/query", "timeline", bindings={"actor": "RUS"})  # doctest: +SKIP
    """
    text = resolve_query(query_text)
    prepared = check_query(text, allow_service=allow_service)
    kind = _KINDS.get(prepared.algebra.name, "SELECT")
    bad = [name for name in (bindings or {}) if not name.isidentifier()]
    if bad:
        raise QueryError(f"cannot bind '{bad[0]}': variable names are letters, digits and _")
    init = {name: _term(value) for name, value in (bindings or {}).items()}
    if insecure:
        log.warning("TLS certificate verification is off (--insecure); use it only for test servers")
    graph_answer = kind in ("CONSTRUCT", "DESCRIBE")
    accept = f"{NTRIPLES}, text/turtle;q=0.8" if graph_answer else f"{SPARQL_JSON}, application/sparql-results+xml;q=0.8"
    sent = _with_prefixes(bind_values(text, init))
    check_query(sent, allow_service=allow_service)  # what the server will run
    body, content_type = _send("POST", endpoint, data=sent.encode("utf-8"),
                               content_type="application/sparql-query", accept=accept,
                               timeout=timeout, insecure=insecure)
    shown = public_url(endpoint)
    try:
        if graph_answer:
            return QueryResult(kind, graph=_read_graph(body, content_type, shown))
        return _read_results(body, content_type, shown)
    except EndpointError:
        raise
    except Exception as err:  # noqa: BLE001 - any parser failure is the server's answer
        raise EndpointError(f"{shown}: could not read the answer ({content_type}): "
                            f"{' '.join(str(err).split())[:200]}") from None


def _read_graph(body: bytes, content_type: str, shown: str) -> Graph:
    fmt = _RDF_TYPES.get(content_type)
    if fmt is None:
        raise EndpointError(f"{shown}: answered {content_type}, not RDF; is this the query URL?")
    parsed = Graph()
    parsed.parse(data=body.decode("utf-8"), format=fmt)
    graph = bind_prefixes(Graph())
    for s, p, o in parsed:
        graph.add((s, p, _canonical(o)))
    return graph


def _read_results(body: bytes, content_type: str, shown: str) -> QueryResult:
    fmt = _RESULT_TYPES.get(content_type)
    if fmt is None:
        raise EndpointError(f"{shown}: answered {content_type}, not SPARQL results; is this the "
                            "query URL?")
    result = Result.parse(io.BytesIO(body), format=fmt)
    if result.type == "ASK":
        return QueryResult("ASK", boolean=bool(result.askAnswer))
    variables = [str(v) for v in result.vars or ()]
    rows = [[_canonical(value) for value in row] for row in result]
    return QueryResult("SELECT", variables, rows)


def _canonical(term):
    """Decimals in kgbuild's lexical form (Oxigraph answers "4" for "4.0") when lossless."""
    if isinstance(term, Literal) and term.datatype == XSD.decimal:
        from .graph import decimal_text

        try:
            text = decimal_text(str(term))
            if Decimal(text) == Decimal(str(term)):
                return Literal(text, datatype=XSD.decimal)
        except (ValueError, InvalidOperation):
            pass
    return term
