"""`kgbuild serve`: a graph file or store served read-only over the SPARQL 1.1 Protocol
(pyoxigraph behind the standard library's ThreadingHTTPServer, on 127.0.0.1 by default).

Queries are checked by `kgbuild.query.check_query`, as `kgbuild query` checks them: updates
and SERVICE clauses are refused on the parsed query (HTTP 403). Oxigraph answers over the
union of all graphs with kgbuild's prefixes declared (`GraphStore.query`), and writes the
answer in the negotiated format. Request bodies are bounded (`max_body`) and queries timed
(`kgbuild.query.bounded`); a graph file is loaded into a temporary store, removed on exit.
"""
from __future__ import annotations

import contextlib
import errno
import logging
import signal
import socket
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from ..errors import KgbuildError, QueryError, QueryTimeoutError
from ..query import SERVICE_REFUSED, UPDATE_REFUSED, bounded, check_query, saved_queries
from ..remote import _KINDS
from ..stores import open_store
from .answer import GRAPH_TYPES, RESULT_TYPES, answer, negotiate
from .page import CONTENT_SECURITY_POLICY, form_page, landing_page

__all__ = ["serve_graph", "make_server", "negotiate", "SparqlServer",
           "ServeError", "DEFAULT_PORT", "MAX_BODY"]

log = logging.getLogger("kgbuild")

DEFAULT_PORT = 7878
#: Largest POST body accepted (bytes); larger ones get 413.
MAX_BODY = 1_000_000
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
READ_ONLY = ("this endpoint is read-only: SPARQL updates and graph writes are refused "
             "(kgbuild serve never changes the graph)")
NO_SERVICE = "SERVICE clauses are refused: this endpoint does not fetch remote URLs"
class ServeError(KgbuildError):
    """The endpoint cannot start: the port is taken, or the address is not this machine's."""



