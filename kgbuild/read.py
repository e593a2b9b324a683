"""Documents from `.txt` files, folders, JSON Lines (optionally gzipped) and stdin.

Readers stream: one `Document` at a time, so memory does not grow with the corpus.
Problems the user can fix raise `InputError` naming the file (and line for JSON Lines);
inside folders, files that are not text and folders that cannot be read are skipped with a
warning. JSON Lines are decoded record by record: a file in one legacy encoding is
detected (with a warning), but a line that is not UTF-8 in an otherwise UTF-8 file is a
bad record, not a reason to re-decode the whole file. Every document id may occur once per
run; dates must be ISO 8601 and are normalized to `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
"""
from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import logging
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, cast

from .decode import BOM_UTF8, SNIFF_BYTES, decode_text, detect_encoding, has_wide_bom, refuse_binary
from .errors import InputError
from .model import Document

log = logging.getLogger("kgbuild")

TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?")

#: Where a document came from: (file, line) for JSON Lines records, (file, None) otherwise.
Where = tuple[str, int | None]
#: Opens a JSON Lines input again from its start, as a binary stream.
Opener = Callable[[], IO[bytes]]
#: Bytes of the lines that are not UTF-8 that `detect_encoding` looks at.
_DETECT_BYTES = 200_000


def read_documents(
    inputs: Iterable[str | Path], *, skip_bad: bool = False, stdin: IO[bytes] | None = None
) -> Iterator[Document]:
    """Yield documents from every input, in order.

    Args:
        inputs: paths of `.txt` / `.jsonl` / `.jsonl.gz` files or folders, or `-` for stdin.
        skip_bad: skip malformed JSON Lines records (and records whose id was already
            read) with a warning instead of stopping.
        stdin: a binary stream to read for `-` (default: `sys.stdin.buffer`).

    Raises:
        InputError: a path is missing, empty, not text, a JSONL record is malformed, or
            two documents have the same id.
    """
    return _Reader(skip_bad=skip_bad, stdin=stdin).documents(inputs)


class CheckedDocuments:
    """The documents of `inputs`, all read once when this object is made, so that bad
    input stops a run before anything is extracted or written; iterating reads them again
    (quietly: warnings were given by the first reading).

    Attributes:
        count: the number of documents.
    """

    def __init__(self, inputs: Iterable[str | Path], *, skip_bad: bool = False,
                 stdin: IO[bytes] | None = None):
        self.inputs = list(inputs)
        self.skip_bad = skip_bad
        self._stdin = None
        if any(str(item) == "-" for item in self.inputs):
            self._stdin = (stdin if stdin is not None else sys.stdin.buffer).read()
        self.count = sum(1 for _ in _Reader(skip_bad=skip_bad, stdin_data=self._stdin)
                         .documents(self.inputs))

    def __iter__(self) -> Iterator[Document]:
        return _Reader(skip_bad=self.skip_bad, stdin_data=self._stdin, warn=False) \
            .documents(self.inputs)


class StopOnError:
    """Documents that end, rather than raise, when reading them fails; `check()` raises the
    error afterwards.

    A spaCy pool (`n_process` > 1) that sees its input raise can deadlock with its workers
    blocked on a full pipe; a stream that simply ends lets the pool finish the documents it
    holds and stop its workers.
    """

    def __init__(self, documents: Iterable[Document]):
        self._documents = documents
        self.error: BaseException | None = None

    def __iter__(self) -> Iterator[Document]:
        try:
            yield from self._documents
        except Exception as err:  # noqa: BLE001 - raised again by check()
            self.error = err

    def check(self) -> None:
        """Raise the error that ended the documents, if any."""
        if self.error is not None:
            raise self.error


def normalize_date(value: str) -> str:
    """An ISO 8601 date or date-time as the date kgbuild stores: `YYYY-MM-DD` (a date-time
    gives its date as written, whatever its time zone), or `YYYY-MM` / `YYYY` for a
    partial date. Years run from 0001 to 9999.

    Raises:
        InputError: anything else ("2024-13", "2024-02-30", "garbage", year 0 or 99999).
    """
    text = value.strip()
    partial = _PARTIAL_DATE.fullmatch(text)
    try:
        if partial:
            year, month = partial.groups()
            dt.date(int(year), int(month or 1), 1)
            return text
        if len(text) >= 8 and text[:4].isdigit():
            if len(text) <= 10:
                return dt.date.fromisoformat(text).isoformat()
            return dt.datetime.fromisoformat(text).date().isoformat()
    except ValueError:
        pass
    shown = text if len(text) <= 40 else text[:40] + "…"
    raise InputError(f"{shown!r} is not an ISO date (YYYY-MM-DD, YYYY-MM or YYYY, years "
                     "0001-9999) or date-time (YYYY-MM-DDTHH:MM:SS)")


class _RecordError(InputError):
    """A malformed JSON Lines record (stops a folder read too, unless --skip-bad)."""


