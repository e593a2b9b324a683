"""HTTP exchanges with remote endpoints (standard library only), for `kgbuild.remote`.

- Credentials (`credentials.py`) come from `KGBUILD_ENDPOINT_TOKEN` (bearer), else `KGBUILD_ENDPOINT_USER` /
  `KGBUILD_ENDPOINT_PASSWORD` (Basic), else the ~/.netrc entry of the host; they are
  checked before anything is sent (no line breaks or control characters, a token in the
  RFC 6750 alphabet) and never appear in a message: errors name the variable, not its value,
  and whatever a server answers is redacted before it is shown.
- URLs are http(s) without `user:password@`.
- Redirects: only 307/308 to the same scheme, host and port are followed, with the same
  method and body; any other redirect (one that would drop the body, or lead to another
  server) is an error naming where it pointed. Success is a 2xx answer, nothing else.
- Size: an answer is read in pieces and stops at `max_answer` bytes (`--max-answer`,
  default `MAX_ANSWER`), or at once when its Content-Length says it is larger; an answer
  that is not kept (a push's) is dropped piece by piece as it arrives, and of an error
  answer only its start is read.
- Time: an exchange — connect, send, the whole answer, redirects — ends by its limit however
  slowly the server drips its answer (a watchdog shuts the socket), and an optional
  `Deadline` bounds a series of exchanges (a whole push).
"""
from __future__ import annotations

import functools
import http.client
import logging
import socket
import ssl
import string
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from typing import cast

from .. import __version__
from ..errors import EndpointConnectionError, EndpointError, EndpointHTTPError
from .credentials import CREDENTIAL_HINT, check_url, credentials, public_url, redact

log = logging.getLogger(__name__)

#: Redirects followed per request (307/308 to the same server only).
MAX_REDIRECTS = 5
#: Bytes of an answer read at most, unless the caller says otherwise (--max-answer).
MAX_ANSWER = 256 * 2**20
#: Bytes read at a time; and of an error answer, only this much is read.
_PIECE = 2**20


class Deadline:
    """A moment by which a series of requests must be over (`seconds` None or 0: never).

    Args:
        seconds: from now.
        name: how the limit is called in messages (e.g. "--deadline").
    """

    def __init__(self, seconds: float | None, name: str = "deadline"):
        self.seconds = seconds or None
        self.name = name
        self.end = time.monotonic() + seconds if seconds else None

    def remaining(self) -> float | None:
        """Seconds left (at least 0), or None without a limit."""
        return None if self.end is None else max(0.0, self.end - time.monotonic())


# -- URLs and credentials ----------------------------------------------------------------
@functools.lru_cache(maxsize=2)
def _tls_context(insecure: bool) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if insecure:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


class _Watchdog:
    """Shuts down the sockets of one exchange when its time is up, so that a server that
    drips its answer byte by byte cannot hold a blocking read forever."""

    def __init__(self, seconds: float | None):
        self.fired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = None
        if seconds is not None:
            self._timer = threading.Timer(seconds, self._fire)
            self._timer.daemon = True
            self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.fired:
                _shut(sock)

    def _fire(self) -> None:
        with self._lock:
            if self._timer is None:
                return
            self.fired = True
            for sock in self._sockets:
                _shut(sock)

    def stop(self) -> bool:
        """Disarm; True when the time ran out."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            self._sockets.clear()
            return self.fired


def _shut(sock: socket.socket) -> None:
    try:  # the plain socket call, also for TLS sockets: wakes a blocked read on any thread
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass


def _watched(base: type, watchdog: _Watchdog):
    """A subclass of an http.client connection class whose sockets the watchdog knows."""

    class Connection(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._create_connection = self._create_watched

        def _create_watched(self, *args, **kwargs):
            sock = socket.create_connection(*args, **kwargs)
            watchdog.watch(sock)
            return sock

        if issubclass(base, http.client.HTTPSConnection):
            def connect(self):  # as HTTPSConnection.connect, the TLS socket watched too
                http.client.HTTPConnection.connect(self)
                server_hostname = self._tunnel_host or self.host
                plain = self.sock  # type: ignore[has-type]  # (set by HTTPConnection.connect)
                self.sock = self._context.wrap_socket(plain, server_hostname=server_hostname,
                                                      do_handshake_on_connect=False)
                watchdog.watch(self.sock)
                self.sock.do_handshake()

    return Connection


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects come back as HTTPError, for `send` to decide on."""

    def http_error_302(self, req, fp, code, msg, headers):
        return None

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, watchdog: _Watchdog):
        super().__init__()
        self._watchdog = watchdog

    def http_open(self, req):
        return self.do_open(_watched(http.client.HTTPConnection, self._watchdog), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, watchdog: _Watchdog, context: ssl.SSLContext):
        super().__init__(context=context)
        self._watchdog = watchdog

    def https_open(self, req):
        return self.do_open(_watched(http.client.HTTPSConnection, self._watchdog), req,
                            context=self._context)  # type: ignore[attr-defined]  # (set by __init__)


