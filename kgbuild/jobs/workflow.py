"""`kgbuild.build`, as the `build` command runs it: inputs checked before any work, a
source chosen (texts in this process or on a Dask cluster, or event records), a sink chosen
(a graph in memory or written to a file, or a store), and the one loop run between them
(`kgbuild.jobs.loop.run_job`). `build_store` is the same job from `Document`s into a store."""
from __future__ import annotations

import io
import sys
from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, Graph

from ..atomic import check_output
from ..event_records import is_event_input, read_event_records
from ..extract.batches import MAX_CHARS_IN_FLIGHT
from ..graph.namespace import KG
from ..model import Document
from ..stores.files import format_for, save_graph
from ..stores.oxigraph import GraphStore
from .cluster import cluster_source, connected
from .loop import BuildSummary, Source, run_job
from .records import records_source
from .sinks import GraphSink, StoreSink
from .texts import Progress, check_tables, documents_of, pipeline, text_source


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
            `kgbuild.jobs.texts.documents_of`).
        dask: a Dask scheduler address to extract on (into a file, a store or memory;
            see `kgbuild.jobs.cluster`).
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
    items = _checked_target(inputs, output, store, fmt)
    stdin = _stdin_of(items)
    counts: dict = {}
    with ExitStack() as stack:
        if _are_records(items, from_events, stdin):
            if dask is not None:
                raise ValueError("dask= parses text; events need no parsing")
            source = records_source(read_event_records(
                items, skip_bad=skip_bad, stdin=None if stdin is None else io.BytesIO(stdin)),
                min_confidence=min_confidence)
        else:
            if nlp is not None and (actors_file is not None or places_file is not None):
                raise ValueError("give actors_file= and places_file= without nlp=, or load them "
                                 "into your pipeline: nlp.get_pipe('kgbuild_events').initialize("
                                 "actors=...)")
            check_tables(actors_file, places_file)
            docs = documents_of(items, skip_bad=skip_bad, default_date=default_date,
                                date_from_text=date_from_text, counts=counts, progress=progress,
                                stdin=None if stdin is None else io.BytesIO(stdin))
            source = (cluster_source(docs, stack.enter_context(connected(dask)), model=model,
                                     actors_file=_text(actors_file),
                                     places_file=_text(places_file), statements=statements,
                                     min_confidence=min_confidence)
                      if dask is not None else
                      text_source(docs, pipeline(nlp, model, actors_file, places_file),
                                  batch_size=batch_size or (16 if store is None else 64),
                                  processes=processes, statements=statements,
                                  min_confidence=min_confidence))
        return _run(source, store, output, fmt, replace=replace, counts=counts,
                    progress=progress)


def build_store(path: str | Path, documents: Iterable[Document], *, nlp=None,
                model: str | None = None, batch_size: int = 64, n_process: int = 1,
                replace: bool = False, max_chars: int = MAX_CHARS_IN_FLIGHT,
                statements: bool = False, min_confidence: float = 0.0) -> BuildSummary:
    """Extract events from `documents` and add them to the store at `path`.

    Documents whose id and content hash the store already holds are skipped (so an
    interrupted build resumes); changed documents, or all with `replace`, are re-extracted
    and replace their earlier version (`kgbuild.jobs.loop.run_job`). Documents are parsed in
    batches of at most `batch_size` pieces (a document, or a 100,000-character piece of a
    longer one) and `max_chars` characters, each written in one transaction before the next
    is read (`kgbuild.jobs.texts.text_source`). A document's hash is written with its last
    piece, so a build stopped inside a document redoes that document.

    Args:
        max_chars: characters parsed and held at a time.
        statements, min_confidence: as for `kgbuild.extract_events`.
    """
    source = text_source(documents, pipeline(nlp, model), batch_size=batch_size,
                         processes=n_process, max_chars=max_chars, statements=statements,
                         min_confidence=min_confidence)
    with GraphStore(path) as store:
        return run_job(source, StoreSink(store), replace=replace)


def _checked_target(inputs, output, store, fmt) -> list:
    """The inputs as a list, once the output can be written (a bad format or folder, or an
    output that is one of the inputs, fails before the slow part)."""
    if output is not None and store is not None:
        raise ValueError("give output= or store=, not both")
    items = [inputs] if isinstance(inputs, (str, Path, Document)) else list(inputs)
    if output is not None and str(output) != "-":
        format_for(output, fmt)
        check_output(output, [i for i in items if not isinstance(i, Document)])
    return items


def _are_records(items: list, from_events: bool, stdin: bytes | None) -> bool:
    """Whether to build from event records (never for `Document` objects)."""
    if any(isinstance(i, Document) for i in items):
        return False
    return from_events or is_event_input(items, stdin=stdin)


def _stdin_of(items: list) -> bytes | None:
    """The bytes of stdin when '-' is an input (read once: told apart as events or text
    the way a file is, then read as either), else None."""
    if not any(isinstance(i, (str, Path)) and str(i) == "-" for i in items):
        return None
    return sys.stdin.buffer.read()


def _text(path: str | Path | None) -> str | None:
    return None if path is None else str(path)


def _run(source: Source, store: str | Path | None, output: str | Path | None,
         fmt: str | None, *, replace: bool, counts: dict,
         progress: Progress | None) -> BuildResult:
    """Run `source` into the store, or into a graph kept or written to `output`."""
    def shown(summary: BuildSummary) -> None:
        counts["mentions"] = summary.events
        if progress is not None:
            progress(counts)

    if store is not None:
        with GraphStore(store) as opened:
            summary = run_job(source, StoreSink(opened), replace=replace, on_batch=shown)
        return BuildResult(documents=summary.documents, mentions=summary.events,
                           triples=summary.triples, skipped=summary.skipped,
                           replaced=summary.replaced, undated=counts.get("undated", 0),
                           output=Path(store))
    sink = GraphSink()
    run_job(source, sink, replace=replace, on_batch=shown)
    graph = sink.graph
    documents = (counts["documents"] if "documents" in counts
                 else sum(1 for _ in graph.subjects(RDF.type, KG.Document)))
    return BuildResult(documents=documents,
                       mentions=sum(1 for _ in graph.subjects(RDF.type, KG.Mention)),
                       events=sum(1 for _ in graph.subjects(RDF.type, KG.Event)),
                       triples=len(graph), undated=counts.get("undated", 0),
                       output=None if output is None else save_graph(graph, output, fmt),
                       graph=graph if output is None else None)
