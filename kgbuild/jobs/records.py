"""Event records (`kgbuild extract` output, `kgbuild.event_records`) as a source of a build:
no parsing, every record read and checked before anything is written. A document's events
are its records' events; its metadata is the first `document` object given for its id
(records without one add events only, and such a document is never skipped as known)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from rdflib import Graph

from ..event_records import EventRecord, read_event_records
from ..extract.batches import chunked
from ..model import Document, Event
from ..stores.oxigraph import GraphStore
from .loop import BuildSummary, Found, Source, Wanted, run_job
from .sinks import GraphSink, StoreSink


def records_source(records: Iterable[EventRecord], *, batch_size: int = 64,
                   min_confidence: float = 0.0) -> Source:
    """The source of a build from event records, `batch_size` documents a batch; events
    whose `confidence` is below `min_confidence` are left out (their documents stay)."""
    by_doc: dict[str, list[Event]] = {}
    metadata: dict[str, Document] = {}
    for record in records:
        events = by_doc.setdefault(record.event.doc, [])
        if record.event.confidence >= min_confidence:
            events.append(record.event)
        if record.document is not None:
            metadata.setdefault(record.document.id, record.document)

    def batches(wanted: Wanted) -> Iterator[list[Found]]:
        todo = (d for d in by_doc if wanted(d, metadata[d].sha256 if d in metadata else None))
        for group in chunked(todo, batch_size):
            yield [Found(metadata.get(d), by_doc[d]) for d in group]

    return batches


def events_graph(paths: Iterable[str | Path], *, skip_bad: bool = False,
                 stdin: IO[bytes] | None = None, min_confidence: float = 0.0) -> Graph:
    """The graph `kgbuild.build_graph` makes of the events in these events files and
    their documents' metadata: the graph a direct build from the text gives. Events whose
    `confidence` is below `min_confidence` are left out (their documents stay).

    Raises:
        InputError: as `kgbuild.read_events`.
    """
    records = read_event_records(paths, skip_bad=skip_bad, stdin=stdin)
    sink = GraphSink()
    run_job(records_source(records, min_confidence=min_confidence), sink)
    return sink.graph


def events_store(store_path: str | Path, paths: Iterable[str | Path], *,
                 skip_bad: bool = False, replace: bool = False, batch_size: int = 64,
                 stdin: IO[bytes] | None = None, min_confidence: float = 0.0) -> BuildSummary:
    """Add the events of these events files to the store at `store_path`, as a build from
    text does (`kgbuild.jobs.loop.run_job`): documents the store holds with the same content
    hash are skipped (unless `replace`), other documents the store holds are replaced,
    `batch_size` documents per transaction. Every record is read and checked before the
    store is opened.

    Raises:
        InputError: as `kgbuild.read_events`; store errors as `GraphStore`.
    """
    source = records_source(read_event_records(paths, skip_bad=skip_bad, stdin=stdin),
                            batch_size=batch_size, min_confidence=min_confidence)
    with GraphStore(store_path) as store:
        return run_job(source, StoreSink(store), replace=replace)