class _Expired(Exception):
    """The watchdog ended the exchange."""


class _TooLarge(Exception):
    """The answer is longer than the caller's limit (`size`: its Content-Length, or None
    when that many bytes came without an end in sight)."""

    def __init__(self, size: int | None):
        super().__init__(size)
        self.size = size


def _read_answer(response, max_answer: int | None, keep: bool) -> bytearray:
    """The body of `response`, read in pieces; raises _TooLarge past `max_answer` bytes
    (at once when the Content-Length says so). Not `keep`: dropped as it arrives."""
    length = (response.headers.get("Content-Length") or "").strip()
    if max_answer is not None and length.isascii() and length.isdigit() and int(length) > max_answer:
        raise _TooLarge(int(length))
    body, size = bytearray(), 0
    while piece := response.read(_PIECE):
        size += len(piece)
        if max_answer is not None and size > max_answer:
            raise _TooLarge(None)
        if keep:
            body += piece
    return body


def _exchange(request: urllib.request.Request, seconds: float | None, insecure: bool,
              max_answer: int | None, keep: bool):
    """(body, content type) of a 2xx answer; raises HTTPError (also for 3xx), _Expired,
    _TooLarge, URLError, OSError or HTTPException."""
    watchdog = _Watchdog(seconds)
    opener = urllib.request.build_opener(_NoRedirects(), _HTTPHandler(watchdog),
                                         _HTTPSHandler(watchdog, _tls_context(insecure)))
    timeout = socket._GLOBAL_DEFAULT_TIMEOUT if seconds is None else max(seconds, 0.001)  # type: ignore[attr-defined]
    try:
        with opener.open(request, timeout=timeout) as response:
            body = _read_answer(response, max_answer, keep)
            content_type = response.headers.get_content_type()
    except urllib.error.HTTPError as err:
        if err.code < 300 or err.code >= 400:  # read the start of the error answer, still watched
            try:
                err.snippet = err.read(_PIECE).decode("utf-8", "replace")  # type: ignore[attr-defined]
            except (OSError, http.client.HTTPException):
                err.snippet = ""  # type: ignore[attr-defined]
        if watchdog.stop():
            raise _Expired() from None
        raise
    except KeyboardInterrupt:
        watchdog.stop()
        raise
    except (TimeoutError, socket.timeout):  # one read waited out all the time there was
        watchdog.stop()
        raise _Expired() from None
    except BaseException:
        if watchdog.stop():
            raise _Expired() from None
        raise
    if watchdog.stop():  # an answer without length, cut short: not an answer
        raise _Expired()
    return body, content_type


def _origin(url: str) -> tuple:
    parts = urllib.parse.urlsplit(url)
    return (parts.scheme.lower(), (parts.hostname or "").lower(),
            parts.port or (443 if parts.scheme.lower() == "https" else 80))