class SparqlServer(ThreadingHTTPServer):
    """The HTTP server of `kgbuild serve`: one thread per request, the store shared."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], *, store=None, name: str = "",
                 timeout: float | None = 60, max_body: int = MAX_BODY):
        self.store, self.name, self.triples = store, name, 0
        self.query_timeout, self.max_body = timeout, max_body
        self.loopback = address[0] in LOOPBACK
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    def handle_error(self, request, client_address) -> None:
        """One line on stderr (a client that hung up, a bug), not a traceback."""
        import sys

        err = sys.exc_info()[1]
        if not isinstance(err, (BrokenPipeError, ConnectionResetError)):
            log.warning("%s: request failed (%s: %s)", client_address[0], type(err).__name__,
                        " ".join(str(err).split())[:200])

    @property
    def url(self) -> str:
        """The base URL (`http://127.0.0.1:7878/`)."""
        host, port = self.server_address[:2]
        return f"http://{f'[{host}]' if ':' in host else host}:{port}/"


def make_server(store=None, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
                name: str = "", timeout: float | None = 60,
                max_body: int = MAX_BODY) -> SparqlServer:
    """A server bound to `host:port` (port 0: a free one), not yet serving; call
    `serve_forever()` (and `shutdown()` from another thread to stop it).

    Raises:
        ServeError: the port is in use, or `host` is not an address of this machine.
    """
    try:
        server = SparqlServer((host, port), store=store, name=name, timeout=timeout,
                              max_body=max_body)
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            raise ServeError(f"{host}:{port}: the port is in use (another server?); stop it "
                             "or choose another port with --port") from None
        if err.errno == errno.EACCES:
            raise ServeError(f"{host}:{port}: not allowed to listen on this port; choose one "
                             "above 1023 with --port") from None
        raise ServeError(f"{host}:{port}: cannot listen here ({err.strerror or err}); give an "
                         "address of this machine with --host") from None
    if store is not None:
        server.triples = len(store)
    return server


def serve_graph(path: str | Path, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
                timeout: float | None = 60, max_body: int = MAX_BODY,
                ready: Callable[[SparqlServer], None] | None = None) -> None:
    """Serve a graph file or store read-only until Ctrl-C (or SIGTERM), then clean up.

    The port is taken before a graph file is loaded, so a busy port fails at once.

    Args:
        host: the interface; anything but the loopback makes the graph readable by every
            machine that can reach this one (a warning says so).
        timeout: seconds a query may run (None: no limit); then 503. Oxigraph's own
            evaluation cannot be stopped, only the wait for it (see `kgbuild.query.run_query`).
        max_body: bytes a POST body may have; then 413.
        ready: called with the server once it answers (tests, embedding).

    Raises:
        ServeError: as `make_server`; GraphError: the graph cannot be read.
    """
    server = make_server(host=host, port=port, name=str(path), timeout=timeout,
                         max_body=max_body)
    if not server.loopback:
        log.warning("listening on %s: every machine that can reach this one can query the "
                    "graph; the default --host 127.0.0.1 serves this computer only", host)
    previous = {}
    if threading.current_thread() is threading.main_thread():
        # Ctrl-C and SIGTERM stop the server, also when started from a shell that ignores
        # SIGINT in background jobs.
        previous = {sig: signal.signal(sig, handler) for sig, handler in
                    ((signal.SIGTERM, _interrupt), (signal.SIGINT, signal.default_int_handler))}
    try:
        with open_store(path) as store:
            server.store, server.triples = store, len(store)
            log.info("serving %s (%d triples) read-only at %s; SPARQL endpoint %squery; "
                     "Ctrl-C stops", path, server.triples, server.url, server.url)
            if ready is not None:
                ready(server)
            with contextlib.suppress(KeyboardInterrupt):
                server.serve_forever()
            log.info("stopped")
    finally:
        server.server_close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


class _Handler(BaseHTTPRequestHandler):
    """GET/POST `/query`, `/` and `/form`; every write refused."""

    server: SparqlServer
    server_version = "kgbuild"
    sys_version = ""

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        log.info("%s %s", self.address_string(), format % args)

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        if content_type.startswith("text/") or content_type.endswith(("json", "xml")):
            content_type += "; charset=utf-8"
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if content_type.startswith("text/html"):
            self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.end_headers()
        self.wfile.write(body)

    def _fail(self, status: int, message: str) -> None:
        self.close_connection = True
        self._send(status, (message + "\n").encode("utf-8"), "text/plain")

    def _host_ok(self) -> bool:
        """On the loopback, only requests for a loopback name (no DNS rebinding)."""
        if not self.server.loopback:
            return True
        host = (self.headers.get("Host") or "").strip().lower()
        name = host[1:host.index("]")] if host.startswith("[") and "]" in host else host.split(":")[0]
        if name in LOOPBACK:
            return True
        self._fail(403, f"Host {host!r} is not this server; use {self.server.url}")
        return False

    def do_GET(self) -> None:  # noqa: N802 - http.server's names
        if not self._host_ok():
            return
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True, max_num_fields=100)
        if url.path == "/":
            self._send(200, landing_page(self.server.name, self.server.triples), "text/html")
        elif url.path == "/form":
            saved = (params.get("saved") or [None])[0]
            queries = saved_queries()
            if saved is not None and saved not in queries:
                self._fail(404, f"no saved query named {saved!r}")
                return
            self._send(200, form_page(queries.get(saved, "SELECT * WHERE { ?s ?p ?o } LIMIT 10"),
                                      saved), "text/html")
        elif url.path == "/query":
            self._query(params)
        elif url.path == "/update":
            self._fail(403, READ_ONLY)
        else:
            self._fail(404, "not found; the SPARQL endpoint is /query")

    def do_POST(self) -> None:  # noqa: N802
        if not self._host_ok():
            return
        url = urlsplit(self.path)
        kind = self.headers.get_content_type()
        if url.path == "/update" or kind == "application/sparql-update":
            self._fail(403, READ_ONLY)
            return
        if url.path != "/query":
            self._fail(404, "not found; the SPARQL endpoint is /query")
            return
        body = self._body()
        if body is None:
            return
        params = parse_qs(url.query, keep_blank_values=True, max_num_fields=100)
        try:
            text = body.decode("utf-8")
            if kind == "application/sparql-query":
                params["query"] = [text]
            elif kind == "application/x-www-form-urlencoded":
                for key, values in parse_qs(text, keep_blank_values=True,
                                            max_num_fields=100).items():
                    params.setdefault(key, []).extend(values)
            else:
                self._fail(415, "send the query as application/sparql-query or "
                                "application/x-www-form-urlencoded (query=...)")
                return
        except (UnicodeDecodeError, ValueError) as err:
            self._fail(400, f"cannot read the request body ({err})")
            return
        self._query(params)

    def _refuse_write(self) -> None:
        if self._host_ok():
            self._fail(403, READ_ONLY)

    do_PUT = do_DELETE = do_PATCH = _refuse_write

    def _body(self) -> bytes | None:
        length = self.headers.get("Content-Length")
        if length is None:
            self._fail(411, "a POST needs a Content-Length")
            return None
        try:
            size = int(length)
        except ValueError:
            size = -1
        if size < 0:
            self._fail(400, "bad Content-Length")
            return None
        if size > self.server.max_body:
            if size <= 8 * self.server.max_body:  # read it, so the client sees the answer
                left = size
                while left > 0:
                    chunk = self.rfile.read(min(65536, left))
                    if not chunk:
                        break
                    left -= len(chunk)
            self._fail(413, f"the request body has {size:,} bytes; this endpoint takes at most "
                            f"{self.server.max_body:,} (kgbuild serve --max-body)")
            return None
        return self.rfile.read(size)

    def _query(self, params: dict[str, list[str]]) -> None:
        if "update" in params:
            self._fail(403, READ_ONLY)
            return
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            self._fail(400, "default-graph-uri and named-graph-uri are not supported: queries "
                            "see the union of all graphs; use GRAPH in the query")
            return
        queries = params.get("query") or []
        if len(queries) != 1 or not queries[0].strip():
            self._fail(400, "give exactly one SPARQL query (parameter 'query')")
            return
        text = queries[0]
        try:
            prepared = check_query(text)  # the decisions `kgbuild query` takes, on the parse
        except QueryError as err:
            refused = {UPDATE_REFUSED: READ_ONLY, SERVICE_REFUSED: NO_SERVICE}.get(str(err))
            self._fail(403 if refused else 400, refused or str(err))
            return
        kind = _KINDS.get(prepared.algebra.name, "SELECT")
        accept = self.headers.get("Accept")
        media = negotiate(kind, accept, (params.get("format") or [None])[0])
        if media is None:
            offers = ", ".join(GRAPH_TYPES if kind in ("CONSTRUCT", "DESCRIBE") else RESULT_TYPES)
            self._fail(406, f"cannot answer a {kind} query as {accept or 'asked'}; ask for one "
                            f"of {offers}")
            return
        try:
            body = bounded(lambda: answer(self.server.store, text, media),
                           self.server.query_timeout)
        except QueryTimeoutError as err:
            self._fail(503, str(err))
            return
        except QueryError as err:
            self._fail(400, str(err))
            return
        self._send(200, body, media)
