"""Building a store from documents: what every store build shares (`StoreIntake`: documents
already stored skipped, changed ones replaced, events written, settled at the end), the
local build (`build_store`: extraction in character-bounded batches, each batch written
before the next is read), finishing a build that was stopped (`finish_store`), and
compacting a store after a large batch (`compact_store`).

A store build has one sink and several sources of (documents, events): a local parse here,
event records (`kgbuild.event_records.events_store`), a Dask cluster
(`kgbuild.distributed.build_distributed_store`). Each asks the intake which documents it
wants and hands it what it made; the intake does the rest the same way for all."""
from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import GraphError
from ..extract.batches import MAX_CHARS_IN_FLIGHT, char_batches, extract_batch, pieces
from ..model import Document, Event
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


class StoreIntake:
    """One build's writes into an open store: documents the store holds with the same
    content hash are skipped (unless `replace`), the earlier version of a changed or partly
    stored document is removed just before the next write (after its new version was
    made, so a failed extraction removes nothing), and `finish` settles the store.

    Example:
        >>> with GraphStore("kg.store") as store:  # doctest: +SKIP
        ...     intake = StoreIntake(store)
        ...     for document in intake.todo(documents):
        ...         intake.write(extract_events([document]), [document.stripped()])
        ...     summary = intake.finish()
    """

    def __init__(self, store: GraphStore, *, replace: bool = False) -> None:
        self.store = store
        self.replace = replace
        self.summary = BuildSummary()
        self._known = store.document_hashes()
        self._partial = store.unfinished_documents()
        self._stale: list[str] = []

    def wanted(self, doc_id: str, digest: str | None) -> bool:
        """Whether to (re)write document `doc_id` whose text has content hash `digest`
        (None: not known, never skipped); counts it as skipped or replaced."""
        if not self.replace and digest is not None and self._known.get(doc_id) == digest:
            self.summary.skipped += 1
            return False
        if doc_id in self._known:
            self._stale.append(doc_id)
            self.summary.replaced += 1
        elif doc_id in self._partial:
            self._stale.append(doc_id)
        return True

    def todo(self, documents: Iterable[Document]) -> Iterator[Document]:
        """The documents of `documents` to extract (`wanted`), read lazily."""
        return (doc for doc in documents if self.wanted(doc.id, doc.content_hash()))

    def write(self, events: list[Event], documents: list[Document],
              finished: int | None = None) -> None:
        """Write `events` and the metadata of `documents` (without text, with their
        content hash: a document counts as stored once its hash is written), after
        removing the earlier versions of the documents wanted so far; `finished` documents
        are counted (default: `len(documents)`)."""
        self._remove_stale()
        self.summary.triples += self.store.add_events(events, documents)
        self.summary.events += len(events)
        self.summary.documents += len(documents) if finished is None else finished

    def finish(self) -> BuildSummary:
        """Remove what is still to be removed and settle the store (`GraphStore.finalize`)."""
        self._remove_stale()
        self.store.finalize()
        return self.summary

    def _remove_stale(self) -> None:
        if self._stale:
            self.store.remove_documents(self._stale)
            self._stale = []


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
    and replace their earlier version (`StoreIntake`).

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
    with GraphStore(path) as store:
        intake = StoreIntake(store, replace=replace)
        events_of: dict[str, int] = {}
        for batch in char_batches(pieces(intake.todo(documents), max_chars), max_chars=max_chars,
                                  max_pieces=batch_size):
            parsed = extract_batch(batch, nlp, n_process, statements=statements,
                                   min_confidence=min_confidence)
            finished = [p.document for p, _ in parsed if p.last]
            intake.write([e for _, evs in parsed for e in evs], [d.stripped() for d in finished])
            for piece, evs in parsed:
                events_of[piece.document.id] = events_of.get(piece.document.id, 0) + len(evs)
            for document in finished:
                if on_document is not None:
                    on_document(document, events_of.get(document.id, 0))
                events_of.pop(document.id, None)
        return intake.finish()


def finish_store(path: str | Path, *, every_node: bool = False) -> bool:
    """Finish a store whose build stopped before the end (recount mentions and report
    dates, one label per node, the dyad index), for what its dirty file lists, or with
    `every_node` for the whole store (when that file cannot be trusted); returns False
    when it was finished already.

    Raises:
        GraphError: no store at `path`, or a dirty file that cannot be trusted (without
            `every_node`); StoreLockedError: a build is writing to it.
    """
    path = _existing(path)
    unfinished = (path / DIRTY_NAME).exists()
    with GraphStore(path, settle_all=every_node):  # a writer finishes a store when it opens it
        pass
    return unfinished


def compact_store(path: str | Path) -> tuple[int, int]:
    """Settle the store at `path` if a build left it unfinished, then compact it
    (`GraphStore.compact`); returns its size on disk in bytes before and after.

    Measured (bench/RESULTS.md, 1.65M triples): 9% smaller and the slowest saved queries
    35-40% faster until the next batch is written, for 2.6-3.4 s that grow with the store.

    Raises:
        GraphError: no store at `path`; StoreLockedError: a build is writing to it.
    """
    path = _existing(path)
    before = store_bytes(path)
    with GraphStore(path) as store:
        store.compact()
    return before, store_bytes(path)


def store_bytes(path: str | Path) -> int:
    """The size on disk of the store folder at `path`, in bytes."""
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def _existing(path: str | Path) -> Path:
    path = Path(path)
    if not path.is_dir() or not any(path.iterdir()):
        raise GraphError(f"{path}: no kgbuild store here")
    return path
