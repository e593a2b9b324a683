"""The event JSON contract as records: written by `kgbuild extract`, read back (checked,
field by field) to build graphs and stores without parsing the text again.

A record is `Event.to_dict()` plus a `document` object with the metadata of the
document the event comes from (`id`, `date`, `url`, `title`, `source`, `sha256` of the
text, and `date_text` when the date was read from the text), so a graph built from
records equals the graph built from the text (`kgbuild.jobs.records` builds them). Records
without `document` are accepted (the graph then knows only the document id and date).
Never imports spaCy.
"""
from __future__ import annotations

import gzip
import io
import json
import logging
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import IO, Any, cast

from .errors import InputError
from .model import CONTENT_MODES, MODALITIES, Document, Event
from .read import jsonl_lines, normalize_date, parse_json

__all__ = ["EventRecord", "event_record", "read_events", "read_event_records",
           "is_event_record", "is_event_input"]

log = logging.getLogger("kgbuild")

#: Fields that make a JSON object an event record (a text record has `id` and `text`).
EVENT_FIELDS = ("doc", "sentence", "actor", "action")


@dataclass(frozen=True)
class Kind:
    """What a field of a record may hold: `test` of the parsed JSON value, and what the
    error message says the field must be."""

    must_be: str
    test: Callable[[object], bool]


def _whole(low: int, high: int, must_be: str) -> Kind:
    return Kind(must_be, lambda v: type(v) is int and low <= v <= high)


def _number(low: float, high: float) -> Kind:  # NaN and Infinity fail the comparison
    return Kind(f"a number from {low:g} to {high:g}",
                lambda v: type(v) in (int, float) and low <= cast(float, v) <= high)


def _pattern(regex: str, must_be: str) -> Kind:
    pattern = re.compile(regex)
    return Kind(must_be, lambda v: isinstance(v, str) and pattern.fullmatch(v) is not None)


def _is_date(value: object) -> bool:
    try:
        return isinstance(value, str) and bool(normalize_date(value))
    except InputError:
        return False


_ISO_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def _is_time_value(value: object) -> bool:
    """A date as `kgbuild.extract.timex` resolves one: YYYY-MM-DD, YYYY-MM or YYYY, or
    an interval of two."""
    if not isinstance(value, str) or value.count("/") > 1:
        return False
    return all(_ISO_DATE.fullmatch(part) and _is_date(part) for part in value.split("/"))

#: One kind a field type; a field of a record names its kind in `_ENTITY` / `_PARTS` below.
TEXT = Kind("a string", lambda v: isinstance(v, str))
TEXTS = Kind("a list of strings", lambda v: isinstance(v, list) and all(isinstance(c, str) for c in v))
FLAG = Kind("true or false", lambda v: isinstance(v, bool))
OBJECT = Kind("a JSON object", lambda v: isinstance(v, dict))
OFFSET = _whole(0, 10**15, "a whole number from 0 to 10^15 (a character offset)")
GEONAMES_ID = _whole(1, 10**10, "a GeoNames id (a whole number from 1 to 10^10)")
QUAD_CLASS = _whole(0, 4, "a quad class (a whole number from 0 to 4)")
LATITUDE, LONGITUDE = _number(-90, 90), _number(-180, 180)
GOLDSTEIN, CONFIDENCE = _number(-10, 10), _number(0, 1)
CAMEO_CODE = _pattern(r"[0-9]{2,4}", 'a CAMEO code: 2 to 4 digits ("19", "0234")')
WIKIDATA_ID = _pattern(r"Q[1-9][0-9]{0,11}", 'a Wikidata id ("Q159")')
SHA256 = _pattern(r"[0-9a-fA-F]{64}", "a SHA-256 digest (64 hexadecimal digits)")
MODALITY = Kind(f"one of {', '.join(MODALITIES)}", lambda v: isinstance(v, str) and v in MODALITIES)
CONTENT_MODE = Kind(f"one of {', '.join(CONTENT_MODES)}",
                    lambda v: isinstance(v, str) and v in CONTENT_MODES)
DATE = Kind("an ISO date (YYYY-MM-DD, YYYY-MM or YYYY, years 0001-9999) or date-time "
            "(YYYY-MM-DDTHH:MM:SS)", _is_date)
TIME_VALUE = Kind("an ISO date (YYYY-MM-DD, YYYY-MM or YYYY, years 0001-9999) or two joined "
                  "by '/' (an interval)", _is_time_value)
DOC_ID = Kind("a string or a whole number", lambda v: type(v) in (str, int) and str(v) != "")

