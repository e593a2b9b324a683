"""Texts as a source of a build: documents read and checked before any work, dated, counted,
and their events found by the extractor.

`text_source` extracts in this process: documents are cut into pieces, parsed in batches
of at most `batch_size` pieces and `max_chars` characters, and each batch is handed on
(written, for a store) before the next is read, so memory does not grow with the length of
a document (see `kgbuild.extract.batches`). With `processes` > 1, worker processes extract
whole documents (`kgbuild.extract.extract_by_document`), handed on `batch_size` documents
at a time. A reading error ends the documents, so worker processes stop cleanly, and is
raised once the documents read before it are done.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO, cast

from ..extract import extract_by_document
from ..extract.batches import MAX_CHARS_IN_FLIGHT, char_batches, chunked, extract_batch, pieces
from ..extract.table_files import read_user_tables
from ..extract.timex import date_from_text
from ..model import Document, Event
from ..nlp import load_pipeline
from ..read import CheckedDocuments, StopOnError, normalize_date
from .loop import Found, Source, Wanted, found

#: Called with the running counts {"documents", "words", "mentions"} as work goes on.
Progress = Callable[[dict], None]


def check_tables(actors_file: str | Path | None = None,
                 places_file: str | Path | None = None) -> None:
    """Read the user's actor and place tables, so a bad one stops a job before the slow
    part (the pipeline reads them again, `kgbuild.nlp.load_pipeline`).

    Raises:
        InputError: a table cannot be read, naming its file and line.
    """
    read_user_tables(actors_file, places_file)


def pipeline(nlp=None, model: str | None = None, actors_file: str | Path | None = None,
             places_file: str | Path | None = None):
    """`nlp`, or the pipeline `model` loaded with the user's tables."""
    if nlp is not None:
        return nlp
    if actors_file is None and places_file is None:
        return load_pipeline(model)
    return load_pipeline(model, actors_file, places_file)


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


def text_source(documents: Iterable[Document], nlp, *, batch_size: int = 64,
                processes: int = 1, max_chars: int = MAX_CHARS_IN_FLIGHT,
                statements: bool = False, min_confidence: float = 0.0) -> Source:
    """The source of a build from `documents` extracted with the pipeline `nlp` (see the
    module; `statements` and `min_confidence` as for `kgbuild.extract_events`)."""
    def batches(wanted: Wanted) -> Iterator[list[Found]]:
        guarded = StopOnError(doc for doc in documents if wanted(doc.id, doc.content_hash()))
        if processes > 1:  # forked workers where the platform forks (`kgbuild.extract.pool`)
            by_document = extract_by_document(guarded, nlp=nlp, batch_size=batch_size,
                                              n_process=processes, statements=statements,
                                              min_confidence=min_confidence)
            for group in chunked(by_document, batch_size):
                yield [found(document, events) for document, events in group]
        else:
            for batch in char_batches(pieces(guarded, max_chars), max_chars=max_chars,
                                      max_pieces=batch_size):
                yield [found(piece.document, events, piece.last)
                       for piece, events in extract_batch(batch, nlp, 1, statements=statements,
                                                          min_confidence=min_confidence)]
        guarded.check()

    return batches


def mentions_of(documents: Iterable[Document], *, nlp=None, model: str | None = None,
                batch_size: int = 16, processes: int = 1, statements: bool = False,
                counts: dict | None = None, min_confidence: float = 0.0,
                actors_file: str | Path | None = None,
                places_file: str | Path | None = None) -> Iterator[tuple[Event, Document]]:
    """Each event mention of `documents` with its document (without the text), as
    `kgbuild extract` writes them; the source `text_source` gives a build.

    Args:
        counts: its "mentions" is counted up as events come out.
        actors_file, places_file: the user's tables, for the pipeline loaded when `nlp`
            is not given (see `pipeline`).
    """
    source = text_source(documents, pipeline(nlp, model, actors_file, places_file),
                         batch_size=batch_size, processes=processes, statements=statements,
                         min_confidence=min_confidence)
    counts = counts if counts is not None else {}
    counts.setdefault("mentions", 0)
    for batch in source(lambda doc_id, digest: True):
        for part in batch:
            assert part.document is not None  # texts always give their document
            for event in part.events:
                counts["mentions"] += 1
                yield event, part.document
