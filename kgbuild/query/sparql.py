"""SPARQL text before it runs: the saved queries, prefixes, checks (no updates, no SERVICE,
syntax errors with line and column), safe terms for bound values, and a time limit."""
from __future__ import annotations

import functools
import re
from importlib import resources

from rdflib import Literal, URIRef

from ..errors import QueryError, QueryTimeoutError
from ..graph.prefixes import prefix_namespaces, sparql_prefixes
from .grammar import exclusive, time_limit

UPDATE_REFUSED = "SPARQL updates are not allowed here; kgbuild query is read-only"

SERVICE_REFUSED = "SERVICE clauses are refused (they fetch remote URLs); use --allow-service"

def saved_queries() -> dict[str, str]:
    """Name -> text of the queries shipped in `kgbuild/query/saved/*.rq`."""
    return dict(_saved())

@functools.lru_cache(maxsize=1)
def _saved() -> dict[str, str]:
    """The saved queries, read once per process (not on every query)."""
    folder = resources.files("kgbuild.query").joinpath("saved")
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

class _Stopped(BaseException):
    """Raised inside an abandoned query thread to end its Python work."""

def bounded(work, timeout: float | None, *, until: float | None = None):
    """`work()` run in a helper thread, waited for at most `timeout` seconds (None or 0:
    no limit) in a way that Ctrl-C interrupts; its result or its exception. `until`: the
    end of the time on the monotonic clock, when it started before (a server's check).

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
            _drop_locals(err)
            box["error"] = err

    thread = threading.Thread(target=target, name="kgbuild-query", daemon=True)
    thread.start()
    end = (until or time.monotonic() + timeout) if timeout else None
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

def _drop_locals(err: BaseException) -> None:
    """Clear the variables of the frames `err` (and the errors it came from) went through,
    so that what they held is freed in this thread: Oxigraph's answers must be dropped in
    the thread that made them (else a second line, `RuntimeError: … PyQuerySolutions is
    unsendable, but is being dropped on another thread`, follows the error)."""
    import traceback

    seen: set[int] = set()
    todo: list[BaseException | None] = [err]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        traceback.clear_frames(current.__traceback__)
        todo += [current.__context__, current.__cause__]

def _stop(thread) -> None:
    """Raise `_Stopped` in `thread` at its next Python instruction (CPython's
    PyThreadState_SetAsyncExc; native code such as Oxigraph's runs on until it returns)."""
    import ctypes

    if thread.ident is not None and thread.is_alive():
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident),
                                                   ctypes.py_object(_Stopped))

def check_query(text: str, *, allow_service: bool = False, timeout: float | None = None):
    """Parse SPARQL query text and refuse what kgbuild never runs; returns the prepared query.

    The decision is taken on the parsed query (after the parser has expanded `\\u` escapes
    and dropped comments), never on the raw text: an update is text that does not parse as
    a query but does parse as an update; a SERVICE clause is a `ServiceGraphPattern`
    anywhere in the parse tree or the algebra (OPTIONAL, EXISTS, subqueries included).
    Shared by local (`run_query`), store and remote (`kgbuild.remote.remote_query`) queries.

    rdflib expands `\\u` escapes before it parses (as the SPARQL spec says); Oxigraph reads
    them inside strings and IRIs only, so `"\\u0022"` is a quote to one and a character of
    a string to the other, and the two would disagree on what is a string (issue 26). So an
    escape of a character SPARQL reads as syntax is refused first (`check_escapes`), and a
    SERVICE keyword is looked for a second way, on the text as Oxigraph reads it
    (`service_keyword`): either finding refuses the query.

    The parse ends after `timeout` seconds (None: no limit), and rdflib's grammar is used
    by one thread at a time (`kgbuild.query.grammar`, issue 26); a text checked before is
    answered at once.

    Raises:
        QueryError: an update request, a syntax error (with line and column), an escaped
            syntax character, or a `SERVICE` clause without `allow_service`.
        QueryTimeoutError: the check took longer than `timeout`.
    """
    with time_limit(timeout):
        return _checked(text, allow_service)

@functools.lru_cache(maxsize=256)
def _checked(text: str, allow_service: bool):
    """`check_query`, parsed once per text (the prepared query is reused; rdflib does not
    change it while evaluating); errors are not cached."""
    check_escapes(text)
    return exclusive(lambda: _parsed(text, allow_service))