#: field -> (kind, required), or the spec of a part within the part, for each part of a record.
_ENTITY = {"text": (TEXT, True), "label": (TEXT, True), "type": (TEXT, False),
           "country": (TEXT, False), "role": (TEXT, False), "cameo_org": (TEXT, False),
           "key": (TEXT, False), "wikidata": (WIKIDATA_ID, False), "start": (OFFSET, False),
           "end": (OFFSET, False), "geonames": (GEONAMES_ID, False), "lat": (LATITUDE, False),
           "lon": (LONGITUDE, False), "feature_kind": (TEXT, False)}
_EVENT_TYPE = {"code": (CAMEO_CODE, True), "label": (TEXT, True), "root": (CAMEO_CODE, True),
               "plover": (TEXT, False), "plover_mode": (TEXT, False),
               "plover_context": (TEXTS, False), "goldstein": (GOLDSTEIN, False),
               "quad_class": (QUAD_CLASS, False)}
_PARTS: dict[str, dict] = {
    "sentence": {"text": (TEXT, True), "start": (OFFSET, True), "end": (OFFSET, True)},
    "action": {"text": (TEXT, True), "lemma": (TEXT, True), "start": (OFFSET, False),
               "end": (OFFSET, False)},
    "time": {"text": (TEXT, True), "value": (TIME_VALUE, False)},
    "event_type": _EVENT_TYPE,
    "content": {"text": (TEXT, True), "lemma": (TEXT, True), "mode": (CONTENT_MODE, False),
                "actor": _ENTITY, "target": _ENTITY, "recipient": _ENTITY,
                "event_type": _EVENT_TYPE},
    "document": {"id": (TEXT, True), "date": (DATE, False), "url": (TEXT, False),
                 "title": (TEXT, False), "source": (TEXT, False), "sha256": (SHA256, False),
                 "date_text": (TEXT, False)},
}
#: Fields of the record itself: (kind, default when absent; None: may be absent or null).
_TOP = {"modality": (MODALITY, "asserted"), "negated": (FLAG, False),
        "confidence": (CONFIDENCE, 0.5), "explanation": (TEXT, ""), "extra": (OBJECT, None),
        "doc_date": (DATE, None)}
_ENTITY_SLOTS = ("actor", "target", "recipient", "location", "attribution", "instrument")
_REQUIRED_PARTS = ("sentence", "actor", "action")


@dataclass(frozen=True)
class EventRecord:
    """One event read back, the metadata of its document (None when the record has no
    `document`), and where it was read (`source`, `line`)."""

    event: Event
    document: Document | None
    source: str
    line: int


def event_record(event: Event, document: Document | None = None) -> dict[str, Any]:
    """The JSON-ready record of an event: `event.to_dict()` and, given the document, a
    `document` object with its metadata (not its text; `sha256` is the text's hash)."""
    out = event.to_dict()
    if document is not None:
        out["document"] = {"id": document.id, "date": document.date, "url": document.url,
                           "title": document.title, "source": document.source,
                           "sha256": document.content_hash()}
        if document.date_text:  # the date was read from the text (--date-from-text)
            out["document"]["date_text"] = document.date_text
    return out


def is_event_record(record: object) -> bool:
    """True for a JSON object with the fields of an event record (and no `text`)."""
    return (isinstance(record, dict) and all(k in record for k in EVENT_FIELDS)
            and "text" not in record)


def is_event_input(inputs: Iterable[str | Path], *, stdin: bytes | None = None) -> bool:
    """True when every input is a JSON Lines file (or '-', stdin, whose bytes are `stdin`)
    whose first record is an event record; False when none is.

    Raises:
        InputError: some inputs hold events and others text.
    """
    kinds = {"<stdin>" if str(item) == "-" else str(item): _first_is_event(item, stdin)
             for item in inputs}
    if all(kinds.values()):
        return bool(kinds)
    if any(kinds.values()):
        events = next(k for k, v in kinds.items() if v)
        text = next(k for k, v in kinds.items() if not v)
        raise InputError(f"{events} holds extracted events but {text} does not; build events "
                         "and news text separately (or give --from-events to read all as events)")
    return False


def _first_is_event(item: str | Path, stdin: bytes | None) -> bool:
    try:
        if str(item) == "-":
            return _first_record_is_event(io.TextIOWrapper(io.BytesIO(stdin or b""),
                                                           encoding="utf-8", errors="replace"))
        path = Path(item)
        if not path.is_file() or not path.name.lower().endswith((".jsonl", ".jsonl.gz", ".json")):
            return False
        opener = gzip.open if path.name.lower().endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8", errors="replace") as fh:
            return _first_record_is_event(fh)
    except (OSError, EOFError, InputError):
        return False


def _first_record_is_event(lines: Iterable[str]) -> bool:
    for line in lines:
        if line.strip():
            return is_event_record(parse_json(line.lstrip("\ufeff")))
    return False


