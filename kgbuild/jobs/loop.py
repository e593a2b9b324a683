"""The one build loop: a source of (document, events) into a sink.

A *source* reads its documents and, for each one the loop wants, finds its events: texts
through the extractor (`kgbuild.jobs.texts`), event records (`kgbuild.jobs.records`), or
texts sent to a Dask cluster (`kgbuild.jobs.cluster`). It hands them on in batches of
`Found`, each batch one write. A *sink* (`kgbuild.jobs.sinks`: an rdflib graph, an
Oxigraph store) knows which documents it holds, adds events and document metadata, removes
documents, and is finished at the end.

`run_job` decides, the same way for every source and sink:

1. a document the sink holds with the same content hash is skipped (unless `replace`);
2. a document the sink holds in another version, or only in part, is wanted and its old
   version removed just before the next write (so a failed extraction removes nothing);
3. each batch's events, and the metadata of the documents it finishes, are added;
4. the sink is finished (a store settles what the build touched).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from ..model import Document, Event


@dataclass(frozen=True)
class Found:
    """The events found in a document, or in one piece of a long one.

    Attributes:
        document: its metadata without the text (the hash of the text kept), or None for
            event records that carry no document metadata.
        events: the events of this document or piece.
        last: False for a piece of a long document whose further pieces follow: its
            events are written, but the document counts as stored only with its last piece.
    """

    document: Document | None
    events: list[Event] = field(default_factory=list)
    last: bool = True


def found(document: Document, events: list[Event], last: bool = True) -> Found:
    """`Found` for a document read with its text: the text dropped, its hash kept (the one
    place a build drops the text; graphs and stores record the metadata only)."""
    return Found(document.stripped(), events, last)


#: Asked by a source for each document it reads: (document id, content hash or None) ->
#: whether to find its events.
Wanted = Callable[[str, "str | None"], bool]
#: A source: given `Wanted`, the batches of what it found in the wanted documents.
Source = Callable[[Wanted], Iterator[list[Found]]]


class Sink(Protocol):
    """Where a build writes: a graph (`GraphSink`) or a store (`StoreSink`)."""

    def known_documents(self) -> dict[str, str | None]:
        """Document id -> content hash of each document held (None: held only in part)."""

    def remove(self, doc_ids: list[str]) -> None:
        """Take out these documents and what only they said."""

    def add(self, events: list[Event], documents: list[Document]) -> int:
        """Add events and document metadata; returns the triples written (0 if deferred)."""

    def finish(self) -> None:
        """Settle what this build touched."""


@dataclass
class BuildSummary:
    """What a build wrote: documents finished (not skipped), skipped as already held,
    replaced (held in another version), events, and triples (quads) written."""

    documents: int = 0
    skipped: int = 0
    replaced: int = 0
    events: int = 0
    triples: int = 0


def run_job(source: Source, sink: Sink, *, replace: bool = False,
            on_batch: Callable[[BuildSummary], None] | None = None) -> BuildSummary:
    """Run `source` into `sink`, skipping and replacing documents as the module says.

    Args:
        replace: find the events of documents the sink holds with the same hash too.
        on_batch: called with the running summary after each batch is written (progress).
    """
    known = sink.known_documents()
    summary = BuildSummary()
    stale: list[str] = []

    def wanted(doc_id: str, digest: str | None) -> bool:
        if not replace and digest is not None and known.get(doc_id) == digest:
            summary.skipped += 1
            return False
        if doc_id in known:
            stale.append(doc_id)
            summary.replaced += known[doc_id] is not None
        return True

    def remove_stale() -> None:
        if stale:
            sink.remove(list(stale))
            stale.clear()

    for batch in source(wanted):
        remove_stale()
        events = [event for part in batch for event in part.events]
        finished = [part.document for part in batch if part.last and part.document is not None]
        summary.triples += sink.add(events, finished)
        summary.events += len(events)
        summary.documents += sum(part.last for part in batch)
        if on_batch is not None:
            on_batch(summary)
    remove_stale()
    sink.finish()
    return summary
