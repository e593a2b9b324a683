"""Whole jobs over inputs, as the `extract` and `build` commands run them: documents checked
before any work, event mentions extracted, merged into a graph file, a store or memory."""
from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, cast

from .atomic import check_output
from .event_records import events_graph, events_store, is_event_input
from .extract import extract_events
from .extract.table_files import read_user_tables
from .extract.timex import date_from_text
from .model import Document, Event
from .nlp import load_pipeline
from .read import CheckedDocuments, StopOnError, normalize_date

if TYPE_CHECKING:
    from rdflib import Graph

#: Called with the running counts {"documents", "words", "mentions"} as work goes on.
Progress = Callable[[dict], None]


@dataclass
class BuildResult:
    """What `build` made: counts, and the graph when it was built in memory.

    Attributes:
        documents: documents read (for a store: extracted now, not skipped).
        mentions: event mentions extracted (one per report in a sentence).
        events: merged events in the graph (for a store: None, see `kgbuild stats`).
        triples: triples of the graph (for a store: quads written now).
        skipped, replaced: store builds only: documents already stored, and re-extracted.
        undated: documents read from text that were left with no date (see
            `undated_warning`; none for event records, which carry their dates).
        output: the file or store written, or None.
        graph: the graph, when neither `output` nor `store` was given.
    """

    documents: int = 0
    mentions: int = 0
    events: int | None = None
    triples: int = 0
    skipped: int = 0
    replaced: int = 0
    undated: int = 0
    output: Path | None = None
    graph: Graph | None = None

    def date_warning(self) -> str | None:
        """What to tell the user when documents were left without a date, once per build
        (None when every document had one)."""
        read = self.documents + self.skipped
        if not self.undated:
            return None
        some = (f"none of the {read} documents has a date" if self.undated == read else
                f"{self.undated} of {read} documents have no date")
        return (f"{some}, so their relative times ('on Monday') stay unresolved, and events "
                "they do not date themselves get no date (kg:time) and never merge with "
                "other documents' reports; give dates with --date YYYY-MM-DD, a 'date' field "
                "in JSON Lines, or --date-from-text (a dateline or the first full date of the text)")


def check_tables(actors_file: str | Path | None = None,
                 places_file: str | Path | None = None) -> None:
    """Read the user's actor and place tables, so a bad one stops a job before the slow
    part (the pipeline reads them again, `kgbuild.nlp.load_pipeline`).

    Raises:
        InputError: a table cannot be read, naming its file and line.
    """
    read_user_tables(actors_file, places_file)


def documents_of(inputs: str | Path | Document | Iterable[str | Path | Document], *,
                 skip_bad: bool = False, default_date: str | None = None,
                 date_from_text: bool = False, counts: dict | None = None,
                 progress: Progress | None = None,
                 stdin: IO[bytes] | None = None) -> Iterator[Document]:
    """The documents of `inputs` (paths, '-' for stdin, or `Document`s), every path read
    and checked once before the first document is returned, so that bad input stops a job
    before a model is loaded or anything is written.

    A document's date is its own (the input's `date`), else with `date_from_text` the date
    of its dateline or the first full date of its text (`Document.date_text` says so),
    else `default_date`.

    Args:
        default_date: the publication date of documents that carry none.
        date_from_text: read the date of a document that carries none from its text.
        counts: updated with "documents", "words" and "undated" (documents left with no
            date) as documents are taken.
        progress: called with `counts` after each document.
        stdin: the stream to read for '-' (default: `sys.stdin.buffer`).

    Raises:
        InputError: a missing file or a malformed record (unless `skip_bad`).
    """
    items = [inputs] if isinstance(inputs, (str, Path, Document)) else list(inputs)
    paths = [item for item in items if not isinstance(item, Document)]
    if paths and len(paths) != len(items):
        raise TypeError("give paths or Document objects, not both")
    source: Iterable[Document] = (CheckedDocuments(paths, skip_bad=skip_bad, stdin=stdin)
                                  if paths else cast(list[Document], items))
    date = normalize_date(default_date) if default_date else None
    counts = counts if counts is not None else {}
    return _counted(source, date, date_from_text, counts, progress)


def _counted(documents: Iterable[Document], date: str | None, from_text: bool, counts: dict,
             progress: Progress | None) -> Iterator[Document]:
    for key in ("documents", "words", "mentions", "undated"):
        counts.setdefault(key, 0)
    for doc in documents:
        counts["documents"] += 1
        counts["words"] += len(doc.text.split())
        if doc.date is None and from_text and (found := date_from_text(doc.text)):
            doc = replace(doc, date=found[0], date_text=found[1])
        if doc.date is None and date:
            doc = replace(doc, date=date)
        counts["undated"] += doc.date is None
        if progress is not None:
            progress(counts)
        yield doc