def _is_jsonl(path: Path) -> bool:
    return path.name.lower().endswith(JSONL_SUFFIXES)


def _doc_id(path: Path) -> str:
    return path.name[: -len(path.suffix)] if path.suffix else path.name


def _shown(where: Where) -> str:
    return where[0] if where[1] is None else f"{where[0]}, line {where[1]}"


class _Reader:
    """One reading of some inputs: options, the ids seen so far, warnings on or off."""

    def __init__(self, *, skip_bad: bool, stdin: IO[bytes] | None = None,
                 stdin_data: bytes | None = None, warn: bool = True):
        self.skip_bad = skip_bad
        self.stdin = stdin
        self.stdin_data = stdin_data
        self.warn = warn
        self.seen: dict[str, Where] = {}

    def _warning(self, message: str, *args) -> None:
        if self.warn:
            log.warning(message, *args)

    def documents(self, inputs: Iterable[str | Path]) -> Iterator[Document]:
        for doc, where in self._located(inputs):
            first = self.seen.get(doc.id)
            if first is not None:
                message = (f"{_shown(where)}: duplicate id '{doc.id}' (already used at "
                           f"{_shown(first)})")
                if not self.skip_bad:
                    raise InputError(message + "; give every document its own id, or use "
                                     "--skip-bad to keep the first")
                self._warning("skipped %s", message)
                continue
            self.seen[doc.id] = where
            yield doc

    def _located(self, inputs: Iterable[str | Path]) -> Iterator[tuple[Document, Where]]:
        for item in inputs:
            if str(item) == "-":
                data = self.stdin_data
                if data is None:
                    data = (self.stdin if self.stdin is not None else sys.stdin.buffer).read()
                yield from self._text_document(data, "stdin", "<stdin>")
                continue
            path = Path(item)
            if path.is_dir():
                yield from self._folder(path)
            elif path.is_file():
                yield from self._file(path)
            elif path.exists():
                raise InputError(f"{path}: not a regular file or folder")
            else:
                raise InputError(f"{path}: no such file or folder")

    def _folder(self, folder: Path) -> Iterator[tuple[Document, Where]]:
        found = False
        for path in self._folder_files(folder):
            if not _is_jsonl(path) and path.suffix.lower() not in TEXT_SUFFIXES:
                continue
            taken = 0
            try:
                for located in self._file(path):
                    taken += 1
                    yield located
            except _RecordError:
                raise
            except InputError as err:
                if taken:  # records of it are out already: the file cannot be skipped whole
                    raise
                self._warning("skipped %s", err)
                continue
            found = found or bool(taken)
        if not found:
            raise InputError(f"{folder}: no .txt or .jsonl files with text in this folder")

    def _folder_files(self, folder: Path) -> list[Path]:
        def failed(err: OSError) -> None:
            reason = err.strerror or str(err)
            if Path(err.filename) == folder:
                raise InputError(f"{folder}: cannot read this folder ({reason})")
            self._warning("skipped %s: cannot read this folder (%s)", err.filename, reason)

        files = [Path(root, name) for root, _, names in os.walk(folder, onerror=failed)
                 for name in names]
        return sorted(p for p in files if p.is_file())

    def _file(self, path: Path) -> Iterator[tuple[Document, Where]]:
        gzipped = path.name.lower().endswith(".gz")

        def opened() -> IO[bytes]:
            return cast(IO[bytes], gzip.open(path, "rb")) if gzipped else open(path, "rb")

        try:
            if _is_jsonl(path):  # read a line at a time: memory is the longest record's
                yield from self._jsonl(opened, path)
                return
            with opened() as fh:
                data = fh.read()
        except (OSError, EOFError) as err:
            reason = getattr(err, "strerror", None) or str(err)
            raise InputError(f"{path}: cannot read ({reason})") from None
        yield from self._text_document(data, _doc_id(path), str(path))

    def _text_document(self, data: bytes, doc_id: str, source: str
                       ) -> Iterator[tuple[Document, Where]]:
        text = decode_text(data, source)
        if not text.strip():
            raise InputError(f"{source}: the file is empty; give it some text")
        yield Document(id=doc_id, text=text, source=source), (source, None)

    def _jsonl(self, opened: Opener, path: Path) -> Iterator[tuple[Document, Where]]:
        source = str(path)
        bad = good = 0
        for lineno, line, problem in self._jsonl_lines(opened, path):
            try:
                if problem is not None:
                    raise InputError(problem)
                doc = _record_document(line, source)
            except InputError as err:
                message = f"{path}, line {lineno}: {err}"
                if not self.skip_bad:
                    raise _RecordError(message + " (use --skip-bad to skip bad lines)") from None
                self._warning("skipped %s", message)
                bad += 1
                continue
            if not doc.text.strip():
                self._warning("%s, line %d: 'text' is empty; the record gives no events",
                              path, lineno)
            good += 1
            yield doc, (source, lineno)
        if bad:
            self._warning("%s: %d good records, %d bad records skipped", path, good, bad)
        if not good and not bad:
            raise InputError(f"{path}: the file has no records")

    def _jsonl_lines(self, opened: Opener, path: Path) -> Iterator[tuple[int, str, str | None]]:
        """(line number, text, problem) of every line that is not blank, read one line at a
        time from the stream `opened()` gives (opened again to judge a line that is not
        UTF-8, see `_legacy_encoding`)."""
        with opened() as fh:
            head = fh.read(SNIFF_BYTES)
        if has_wide_bom(head):  # UTF-16/32: decoded whole, as a text file is
            with opened() as fh:
                text = decode_text(fh.read(), str(path))
            for lineno, line in enumerate(text.split("\n"), 1):
                if line.strip():
                    yield lineno, line, None
            return
        refuse_binary(head, str(path))
        judged, guess = False, None
        with opened() as fh:
            for lineno, raw in enumerate(fh, 1):
                raw = raw.removesuffix(b"\n")
                if lineno == 1:
                    raw = raw.removeprefix(BOM_UTF8)
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as err:
                    if not judged:
                        judged, guess = True, self._legacy_encoding(opened, path)
                    if guess is not None:
                        yield lineno, raw.decode(guess, errors="replace"), None
                    else:
                        yield lineno, "", (f"not UTF-8 (byte 0x{raw[err.start]:02x} at byte "
                                           f"{err.start + 1}) while the rest of the file is; "
                                           "save this record as UTF-8")
                    continue
                if line.strip():
                    yield lineno, line, None

    def _legacy_encoding(self, opened: Opener, path: Path) -> str | None:
        """For a JSON Lines file with lines that are not UTF-8: None when other lines are
        UTF-8 beyond ASCII (those lines are bad records), else the legacy encoding the file
        is in, detected from those lines (with a warning), read again a line at a time.

        Raises:
            InputError: the encoding cannot be detected.
        """
        bad: list[int] = []
        sample = bytearray()
        with opened() as fh:
            for lineno, raw in enumerate(fh, 1):
                try:
                    line = raw.removeprefix(BOM_UTF8 if lineno == 1 else b"").decode("utf-8")
                except UnicodeDecodeError:
                    bad.append(lineno)
                    if len(sample) < _DETECT_BYTES:
                        sample += raw
                    continue
                if not line.isascii():
                    return None
        guess = detect_encoding(bytes(sample))
        if guess is None:
            raise InputError(f"{path}: not UTF-8 text and the encoding could not be "
                             "detected; convert it to UTF-8")
        lines = ", ".join(str(n) for n in bad[:5]) + (" …" if len(bad) > 5 else "")
        self._warning("%s: not UTF-8; decoded as %s (line%s %s)", path, guess,
                      "s" if len(bad) > 1 else "", lines)
        return guess


