"""Building a store from documents: extraction in character-bounded batches, each batch
written before the next is read, documents already stored skipped (`build_store`), and
finishing a build that was stopped (`finish_store`)."""
from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import GraphError
from ..extract.batches import MAX_CHARS_IN_FLIGHT, char_batches, extract_batch, pieces
from ..model import Document
from .oxigraph import DIRTY_NAME, GraphStore

log = logging.getLogger("kgbuild")


@dataclass
class BuildSummary:
    """What a store build did."""

    documents: int = 0
    skipped: int = 0
    replaced: int = 0
    events: int = 0
    triples: int = 0


def build_store(
    path: str | Path,
    documents: Iterable[Document],
    *,
    nlp=None,
    model: str | None = None,
    batch_size: int = 64,
    n_process: int = 1,
    replace: bool = False,
    on_document=None,
    max_chars: int = MAX_CHARS_IN_FLIGHT,
    statements: bool = False,
    min_confidence: float = 0.0,
) -> BuildSummary:
    """Extract events from `documents` and add them to the store at `path`.

    Documents whose id and content hash the store already holds are skipped (so an
    interrupted build resumes); changed documents, or all with `replace`, are re-extracted
    and replace their earlier version.

    Documents are parsed in batches of at most `batch_size` pieces (a document, or a
    100,000-character piece of a longer one) and `max_chars` characters, and each batch is
    written in one transaction before the next is read (see `kgbuild.extract.batches`), so memory
    does not grow with the length of a document. A document's hash is written with its
    last piece, so a build stopped inside a document redoes that document.

    Args:
        on_document: called as `on_document(document, number_of_events)` when a document's
            last piece is written (progress).
        max_chars: characters parsed and held at a time.
        statements, min_confidence: as for `kgbuild.extract_events`.
    """
    from ..nlp import load_pipeline

    if nlp is None:
        nlp = load_pipeline(model)
    summary = BuildSummary()
    with GraphStore(path) as store:
        known = store.document_hashes()
        partial = store.unfinished_documents()
        stale: list[str] = []

        def todo() -> Iterator[Document]:
            for doc in documents:
                digest = doc.content_hash()
                if not replace and known.get(doc.id) == digest:
                    summary.skipped += 1
                    continue
                if doc.id in known:
                    stale.append(doc.id)
                    summary.replaced += 1
                elif doc.id in partial:
                    stale.append(doc.id)
                yield doc

        events_of: dict[str, int] = {}
        for batch in char_batches(pieces(todo(), max_chars), max_chars=max_chars,
                                  max_pieces=batch_size):
            parsed = extract_batch(batch, nlp, n_process, statements=statements,
                                   min_confidence=min_confidence)
            if stale:
                store.remove_documents(list(stale))
                stale.clear()
            finished = [p.document for p, _ in parsed if p.last]
            docs = [d.stripped() for d in finished]
            events = [e for _, evs in parsed for e in evs]
            summary.triples += store.add_events(events, docs)
            summary.events += len(events)
            for piece, evs in parsed:
                events_of[piece.document.id] = events_of.get(piece.document.id, 0) + len(evs)
            for document in finished:
                summary.documents += 1
                if on_document is not None:
                    on_document(document, events_of.get(document.id, 0))
                events_of.pop(document.id, None)
        if stale:
            store.remove_documents(list(stale))
        store.finalize()
    return summary


def finish_store(path: str | Path, *, every_node: bool = False) -> bool:
    """Finish a store whose build stopped before the end (recount mentions and report
    dates, one label per node, the dyad index), for what its dirty file lists, or with
    `every_node` for the whole store (when that file cannot be trusted); returns False
    when it was finished already.

    Raises:
        GraphError: no store at `path`, or a dirty file that cannot be trusted (without
            `every_node`); StoreLockedError: a build is writing to it.
    """
    path = Path(path)
    if not path.is_dir() or not any(path.iterdir()):
        raise GraphError(f"{path}: no kgbuild store here")
    unfinished = (path / DIRTY_NAME).exists()
    with GraphStore(path, settle_all=every_node):  # a writer finishes a store when it opens it
        pass
    return unfinished
