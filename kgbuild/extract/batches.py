"""Extraction in batches bounded by characters, for builds whose memory must not grow with
the size of one document (`kgbuild.stores.building.build_store`).

Parsing memory grows with the text spaCy holds at once (about 300 MB per 100,000
characters with the small English pipeline), and a document's events grow with its
length. So documents are cut into the pieces `kgbuild.extract` parses them in (at most
`CHUNK_CHARS` characters, split at paragraph boundaries), the pieces are grouped into
batches of at most `max_chars` characters and `max_pieces` pieces, and each batch is
parsed and handed back with its events before the next batch is read: the text in flight
never exceeds `max_chars`. The events are the ones `extract_by_document` gives (same
pieces, same offsets).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from ..model import Document, Event

T = TypeVar("T")


#: Long documents are parsed in pieces of at most this many characters (split at
#: paragraph, then line, then sentence boundaries), far below spaCy's max_length.
CHUNK_CHARS = 100_000


def split_text(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """(offset, piece) pairs covering `text`, each piece at most `limit` characters."""
    out: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start: start + limit]
        cut = -1
        for sep in ("\n\n", "\n", ". ", " "):
            cut = window.rfind(sep)
            if cut > limit // 4:
                cut += len(sep)
                break
        if cut <= 0:
            cut = limit
        out.append((start, text[start: start + cut]))
        start += cut
    out.append((start, text[start:]))
    return out


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """`items` in lists of `size` (at least 1; the last one shorter), read lazily. Not
    spaCy's `minibatch`: the graph side (event records into a store) batches with this and
    must not load spaCy (tests/test_graph.py::test_graph_side_does_not_import_spacy)."""
    size = max(1, size)
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch

#: Characters of text parsed at a time by store builds (about 1.5 GB with en_core_web_sm).
MAX_CHARS_IN_FLIGHT = 500_000


@dataclass(frozen=True)
class Piece:
    """A piece of a document: its text, its offset in the document, and whether it is the
    document's last piece."""

    document: Document
    offset: int
    text: str
    last: bool


def pieces(documents: Iterable[Document], max_chars: int = MAX_CHARS_IN_FLIGHT) -> Iterator[Piece]:
    """The pieces of each document, in order, each at most `CHUNK_CHARS` (and `max_chars`)
    characters; a document is read from `documents` only when its first piece is needed."""
    limit = max(1, min(CHUNK_CHARS, max_chars))
    for document in documents:
        parts = split_text(document.text, limit)
        for n, (offset, text) in enumerate(parts):
            yield Piece(document, offset, text, n == len(parts) - 1)


def char_batches(items: Iterable[Piece], *, max_chars: int = MAX_CHARS_IN_FLIGHT,
                 max_pieces: int = 64) -> Iterator[list[Piece]]:
    """Consecutive pieces in lists of at most `max_pieces` pieces and `max_chars`
    characters (a single longer piece goes alone). Each list is made only when the
    previous one has been handed on, so at most one list is held at a time."""
    batch: list[Piece] = []
    chars = 0
    for piece in items:
        if batch and (chars + len(piece.text) > max_chars or len(batch) >= max_pieces):
            yield batch
            batch, chars = [], 0
        batch.append(piece)
        chars += len(piece.text)
    if batch:
        yield batch


def extract_batch(batch: list[Piece], nlp, n_process: int = 1, *,
                  statements: bool = False,
                  min_confidence: float = 0.0) -> list[tuple[Piece, list[Event]]]:
    """Parse the pieces of one batch (with `n_process` worker processes) and return each
    with its events, offsets into its whole document (`statements` and `min_confidence` as
    for `kgbuild.extract_events`)."""
    from .component import COMPONENT, call_options

    if COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(COMPONENT)
    docs = []
    for piece in batch:
        doc = nlp.make_doc(piece.text)
        doc._.kgbuild_meta = {"id": piece.document.id, "date": piece.document.date,
                              "offset": piece.offset}
        docs.append(doc)
    workers = max(1, min(n_process, len(docs)))
    size = -(-len(docs) // workers)
    parsed = nlp.pipe(docs, batch_size=size, n_process=workers,
                      component_cfg=call_options(statements=statements, min_confidence=min_confidence))
    return [(piece, list(doc._.events or ())) for piece, doc in zip(batch, parsed)]