def jsonl_lines(data: bytes, source: str | Path, *, warn: bool = True
                ) -> Iterator[tuple[int, str, str | None]]:
    """(line number, text, problem) of every line of JSON Lines bytes that is not blank,
    decoded as the document reader decodes them (a line that is not UTF-8 in a UTF-8 file
    comes with its problem instead of its text)."""
    return _Reader(skip_bad=False, warn=warn)._jsonl_lines(lambda: io.BytesIO(data), Path(source))


def parse_json(line: str) -> object:
    """One JSON Lines record parsed, with the reader's one-line messages (`InputError`)."""
    try:
        return json.loads(line)
    except json.JSONDecodeError as err:
        raise InputError(f"bad JSON ({err.msg} at column {err.colno})") from None
    except RecursionError:
        raise InputError("bad JSON (nested too deeply)") from None
    except ValueError:  # Python's limit on the digits of an integer
        raise InputError(f"bad JSON (a number with more than {sys.get_int_max_str_digits()} "
                         "digits)") from None


def _record_document(line: str, source: str) -> Document:
    rec = parse_json(line)
    if not isinstance(rec, dict):
        raise InputError("a record must be a JSON object with 'id' and 'text'")
    text = rec.get("text")
    if not isinstance(text, str):
        raise InputError("'text' is missing or not a string")
    doc_id = rec.get("id")
    if not isinstance(doc_id, (str, int)) or isinstance(doc_id, bool) or str(doc_id) == "":
        raise InputError("'id' is missing or not a string")
    meta = {}
    for key in ("date", "url", "title"):
        value = rec.get(key)
        if value is not None and not isinstance(value, str):
            raise InputError(f"'{key}' must be a string")
        meta[key] = value
    if meta["date"] is not None and not meta["date"].strip():
        meta["date"] = None  # an empty date is an unknown one
    if meta["date"] is not None:
        try:
            meta["date"] = normalize_date(meta["date"])
        except InputError as err:
            raise InputError(f"'date': {err}") from None
    return Document(id=str(doc_id), text=text, source=source, **meta)