def send(method: str, url: str, *, data: bytes | None = None, content_type: str | None = None,
         accept: str | None = None, timeout: float | None = 60, deadline: Deadline | None = None,
         insecure: bool = False, max_answer: int | None = MAX_ANSWER,
         keep_answer: bool = True) -> tuple[bytearray, str]:
    """One HTTP request; returns (body, content type) of a 2xx answer.

    Args:
        timeout: seconds for the whole request (connect, send, the complete answer, any
            redirects); None or 0 for no limit.
        deadline: a limit shared with other requests (a whole push).
        max_answer: bytes of the answer read at most; None for no limit.
        keep_answer: False to read the answer to its end without keeping it (the body
            returned is empty).

    Raises:
        EndpointError: the answer is longer than `max_answer` bytes (reading stops there).
        EndpointHTTPError: a 4xx/5xx answer, or a redirect kgbuild does not follow.
        EndpointConnectionError: cannot connect, TLS failure, or the time ran out.
        EndpointError: a bad URL or unusable credentials (before anything is sent).
    """
    check_url(url)
    authorization, secrets = credentials(url)
    limit = Deadline(timeout, "timeout")
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        shown = public_url(current)
        server = shown.split("?", 1)[0]
        bound = min((d for d in (limit, deadline) if d is not None and d.end is not None),
                    key=lambda d: cast(float, d.end), default=None)
        seconds = bound.remaining() if bound is not None else None
        if seconds is not None and seconds <= 0:
            raise EndpointConnectionError(_out_of_time(server, bound))
        request = urllib.request.Request(current, data=data, method=method)
        request.add_header("User-Agent", f"kgbuild/{__version__}")
        if content_type:
            request.add_header("Content-Type", content_type)
        if accept:
            request.add_header("Accept", accept)
        if authorization:
            request.add_unredirected_header("Authorization", authorization)
        try:
            return _exchange(request, seconds, insecure, max_answer, keep_answer)
        except _Expired:
            raise EndpointConnectionError(_out_of_time(server, bound)) from None
        except _TooLarge as err:
            raise EndpointError(_too_large(server, err.size, max_answer)) from None
        except urllib.error.HTTPError as err:
            if 300 <= err.code < 400 and err.headers.get("Location"):
                err.close()
                code = err.code
                current = _follow(method, current, code, err.headers["Location"], secrets)
                continue
            snippet = redact(" ".join(getattr(err, "snippet", "").split()), secrets)[:200]
            hint = f"; {CREDENTIAL_HINT}" if err.code in (401, 403) else ""
            if 300 <= err.code < 400:
                hint = "; a redirect without a Location is no success"
            message = f"{shown}: HTTP {err.code} {' '.join(str(err.reason).split())}"
            raise EndpointHTTPError(redact(message + (f": {snippet}" if snippet else "") + hint,
                                           secrets), err.code) from None
        except urllib.error.URLError as err:
            reason = err.reason
        except (OSError, http.client.HTTPException) as err:  # resets, broken answers
            reason = err
        if isinstance(reason, (TimeoutError, socket.timeout)) and bound is not None:
            raise EndpointConnectionError(_out_of_time(server, bound))
        raise EndpointConnectionError(redact(f"cannot reach {server}: {_reason(reason)}", secrets))
    raise EndpointHTTPError(f"{public_url(url)}: more than {MAX_REDIRECTS} redirects; use the "
                            "final URL as the endpoint", code)


def _follow(method: str, url: str, code: int, location: str, secrets: Sequence[str]) -> str:
    """The URL a redirect leads to when kgbuild follows it (307/308, same server), else the
    `EndpointHTTPError` that says where it pointed and why it was not followed."""
    # as urllib does: http.client decoded the header as Latin-1; percent-encode what is not ASCII
    location = urllib.parse.quote(location.strip(), encoding="iso-8859-1", safe=string.punctuation)
    target = urllib.parse.urljoin(url, location)
    shown, there = public_url(url), redact(public_url(target), secrets)
    try:
        same_server = _origin(target) == _origin(url)
    except ValueError:
        same_server = False
    if not same_server:
        raise EndpointHTTPError(f"{shown}: HTTP {code} redirect to another server ({there}); "
                                "kgbuild does not follow it and sent nothing there — use that "
                                "URL as the endpoint if you trust it", code)
    if code not in (307, 308):
        raise EndpointHTTPError(f"{shown}: HTTP {code} redirect to {there} would resend the "
                                f"{method} as a GET without its data; not followed, so nothing "
                                "was sent there — use that URL as the endpoint", code)
    check_url(target)
    log.info("%s: HTTP %d redirect to %s; sending the %s there", shown, code, there, method)
    return target


def _out_of_time(server: str, bound: Deadline | None) -> str:
    assert bound is not None  # time runs out only with a bound
    if bound.name == "timeout":
        return (f"{server}: no complete answer within {bound.seconds:g} s (--timeout); the server "
                "is slow or stalled: try again later or allow more time")
    return (f"{server}: not finished within {bound.seconds:g} s ({bound.name}); the server is slow "
            "or stalled: try again later or allow more time")


def _too_large(server: str, size: int | None, max_answer: int | None) -> str:
    said = (f"says it is {size:,} bytes long" if size is not None
            else f"is longer than {max_answer:,} bytes")
    return (f"{server}: the answer {said} (--max-answer {max_answer:,}); reading stopped "
            "there. Is the URL right? For a query, ask for less (LIMIT), or raise --max-answer")


def _reason(reason: object) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused; is the server running, and is the URL right?"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return (f"TLS certificate not trusted ({reason.verify_message}); fix the certificate, "
                "or use --insecure for a test server")
    if isinstance(reason, socket.gaierror):
        return "unknown host name"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "timed out"
    return " ".join(str(reason).split())[:200] or type(reason).__name__
