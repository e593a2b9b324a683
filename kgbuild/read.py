"""Documents from `.txt` files, folders, JSON Lines (optionally gzipped) and stdin.

Readers stream: one `Document` at a time, so memory does not grow with the corpus.
Problems the user can fix raise `InputError` naming the file (and line for JSON Lines);
inside folders, files that are not text are skipped with a warning.
"""
from __future__ import annotations

import codecs
import gzip
import json
import logging
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from .errors import InputError
from .model import Document

log = logging.getLogger("kgbuild")

TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
_SNIFF = 8192


def read_documents(
    inputs: Iterable[str | Path], *, skip_bad: bool = False, stdin: IO[bytes] | None = None
) -> Iterator[Document]:
    """Yield documents from every input, in order.

    Args:
        inputs: paths of `.txt` / `.jsonl` / `.jsonl.gz` files or folders, or `-` for stdin.
        skip_bad: skip malformed JSON Lines records with a warning instead of stopping.
        stdin: a binary stream to read for `-` (default: `sys.stdin.buffer`).

    Raises:
        InputError: a path is missing, empty, not text, or a JSONL record is malformed.
    """
    for item in inputs:
        if str(item) == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _documents_from_bytes(stream.read(), "stdin", "<stdin>")
            continue
        path = Path(item)
        if path.is_dir():
            yield from _read_folder(path, skip_bad=skip_bad)
        elif path.is_file():
            yield from _read_file(path, skip_bad=skip_bad)
        elif path.exists():
            raise InputError(f"{path}: not a regular file or folder")
        else:
            raise InputError(f"{path}: no such file or folder")


def _read_folder(folder: Path, *, skip_bad: bool) -> Iterator[Document]:
    found = False
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if not _is_jsonl(path) and path.suffix.lower() not in TEXT_SUFFIXES:
            continue
        try:
            docs = list(_read_file(path, skip_bad=skip_bad))
        except _RecordError:
            raise
        except InputError as err:
            log.warning("skipped %s", err)
            continue
        found = found or bool(docs)
        yield from docs
    if not found:
        raise InputError(f"{folder}: no .txt or .jsonl files with text in this folder")


class _RecordError(InputError):
    """A malformed JSON Lines record (stops a folder read too, unless --skip-bad)."""


def _is_jsonl(path: Path) -> bool:
    return path.name.lower().endswith(JSONL_SUFFIXES)


def _read_file(path: Path, *, skip_bad: bool) -> Iterator[Document]:
    try:
        if path.name.lower().endswith(".gz"):
            with gzip.open(path, "rb") as fh:
                data = fh.read()
        else:
            data = path.read_bytes()
    except (OSError, EOFError) as err:
        reason = getattr(err, "strerror", None) or str(err)
        raise InputError(f"{path}: cannot read ({reason})") from None
    if _is_jsonl(path):
        yield from _jsonl_documents(decode_text(data, str(path)), path, skip_bad=skip_bad)
    else:
        yield from _documents_from_bytes(data, _doc_id(path), str(path))


def _doc_id(path: Path) -> str:
    return path.name[: -len(path.suffix)] if path.suffix else path.name


def _documents_from_bytes(data: bytes, doc_id: str, source: str) -> Iterator[Document]:
    text = decode_text(data, source)
    if not text.strip():
        raise InputError(f"{source}: the file is empty; give it some text")
    yield Document(id=doc_id, text=text, source=source)


def decode_text(data: bytes, source: str) -> str:
    """Decode bytes as text: UTF-8 (with or without BOM), UTF-16/32 with BOM, or a
    detected legacy encoding (with a warning).

    Raises:
        InputError: the bytes look binary (PDF, image, compressed data).
    """
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                break
    if b"\x00" in data[:_SNIFF] or data[:5] == b"%PDF-":
        raise InputError(f"{source}: looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    guess = _detect_encoding(data)
    if guess is None:
        raise InputError(f"{source}: not UTF-8 text and the encoding could not be detected; "
                         "convert it to UTF-8")
    log.warning("%s: not UTF-8; decoded as %s", source, guess)
    return data.decode(guess, errors="replace")


def _detect_encoding(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - charset_normalizer comes with spaCy's requests
        return "latin-1"
    best = from_bytes(data[:200_000]).best()
    return best.encoding if best is not None else None


def _jsonl_documents(text: str, path: Path, *, skip_bad: bool) -> Iterator[Document]:
    bad = good = 0
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            doc = _record_document(line, path)
        except InputError as err:
            message = f"{path}, line {lineno}: {err}"
            if not skip_bad:
                raise _RecordError(message + " (use --skip-bad to skip bad lines)") from None
            log.warning("skipped %s", message)
            bad += 1
            continue
        good += 1
        yield doc
    if bad:
        log.warning("%s: %d good records, %d bad records skipped", path, good, bad)
    if not good and not bad:
        raise InputError(f"{path}: the file has no records")


def _record_document(line: str, path: Path) -> Document:
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as err:
        raise InputError(f"bad JSON ({err.msg} at column {err.colno})") from None
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
    return Document(id=str(doc_id), text=text, source=str(path), **meta)
