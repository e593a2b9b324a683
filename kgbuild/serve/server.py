"""`kgbuild serve`: a graph file or store served read-only over the SPARQL 1.1 Protocol
(pyoxigraph behind the standard library's ThreadingHTTPServer, on 127.0.0.1 by default).

Queries are checked by `kgbuild.query.prepare_query`, as `kgbuild query` checks them: updates
and SERVICE clauses are refused on the parsed query (HTTP 403). Oxigraph answers over the
union of all graphs with kgbuild's prefixes declared (`GraphStore.query`), and writes the
answer in the negotiated format. Who may ask is decided by `access` (Host names, requests
from other origins); what a client may take (time, bytes, connections) by `limits`. A
graph file is loaded into a temporary store, removed on exit.
"""
from __future__ import annotations

import contextlib
import errno
import io
import logging
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from ..errors import AnswerTooLarge, QueryError, QueryTimeoutError, ServeError
from ..query import SERVICE_REFUSED, UPDATE_REFUSED, bounded, saved_queries
from ..query.prepare import prepare_query
from ..stores import open_store
from .access import LOOPBACK, allowed_hosts, cross_site_refusal, host_refusal
from .answer import GRAPH_TYPES, RESULT_TYPES, answer, negotiate
from .limits import MAX_BODY, SEND_PIECE, DeadlineReader, Limits
from .page import CONTENT_SECURITY_POLICY, form_page, landing_page

__all__ = ["serve_graph", "make_server", "negotiate", "SparqlServer", "Limits",
           "ServeError", "DEFAULT_PORT", "MAX_BODY"]

log = logging.getLogger("kgbuild")

DEFAULT_PORT = 7878
READ_ONLY = ("this endpoint is read-only: SPARQL updates and graph writes are refused "
             "(kgbuild serve never changes the graph)")
NO_SERVICE = "SERVICE clauses are refused: this endpoint does not fetch remote URLs"
BUSY = (b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"Connection: close\r\n\r\ntoo many connections at once; try again shortly\n")


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server of `kgbuild serve`: one thread per connection, at most
    `limits.max_connections` at once; the store shared."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], *, store=None, name: str = "",
                 limits: Limits | None = None, allow_hosts: Iterable[str] = ()):
        self.store, self.name, self.triples = store, name, 0
        self.limits = limits or Limits()
        self.loopback = address[0] in LOOPBACK
        self.allowed = allowed_hosts(address[0], allow_hosts)
        self._slots = threading.BoundedSemaphore(self.limits.max_connections)
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    def process_request(self, request, client_address) -> None:
        """A thread for the connection while fewer than `max_connections` are served, else
        503 at once (from this thread, without reading the request)."""
        if not self._slots.acquire(blocking=False):
            with contextlib.suppress(OSError):
                request.setblocking(False)
                request.send(BUSY)
                request.recv(65536)  # what has come so far, so closing does not reset
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

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
        host, port = str(self.server_address[0]), self.server_address[1]
        return f"http://{f'[{host}]' if ':' in host else host}:{port}/"


