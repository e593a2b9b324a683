"""Extraction: documents -> spaCy Docs -> `Event`s. Never imports rdflib."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ..model import Document, Event

if TYPE_CHECKING:
    from spacy.language import Language

from .batches import CHUNK_CHARS, split_text
from ..nlp import load_pipeline

__all__ = ["extract_events", "extract_text", "extract_by_document", "split_text", "CHUNK_CHARS"]


def extract_events(
    documents: Iterable[Document],
    *,
    nlp: Language | None = None,
    model: str | None = None,
    batch_size: int = 16,
    n_process: int = 1,
    open_ie: bool = False,
    statements: bool = False,
    min_confidence: float = 0.0,
) -> Iterator[Event]:
    """Yield the events of every document, in document order.

    Args:
        documents: e.g. from `kgbuild.read_documents(["news/"])` or `[Document(id, text)]`.
        nlp: a loaded spaCy pipeline with `kgbuild_events` (default: `load_pipeline(model)`).
        model: pipeline name when `nlp` is not given (see `kgbuild.nlp.default_model_name`).
        batch_size: documents per `nlp.pipe` batch.
        n_process: worker processes for `nlp.pipe`.
        open_ie: also emit clauses whose subject is not an actor, and copular clauses.
        statements: also emit bare reporting verbs ("officials said") as CAMEO 010
            events; by default they are only the attribution of what they report.
        min_confidence: leave out events whose `confidence` (the probability that actor,
            action and parties are right; see `kgbuild.extract.confidence`) is lower.
    """
    for _, events in extract_by_document(documents, nlp=nlp, model=model, batch_size=batch_size,
                                         n_process=n_process, open_ie=open_ie,
                                         statements=statements, min_confidence=min_confidence):
        yield from events


def extract_text(
    text: str | Iterable[str],
    *,
    date: str | None = None,
    doc_id: str = "text",
    nlp: Language | None = None,
    model: str | None = None,
    statements: bool = False,
) -> list[Event]:
    """The events of a text, or of several texts, without building `Document`s by hand.

        kgbuild.extract_text("Moscow will deploy Iskander missiles in Kaliningrad.",
                             date="2024-03-04")

    Args:
        text: one text, or several (documents `doc_id-1`, `doc_id-2`, …).
        date: publication date (ISO), for relative times such as "on Monday".
        doc_id: the document id the events carry.
        nlp, model, statements: as for `extract_events`.

    Raises:
        TypeError: `text` is neither a string nor strings.
    """
    if isinstance(text, str):
        documents = [Document(id=doc_id, text=text, date=date)]
    elif isinstance(text, Iterable) and not isinstance(text, (bytes, bytearray, Document)):
        texts = list(text)
        if not all(isinstance(t, str) for t in texts):
            bad = next(type(t).__name__ for t in texts if not isinstance(t, str))
            raise TypeError(f"extract_text takes a str or strings, got a {bad} among them; "
                            "for Document objects use extract_events")
        documents = [Document(id=f"{doc_id}-{n}", text=t, date=date) for n, t in enumerate(texts, 1)]
    else:
        raise TypeError(f"extract_text takes a str or strings, not {type(text).__name__}"
                        f"{'; for Document objects use extract_events' if isinstance(text, Document) else ''}")
    return list(extract_events(documents, nlp=nlp, model=model, statements=statements))


def extract_by_document(
    documents: Iterable[Document],
    *,
    nlp: Language | None = None,
    model: str | None = None,
    batch_size: int = 16,
    n_process: int = 1,
    open_ie: bool = False,
    statements: bool = False,
    min_confidence: float = 0.0,
) -> Iterator[tuple[Document, list[Event]]]:
    """Like `extract_events`, but yield `(document, its events)` for every document, also
    those without events, as soon as the document's last piece is parsed."""
    from .component import COMPONENT, call_options
    from .pool import Piece, can_fork, parallel_events

    if nlp is None:
        nlp = load_pipeline(model)
    if COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(COMPONENT)
    options = call_options(open_ie=open_ie, statements=statements, min_confidence=min_confidence)
    pending: dict[int, Document] = {}

    def pieces() -> Iterator[Piece]:
        for index, document in enumerate(documents):
            pending[index] = document
            parts = split_text(document.text)
            for n, (offset, text) in enumerate(parts):
                yield index, n == len(parts) - 1, text, {
                    "id": document.id, "date": document.date, "offset": offset}

    def docs():
        for index, last, text, meta in pieces():
            doc = nlp.make_doc(text)
            doc._.kgbuild_meta = meta
            doc.user_data["kgbuild_piece"] = [index, last]
            yield doc

    collected: list[Event] = []
    if n_process > 1 and can_fork():  # workers send back events, not Docs
        for index, last, events in parallel_events(nlp, pieces(), n_process=n_process,
                                                   batch_size=batch_size, options=options):
            collected.extend(events)
            if last:
                yield pending.pop(index), collected
                collected = []
        return
    for doc in nlp.pipe(docs(), batch_size=batch_size, n_process=n_process, component_cfg=options):
        collected.extend(doc._.events or ())
        index, last = doc.user_data["kgbuild_piece"]
        if last:
            yield pending.pop(index), collected
            collected = []
