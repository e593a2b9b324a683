"""Extraction in worker processes that send back events, not Docs.

spaCy's own `nlp.pipe(..., n_process=N)` tokenizes in the parent, sends each Doc to a
worker as bytes and sends the parsed Doc back as bytes, which the parent decodes again:
on two cores the parent's share of that work eats the second core's gain. Here the
parent only reads and splits documents; forked workers (sharing the loaded pipeline)
tokenize, parse and run the rules, and return the events as plain dicts (the JSON
contract), a small fraction of a parsed Doc's size.
"""
from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any

from .batches import chunked
from ..model import Event
from .component import EVENTS_KEY

if TYPE_CHECKING:
    from spacy.language import Language

#: (index of the document, is its last piece, text, metadata for `doc._.kgbuild_meta`)
Piece = tuple[int, bool, str, dict[str, Any]]

_NLP: Language | None = None  # the pipeline, inherited by forked workers


def can_fork() -> bool:
    """Workers share the parent's loaded pipeline only when processes are forked."""
    return "fork" in multiprocessing.get_all_start_methods()


def _work(batch: list[Piece], options: dict[str, dict]) -> list[tuple[int, bool, list[dict]]]:
    nlp = _NLP
    assert nlp is not None, "a worker runs in a process forked with the pipeline"
    docs = []
    for _, _, text, meta in batch:
        doc = nlp.make_doc(text)
        doc._.kgbuild_meta = meta
        docs.append(doc)
    return [(index, last, doc.user_data.get(EVENTS_KEY) or [])
            for (index, last, _, _), doc in zip(batch, nlp.pipe(docs, batch_size=len(batch),
                                                                 component_cfg=options))]


def parallel_events(nlp: Language, pieces: Iterable[Piece], *, n_process: int,
                    batch_size: int, options: dict[str, dict] | None = None
                    ) -> Iterator[tuple[int, bool, list[Event]]]:
    """(document index, last piece?, events) for every piece, in input order, parsed by
    `n_process` forked workers (`options`: the `component_cfg` of their `nlp.pipe`). An error in a worker or in reading `pieces` stops the
    pool (no worker outlives the call) and is raised here."""
    global _NLP
    _NLP = nlp
    batches = chunked(pieces, batch_size)
    try:
        with multiprocessing.get_context("fork").Pool(n_process) as pool:  # terminated on leaving
            # A few batches per worker in flight: reading never runs ahead of parsing.
            pending = deque(pool.apply_async(_work, (b, options or {}))
                            for b in islice(batches, 2 * n_process))
            while pending:
                results = pending.popleft().get()
                following = next(batches, None)
                if following is not None:
                    pending.append(pool.apply_async(_work, (following, options or {})))
                for index, last, dicts in results:
                    yield index, last, [Event.from_dict(d) for d in dicts]
    finally:
        _NLP = None