def make_server(store=None, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
                name: str = "", limits: Limits | None = None,
                allow_hosts: Iterable[str] = ()) -> SparqlServer:
    """A server bound to `host:port` (port 0: a free one), not yet serving; call
    `serve_forever()` (and `shutdown()` from another thread to stop it).

    Args:
        limits: time, size and connection limits (`kgbuild.serve.limits`; defaults there).
        allow_hosts: names a request's `Host` may give besides `host` and the loopback
            names (`kgbuild.serve.access`).

    Raises:
        ServeError: the port is in use, or `host` is not an address of this machine.
    """
    try:
        server = SparqlServer((host, port), store=store, name=name, limits=limits,
                              allow_hosts=allow_hosts)
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
                limits: Limits | None = None, allow_hosts: Iterable[str] = (),
                ready: Callable[[SparqlServer], None] | None = None) -> None:
    """Serve a graph file or store read-only until Ctrl-C (or SIGTERM), then clean up.

    The port is taken before a graph file is loaded, so a busy port fails at once.

    Args:
        host: the interface; anything but the loopback makes the graph readable by every
            machine that can reach this one (a warning says so). Requests must name the
            server by this address, a loopback name or one of `allow_hosts`.
        limits: as `make_server`; `limits.timeout` bounds a query's check and answer
            (503 after it). Oxigraph's own evaluation cannot be stopped, only the wait for
            it (see `kgbuild.query.run_query`), but it ends at the next piece it writes.
        ready: called with the server once it answers (tests, embedding).

    Raises:
        ServeError: as `make_server`; GraphError: the graph cannot be read.
    """
    server = make_server(host=host, port=port, name=str(path), limits=limits,
                         allow_hosts=allow_hosts)
    if not server.loopback:
        log.warning("listening on %s: every machine that can reach this one can query the "
                    "graph; the default --host 127.0.0.1 serves this computer only. Requests "
                    "must name the server as %s (add names with --allow-host)", host,
                    ", ".join(sorted(server.allowed)))
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

    def setup(self) -> None:
        """The connection's reader keeps the request's deadline (`limits.request_timeout`)."""
        super().setup()
        self.rfile.close()
        deadline = time.monotonic() + self.server.limits.request_timeout
        self.rfile = io.BufferedReader(DeadlineReader(self.connection, deadline))

    def parse_request(self) -> bool:
        """Read the headers; a client still sending them at the deadline gets 408 (one
        that sent nothing, or half a request line, is closed by http.server)."""
        self._body_read = False
        try:
            return super().parse_request()
        except TimeoutError:
            self._timed_out()
            return False

    def _timed_out(self) -> None:
        self._body_read = True
        with contextlib.suppress(OSError):
            self._fail(408, f"the request did not arrive within "
                            f"{self.server.limits.request_timeout:g} s")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        if content_type.startswith("text/") or content_type.endswith(("json", "xml")):
            content_type += "; charset=utf-8"
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if content_type.startswith("text/html"):
            self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.connection.settimeout(self.server.limits.request_timeout)  # for each piece sent
        self.end_headers()
        view = memoryview(body)
        for start in range(0, len(view), SEND_PIECE):
            self.wfile.write(view[start:start + SEND_PIECE])

    def _fail(self, status: int, message: str) -> None:
        self.close_connection = True
        self._discard_body()
        self._send(status, (message + "\n").encode("utf-8"), "text/plain")

    def _allowed(self) -> bool:
        """The request names this server (no DNS rebinding) and does not come from a page
        of another origin; else 403 (`kgbuild.serve.access`)."""
        refusal = (host_refusal(self.headers, self.server.allowed)
                   or cross_site_refusal(self.headers, self.command, urlsplit(self.path).path))
        if refusal:
            self._fail(403, refusal)
        return refusal is None

    def do_GET(self) -> None:  # noqa: N802 - http.server's names
        if not self._allowed():
            return
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True, max_num_fields=100)
        if url.path == "/":
            self._send(200, landing_page(self.server.name, self.server.triples), "text/html")
        elif url.path == "/form":
            saved = next(iter(params.get("saved") or ()), None)
            queries = saved_queries()
            if saved is not None and saved not in queries:
                self._fail(404, f"no saved query named {saved!r}")
                return
            self._send(200, form_page(queries.get(saved or "", "SELECT * WHERE { ?s ?p ?o } LIMIT 10"),
                                      saved), "text/html")
        elif url.path == "/query":
            self._query(params)
        elif url.path == "/update":
            self._fail(403, READ_ONLY)
        else:
            self._fail(404, "not found; the SPARQL endpoint is /query")

    def do_POST(self) -> None:  # noqa: N802
        if not self._allowed():
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
        if self._allowed():
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
        if size > self.server.limits.max_body:
            self._fail(413, f"the request body has {size:,} bytes; this endpoint takes at most "
                            f"{self.server.limits.max_body:,} (kgbuild serve --max-body)")
            return None
        try:
            return self.rfile.read(size)
        except TimeoutError:
            self._timed_out()
            return None
        finally:
            self._body_read = True

    def _discard_body(self) -> None:
        """Read and drop a request body not read yet (up to 8 × `max_body`), so a client
        still sending it sees the answer (closing with unread data resets the connection)."""
        if self._body_read or getattr(self, "headers", None) is None:
            return
        self._body_read = True
        try:
            left = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return
        if left > 8 * self.server.limits.max_body:
            return
        while left > 0:
            chunk = self.rfile.read(min(65536, left))
            if not chunk:
                break
            left -= len(chunk)

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
        text, limits = queries[0], self.server.limits
        if len(text) > limits.max_query:
            self._fail(413, f"the query has {len(text):,} characters; this endpoint checks at "
                            f"most {limits.max_query:,} (kgbuild serve --max-query)")
            return
        end = time.monotonic() + limits.timeout if limits.timeout else None
        try:  # the decisions `kgbuild query` takes, on the parse, within the query's time
            prepared = prepare_query(text, timeout=limits.timeout, saved=False)
        except QueryTimeoutError as err:
            self._fail(503, str(err))
            return
        except QueryError as err:
            refused = {UPDATE_REFUSED: READ_ONLY, SERVICE_REFUSED: NO_SERVICE}.get(str(err))
            self._fail(403 if refused else 400, refused or str(err))
            return
        kind = prepared.kind
        assert kind is not None  # prepare_query parsed it
        accept = self.headers.get("Accept")
        media = negotiate(kind, accept, next(iter(params.get("format") or ()), None))
        if media is None:
            offers = ", ".join(GRAPH_TYPES if kind in ("CONSTRUCT", "DESCRIBE") else RESULT_TYPES)
            self._fail(406, f"cannot answer a {kind} query as {accept or 'asked'}; ask for one "
                            f"of {offers}")
            return
        try:
            body = bounded(lambda: answer(self.server.store, text, media, limits.max_answer),
                           limits.timeout, until=end)
        except QueryTimeoutError as err:
            self._fail(503, str(err))
            return
        except QueryError as err:
            self._fail(400, str(err))
            return
        except AnswerTooLarge:
            self._fail(507, f"the answer is larger than {limits.max_answer:,} bytes and was "
                            "stopped there; add a LIMIT or ask for fewer variables, or allow "
                            "more (kgbuild serve --max-answer BYTES)")
            return
        self._send(200, body, media)