def mentions_of(documents: Iterable[Document], *, nlp=None, model: str | None = None,
                batch_size: int = 16, processes: int = 1, statements: bool = False,
                counts: dict | None = None, min_confidence: float = 0.0,
                actors_file: str | Path | None = None,
                places_file: str | Path | None = None) -> Iterator[Event]:
    """The event mentions of `documents`; a reading error stops the workers cleanly and is
    raised after the documents read before it are done.

    Args:
        counts: its "mentions" is counted up as events come out.
        min_confidence: leave out events with a lower `confidence` (see `extract_events`).
        actors_file, places_file: the user's tables, for the pipeline loaded when `nlp`
            is not given (see `kgbuild.nlp.load_pipeline`).
    """
    nlp = _pipeline(nlp, model, actors_file, places_file)
    counts = counts if counts is not None else {}
    counts.setdefault("mentions", 0)
    guarded = StopOnError(documents)  # a reading error ends the stream, so a worker pool stops
    for event in extract_events(guarded, nlp=nlp, batch_size=batch_size, n_process=processes,
                                statements=statements, min_confidence=min_confidence):
        counts["mentions"] += 1
        yield event
    guarded.check()


def build(inputs: str | Path | Document | Iterable[str | Path | Document], *,
          output: str | Path | None = None, store: str | Path | None = None,
          fmt: str | None = None, nlp=None, model: str | None = None,
          batch_size: int | None = None, processes: int = 1, statements: bool = False,
          default_date: str | None = None, date_from_text: bool = False,
          skip_bad: bool = False, replace: bool = False,
          dask: str | None = None, actors_file: str | Path | None = None,
          places_file: str | Path | None = None,
          progress: Progress | None = None, from_events: bool = False,
          min_confidence: float = 0.0) -> BuildResult:
    """Extract events from `inputs` and merge them into one graph, as `kgbuild build` does:
    a graph file (`output`, '-' for stdout), a persistent store (`store`), or, with
    neither, a graph in memory (`BuildResult.graph`). Document metadata (title, URL, date,
    source, content hash) goes into the graph either way.

    Args:
        inputs: .txt files, folders, .jsonl files, '-' (stdin), or `Document` objects.
        fmt: the RDF format of `output` (default: from its suffix).
        batch_size: documents per parse batch (default 16; 64 for a store).
        default_date, date_from_text: the date of documents that carry none (see
            `documents_of`).
        dask: a Dask scheduler address to extract on (into a file, a store or memory;
            see `kgbuild.distributed`).
        actors_file, places_file: the user's actor and place tables (their rows win over
            kgbuild's), loaded into the pipeline of this build only (not with `nlp`: load
            them into it with `nlp.get_pipe("kgbuild_events").initialize(actors=...)`).
        progress: called with the running counts (see `documents_of`).
        from_events: `inputs` are events JSON Lines written by `kgbuild extract`, built
            without parsing (see `kgbuild.event_records`); without it, inputs that all
            hold event records are recognized as such.
        min_confidence: leave out events whose `confidence` is lower (the probability
            that actor, action and parties are right; see `kgbuild.extract.confidence`).

    Raises:
        KgbuildError: bad input, an unwritable output, a damaged store … (before the slow
            part wherever it can be told in advance).
    """
    if output is not None and store is not None:
        raise ValueError("give output= or store=, not both")
    if output is not None and str(output) != "-":
        from .stores.files import format_for

        format_for(output, fmt)  # a bad format or folder fails before the slow part
        items = [inputs] if isinstance(inputs, (str, Path, Document)) else list(inputs)
        check_output(output, [i for i in items if not isinstance(i, Document)])
        inputs = items
    items = [inputs] if isinstance(inputs, (str, Path, Document)) else list(inputs)
    inputs = items
    stdin = _stdin_of(items)
    if not any(isinstance(i, Document) for i in items):
        if from_events or is_event_input(cast(list[str | Path], items), stdin=stdin):
            if dask is not None:
                raise ValueError("dask= parses text; events need no parsing")
            return _from_events(items, output, store, fmt, skip_bad=skip_bad, replace=replace,
                                min_confidence=min_confidence, stdin=stdin)
    if nlp is not None and (actors_file is not None or places_file is not None):
        raise ValueError("give actors_file= and places_file= without nlp=, or load them into "
                         "your pipeline: nlp.get_pipe('kgbuild_events').initialize(actors=...)")
    check_tables(actors_file, places_file)
    counts: dict = {}
    docs = documents_of(inputs, skip_bad=skip_bad, default_date=default_date,
                        date_from_text=date_from_text, counts=counts, progress=progress,
                        stdin=None if stdin is None else io.BytesIO(stdin))
    if store is not None and dask is not None:
        from .distributed import build_distributed_store

        summary = build_distributed_store(docs, dask, store, replace=replace, model=model,
                                          statements=statements, min_confidence=min_confidence,
                                          actors_file=actors_file, places_file=places_file)
        return _stored(summary, Path(store), counts.get("undated", 0))
    if store is not None:
        result = _into_store(Path(store), docs, counts,
                             nlp=_pipeline(nlp, model, actors_file, places_file),
                             batch_size=batch_size or 64, processes=processes,
                             statements=statements, replace=replace, progress=progress,
                             min_confidence=min_confidence)
        result.undated = counts.get("undated", 0)
        return result
    if dask is not None:
        from .distributed import build_distributed

        graph = build_distributed(docs, dask, model=model, statements=statements,
                                  min_confidence=min_confidence, actors_file=actors_file,
                                  places_file=places_file)
    else:
        graph = _in_memory(docs, counts, nlp=nlp, model=model, batch_size=batch_size or 16,
                           processes=processes, statements=statements, progress=progress,
                           min_confidence=min_confidence, actors_file=actors_file,
                           places_file=places_file)
    return _finish(graph, counts, output, fmt)


