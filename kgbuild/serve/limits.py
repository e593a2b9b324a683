"""What one client may take of `kgbuild serve` (issue 26, items 11-13): the limits, their
documented defaults, and the reader that keeps a connection's deadline.

Every limit answers with a status and one line: a request not sent within
`request_timeout` is closed (408 once the request line has come), a connection over
`max_connections` gets 503, a body over `max_body` 413, a query text over `max_query`
characters 413, a query (its check included) over `timeout` 503, and an answer over
`max_answer` bytes is stopped there (507; in an HTML table, the rows so far, marked as
cut). Oxigraph evaluates lazily, so stopping the answer stops the evaluation, and no
answer holds more than `max_answer` bytes of memory.
"""
from __future__ import annotations

import io
import socket
import time
from dataclasses import dataclass

from ..errors import AnswerTooLarge

#: Largest POST body accepted (bytes); larger ones get 413.
MAX_BODY = 1_000_000
#: Longest query text checked (characters); longer ones get 413.
MAX_QUERY = 100_000
#: Largest answer sent (bytes); a larger one is stopped there.
MAX_ANSWER = 50_000_000
#: Seconds a client has to send its whole request, and to take each MB of the answer.
REQUEST_TIMEOUT = 30.0
#: Connections served at once (one thread each); more get 503 at once.
MAX_CONNECTIONS = 32
#: The answer is sent in pieces of this many bytes, each within `request_timeout`.
SEND_PIECE = 1_000_000


@dataclass(frozen=True)
class Limits:
    """The limits of one `kgbuild serve` (defaults above; `timeout` None: no limit)."""

    timeout: float | None = 60.0
    max_body: int = MAX_BODY
    max_query: int = MAX_QUERY
    max_answer: int = MAX_ANSWER
    request_timeout: float = REQUEST_TIMEOUT
    max_connections: int = MAX_CONNECTIONS


class DeadlineReader(io.RawIOBase):
    """A connection's bytes, readable until `deadline` (monotonic clock) and not after: each
    read waits at most the time left, so a client that sends its request a byte at a time
    cannot hold the connection longer than one sent all at once may be idle."""

    def __init__(self, sock: socket.socket, deadline: float):
        super().__init__()
        self.sock, self.deadline = sock, deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request did not arrive in time")
        self.sock.settimeout(left)
        return self.sock.recv_into(buffer)


class CappedSink:
    """A binary file for pyoxigraph to write an answer into, holding at most `cap` bytes:
    the write that would pass it raises `AnswerTooLarge` (Oxigraph then stops evaluating);
    a Python `write`, so a query stopped for time stops at the next piece written."""

    def __init__(self, cap: int):
        self.cap, self.data = cap, bytearray()

    def write(self, data) -> int:
        if len(self.data) + len(data) > self.cap:
            raise AnswerTooLarge
        self.data += data
        return len(data)

    def flush(self) -> None:
        pass