def read_events(path: str | Path, *, skip_bad: bool = False) -> Iterator[Event]:
    """The events of an events JSON Lines file (`.jsonl`, `.jsonl.gz`, or `-` for stdin)
    written by `kgbuild extract`, each record checked.

    Raises:
        InputError: the file cannot be read, or a record is malformed (naming the file,
            the line and the field), unless `skip_bad`, which skips it with a warning.
    """
    return (record.event for record in read_event_records([path], skip_bad=skip_bad))


def read_event_records(paths: Iterable[str | Path], *, skip_bad: bool = False,
                       stdin: IO[bytes] | None = None) -> Iterator[EventRecord]:
    """`EventRecord`s of every events file in order (see `read_events`)."""
    for path in paths:
        yield from _file_records(str(path), skip_bad, stdin)


def _file_records(path: str, skip_bad: bool, stdin: IO[bytes] | None) -> Iterator[EventRecord]:
    source = "<stdin>" if path == "-" else path
    try:
        if path == "-":
            data = (stdin if stdin is not None else sys.stdin.buffer).read()
        elif path.lower().endswith(".gz"):
            with gzip.open(path, "rb") as fh:
                data = fh.read()
        else:
            data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, EOFError) as err:
        raise InputError(f"{path}: cannot read ({getattr(err, 'strerror', None) or err})") from None
    good = bad = 0
    for lineno, line, problem in jsonl_lines(data, source):
        try:
            if problem is not None:
                raise InputError(problem)
            event, document = parse_record(parse_json(line))
        except InputError as err:
            message = f"{source}, line {lineno}: {err}"
            if not skip_bad:
                raise InputError(message + " (use --skip-bad to skip bad lines)") from None
            log.warning("skipped %s", message)
            bad += 1
            continue
        good += 1
        yield EventRecord(event, document, source, lineno)
    if bad:
        log.warning("%s: %d good records, %d bad records skipped", source, good, bad)
    if not good and not bad:
        raise InputError(f"{source}: the file has no records")


def parse_record(record: object) -> tuple[Event, Document | None]:
    """An event record (a parsed JSON object) checked and turned into an `Event` and its
    document's metadata.

    Raises:
        InputError: naming the first field that is missing or of the wrong type.
    """
    if not isinstance(record, dict):
        raise InputError("an event record must be a JSON object with 'doc', 'sentence', "
                         "'actor' and 'action'")
    _check_value(record.get("doc"), "doc", DOC_ID)
    for slot in _REQUIRED_PARTS:
        if record.get(slot) is None:
            raise InputError(f"'{slot}' is missing")
    for slot in _ENTITY_SLOTS:
        _check_part(record.get(slot), slot, _ENTITY)
    for name, spec in _PARTS.items():
        _check_part(record.get(name), name, spec)
    for name, (kind, default) in _TOP.items():
        _check_value(record.get(name, default), name, kind, optional=default is None)
    event = Event.from_dict(record)
    meta = record.get("document")
    if meta is None:
        return event, None
    if meta["id"] != event.doc:
        raise InputError(f"'document.id' ({meta['id']!r}) is not the event's 'doc' "
                         f"({event.doc!r})")
    names = {f.name for f in fields(Document)}
    return event, Document(text="", **{k: v for k, v in meta.items() if k in names and k != "text"})


def _check_part(value: object, name: str, spec: dict) -> None:
    if value is None:
        return
    if not isinstance(value, dict):
        raise InputError(f"'{name}' must be a JSON object or null")
    for key, rule in spec.items():
        if isinstance(rule, dict):  # a part within the part
            _check_part(value.get(key), f"{name}.{key}", rule)
        else:
            _check_value(value.get(key), f"{name}.{key}", rule[0], optional=not rule[1])


def _check_value(value: object, name: str, kind: Kind, *, optional: bool = False) -> None:
    if value is None:
        if optional:
            return
        raise InputError(f"'{name}' is missing")
    if not kind.test(value):
        raise InputError(f"'{name}' must be {kind.must_be} (got {_shown(value)})")
    for text in value if isinstance(value, list) else (value,):
        if isinstance(text, str) and _SURROGATE.search(text):
            raise InputError(f"'{name}' holds a lone surrogate ({_shown(text)}), which is "
                             "no Unicode character; fix the \\u escape that wrote it")


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _shown(value: object) -> str:
    """A value of a record for a one-line message (cut at 40 characters)."""
    try:
        text = json.dumps(value, ensure_ascii=True)  # NaN, Infinity as JSON writes them
    except ValueError:  # an integer too long to write
        return "a number too long to show"
    return text if len(text) <= 40 else text[:40] + "…"