def _pipeline(nlp, model: str | None, actors_file: str | Path | None,
              places_file: str | Path | None):
    """`nlp`, or the pipeline `model` with the user's tables."""
    if nlp is not None:
        return nlp
    if actors_file is None and places_file is None:
        return load_pipeline(model)
    return load_pipeline(model, actors_file, places_file)


def _stdin_of(items: list) -> bytes | None:
    """The bytes of stdin when '-' is an input (read once: told apart as events or text
    the way a file is, then read as either), else None."""
    if not any(isinstance(i, (str, Path)) and str(i) == "-" for i in items):
        return None
    return sys.stdin.buffer.read()


def _in_memory(docs: Iterable[Document], counts: dict, *, progress: Progress | None,
               **options) -> Graph:
    from .graph.build import build_graph

    stripped: list[Document] = []

    def remember(documents):  # the metadata, without the text, for the graph
        for doc in documents:
            stripped.append(doc.stripped())
            yield doc

    events = []
    for event in mentions_of(remember(docs), counts=counts, **options):
        events.append(event)
        if progress is not None:
            progress(counts)
    return build_graph(events, documents=stripped)


def _finish(graph: Graph, counts: dict, output: str | Path | None, fmt: str | None) -> BuildResult:
    from rdflib import RDF

    from .graph.namespace import KG

    written = None
    if output is not None:
        from .stores.files import save_graph

        written = save_graph(graph, output, fmt)
    return BuildResult(documents=counts.get("documents", 0),
                       mentions=sum(1 for _ in graph.subjects(RDF.type, KG.Mention)),
                       events=sum(1 for _ in graph.subjects(RDF.type, KG.Event)),
                       triples=len(graph), undated=counts.get("undated", 0), output=written,
                       graph=graph if output is None else None)


def _into_store(path: Path, docs: Iterable[Document], counts: dict, *, nlp, batch_size,
                processes, statements, replace, progress, min_confidence) -> BuildResult:
    from .stores.building import build_store

    def written(document, number_of_events):
        counts["mentions"] = counts.get("mentions", 0) + number_of_events
        if progress is not None:
            progress(counts)

    summary = build_store(path, docs, nlp=nlp,
                          batch_size=batch_size, n_process=processes, replace=replace,
                          statements=statements, on_document=written,
                          min_confidence=min_confidence)
    return _stored(summary, path)


def _stored(summary, path: Path, undated: int = 0) -> BuildResult:
    """The `BuildResult` of a store build from its `BuildSummary`."""
    return BuildResult(documents=summary.documents, mentions=summary.events,
                       triples=summary.triples, skipped=summary.skipped,
                       replaced=summary.replaced, undated=undated, output=path)


def _from_events(paths: list, output, store, fmt, *, skip_bad: bool, replace: bool,
                 min_confidence: float, stdin: bytes | None) -> BuildResult:
    """`build` from events JSON Lines: into a store, a file or memory, without a model."""
    from rdflib import RDF

    from .graph.namespace import KG

    if store is not None:
        summary = events_store(store, paths, skip_bad=skip_bad, replace=replace,
                               min_confidence=min_confidence,
                               stdin=None if stdin is None else io.BytesIO(stdin))
        return _stored(summary, Path(store))
    graph = events_graph(paths, skip_bad=skip_bad, min_confidence=min_confidence,
                         stdin=None if stdin is None else io.BytesIO(stdin))
    documents = sum(1 for _ in graph.subjects(RDF.type, KG.Document))
    return _finish(graph, {"documents": documents}, output, fmt)
