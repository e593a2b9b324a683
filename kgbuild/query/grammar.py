"""rdflib's SPARQL parser made safe to call from a server (issue 26, items 12, 14, 16).

- One parse at a time: pyparsing finds out how many arguments each parse action takes by
  calling it and catching `TypeError`, and keeps what it found; two threads parsing at once
  leave wrong counts behind (`Param.postParse2() missing 1 required positional argument`)
  and every later parse fails. A lock serializes `exclusive` work.
- Within a deadline: pyparsing is pure Python, so a time limit set with `time_limit` is
  kept by a trace function of the parsing thread that ends the work at its next function
  call once the time is up (in that thread, so the lock is always released).
- A basic graph pattern read without recursion: rdflib's `TriplesBlock` recurses once per
  `.` (about ten frames a triple pattern), so some 100 patterns exhausted Python's stack.
  It is replaced by the loop the SPARQL grammar's rule [55] allows.
"""
from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from pyparsing import Optional, Suppress, ZeroOrMore
from rdflib.plugins.sparql import parser as _parser
from rdflib.plugins.sparql.parserutils import ParamList

from ..errors import QueryTimeoutError

T = TypeVar("T")

# [55] TriplesBlock ::= TriplesSameSubjectPath ( '.' TriplesBlock? )?, as a loop: the same
# sentences (one optional `.` at the end), the same parse ("triples", one entry a pattern).
_parser.TriplesBlock <<= (
    ParamList("triples", _parser.TriplesSameSubjectPath)
    + ZeroOrMore(Suppress(".") + ParamList("triples", _parser.TriplesSameSubjectPath))
    + Optional(Suppress(".")))

_LOCK = threading.Lock()
#: (deadline on the monotonic clock, the timeout it came from) of the enclosing `time_limit`.
_LIMIT: ContextVar[tuple[float, float] | None] = ContextVar("kgbuild_parse_limit", default=None)


class _OutOfTime(BaseException):
    """Raised by the trace function; a BaseException, so no `except Exception` swallows it."""


@contextmanager
def time_limit(timeout: float | None) -> Iterator[None]:
    """`exclusive` work started in this block (this thread) ends `timeout` seconds from now
    (None or 0: no limit), waiting for the lock included."""
    token = _LIMIT.set((time.monotonic() + timeout, timeout) if timeout else None)
    try:
        yield
    finally:
        _LIMIT.reset(token)


#: Modules whose frames the time limit may stop (rdflib's SPARQL parser and pyparsing).
PARSER_MODULES = ("pyparsing", "rdflib")


def exclusive(work: Callable[[], T]) -> T:
    """`work()` (a parse with rdflib's grammar and whatever else uses it), one at a time in
    this process, ended at the deadline of the enclosing `time_limit`.

    Raises:
        QueryTimeoutError: the lock or the work took longer than the time limit.
    """
    limit = _LIMIT.get()
    if limit is None:
        with _LOCK:
            return work()
    deadline, timeout = limit
    previous = sys.gettrace()

    def trace(frame, event, arg):
        # raised only in the parser's own frames: raised in a frame Python calls on its own
        # (a gc callback), it would be swallowed and the trace switched off for good
        if event == "call" and time.monotonic() > deadline and \
                frame.f_globals.get("__name__", "").startswith(PARSER_MODULES):
            raise _OutOfTime
        return previous(frame, event, arg) if previous is not None else None

    if not _LOCK.acquire(timeout=max(0.0, deadline - time.monotonic())):
        raise _timeout(timeout)
    try:
        sys.settrace(trace)
        return work()
    except _OutOfTime:
        raise _timeout(timeout) from None
    finally:
        sys.settrace(previous)
        _LOCK.release()


def _timeout(timeout: float) -> QueryTimeoutError:
    return QueryTimeoutError(f"checking the query took longer than {timeout:g} s and was "
                             "stopped; write a shorter query (long expressions and lists take "
                             "the parser longest) or allow more time (--timeout SECONDS)")