def _parsed(text: str, allow_service: bool):
    """The parse and the decisions of `_checked`, run by `exclusive`."""
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
        namespaces = prefix_namespaces()
        prepared = translateQuery(tree, None, namespaces)
        prepared._original_args = (text, namespaces, None)  # as prepareQuery leaves it
    except Exception as err:  # noqa: BLE001 - unknown prefixes, bad aggregates ...
        raise QueryError(_syntax_message(err)) from None
    if not allow_service and (has_part(tree, "ServiceGraphPattern")
                              or has_part(prepared.algebra, "ServiceGraphPattern")
                              or service_keyword(text)):
        raise QueryError(SERVICE_REFUSED)
    return prepared

#: A `\u`/`\U` escape as rdflib finds one (either letter, 8 hex digits when there are, else
#: 4; anywhere, even after another backslash); Oxigraph reads `\u` + 4 and `\U` + 8 only.
_ESCAPE = re.compile(r"\\[uU]([0-9A-Fa-f]{4})([0-9A-Fa-f]{4})?")

def check_escapes(text: str) -> None:
    """Refuse a `\\u`/`\\U` escape of a character that SPARQL may read as syntax: anything
    but a letter, a digit, or a printable character beyond ASCII (so quotes, `<>{}#\\`,
    spaces, line breaks, controls), in a 4- or an 8-digit reading of the escape.

    Raises:
        QueryError: naming the escape and its character.
    """
    for m in _ESCAPE.finditer(text):
        short, long = m.group(1), m.group(1) + (m.group(2) or "")
        for digits in ((long,) if m.group().startswith("\\U") else (short, long)):
            point = int(digits, 16)
            if point <= 0x10FFFF and not _plain(chr(point)):
                raise QueryError(
                    f"the query writes {chr(point)!r} as {m.group()[:2]}{digits}: escaped "
                    "quotes, brackets, spaces and other SPARQL syntax are refused (engines "
                    "disagree on where such a string ends); write the character itself, as "
                    "\\\" or \\' inside a string")

def _plain(char: str) -> bool:
    import unicodedata

    return char.isalnum() or (char >= "\x80" and unicodedata.category(char)[0] not in "CZ")

#: What a lexer that leaves `\u` escapes alone (as Oxigraph does) steps over when it looks
#: for the SERVICE keyword: long strings, strings, comments, escaped characters of names,
#: and (in one of two readings, as `<` may also be less-than) IRIs.
_STRINGS = (r'"""(?:\\.|(?!""")[^\\])*(?:"""|\Z)', r"'''(?:\\.|(?!''')[^\\])*(?:'''|\Z)",
            r'"(?:\\.|[^"\\\n\r])*"?', r"'(?:\\.|[^'\\\n\r])*'?", r"#[^\n\r]*", r"\\.")
_IRIREF = r'<(?:[^\x00-\x20<>"{}|^`\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>'
_SKIPPED = [re.compile("|".join(_STRINGS + extra), re.S) for extra in ((_IRIREF,), ())]
_SERVICE = re.compile(r"(?<![\w:?$\\])SERVICE(?=[\s<?$]|\Z)", re.I)

def service_keyword(text: str) -> bool:
    """True when the SERVICE keyword stands outside the strings, comments and IRIs of
    `text` read without expanding escapes, in either reading of `<` (see `_SKIPPED`): the
    second check of `check_query`, which does not depend on rdflib's parse."""
    return any(_SERVICE.search(skipped.sub(" ", text)) for skipped in _SKIPPED)

def has_part(tree: object, name: str) -> bool:
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

kgbuild_prefixes = sparql_prefixes  # kgbuild's usual prefixes, as the store declares them

def with_prefixes(text: str) -> str:
    """Declare kgbuild's usual prefixes for engines without rdflib's initNs."""
    declared = {m.lower() for m in re.findall(r"PREFIX\s+([\w-]*):", text, re.I)}
    head = "".join(f"PREFIX {p}: <{n}>\n" for p, n in kgbuild_prefixes().items()
                   if p.lower() not in declared)
    return head + text

def bind_term(value: object):
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
