"""A realistic benchmark corpus: N distinct documents made from the real corpus.

Replicating a few dozen documents makes the same few hundred events reported thousands of
times, which flatters every per-event query and the merge. Here each synthetic document
recombines sentences of the real corpus and substitutes country names, and gets its own
publication date, so the number of distinct events grows with N (`synthetic_documents`,
for the parse). For the store-write path, which does not parse, `relabel` varies the
events of a parsed base document the same way: a new document id, a new date, and the
country actors swapped for others of the actor table (`kgbuild/extract/data/actors.tsv`).

Everything is seeded by the document number: the same N gives the same corpus.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import random
import re
from collections.abc import Iterator

from kgbuild.extract.lexicon import load_actor_table
from kgbuild.model import Document, Entity, Event

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
FIRST_DAY = dt.date(2000, 1, 1)
DAYS = 25 * 365  # dates over 25 years


@functools.lru_cache(maxsize=1)
def countries() -> list[tuple[str, str]]:
    """(ISO alpha-3 code, short name) of every country of the actor table."""
    found = {}
    for entries in load_actor_table().values():
        for e in entries:
            if e.type == "Country" and e.country and e.alias == e.label:
                found.setdefault(e.country, e.label)
    return sorted(found.items())


@functools.lru_cache(maxsize=1)
def _country_pattern() -> re.Pattern:
    names = sorted((name for _, name in countries()), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b")


def _date(rng: random.Random) -> str:
    return (FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))).isoformat()


def sentence_pool(base: list[Document]) -> list[str]:
    """The sentences of the base documents (split on sentence-final punctuation)."""
    pool = []
    for doc in base:
        for para in doc.text.split("\n"):
            pool += [s.strip() for s in SENTENCE_END.split(para) if len(s.split()) >= 4]
    return pool


def synthetic_documents(base: list[Document], n: int, *, sentences: tuple[int, int] = (6, 18),
                        seed: int = 0) -> Iterator[Document]:
    """`n` distinct documents: sentences of `base` recombined, country names substituted,
    each with its own id and publication date."""
    pool, names = sentence_pool(base), [name for _, name in countries()]
    pattern = _country_pattern()
    for i in range(n):
        rng = random.Random(seed * 1_000_003 + i)
        swap = {}

        def substitute(match: re.Match) -> str:
            return swap.setdefault(match.group(0), rng.choice(names))

        picked = rng.sample(pool, min(len(pool), rng.randint(*sentences)))
        text = "\n".join(pattern.sub(substitute, s) for s in picked)
        yield Document(id=f"synth-{seed}-{i:07d}", text=text, date=_date(rng),
                       title=pattern.sub(substitute, picked[0])[:80])


def _swap_country(entity: Entity | None, code: str, name: str) -> Entity | None:
    if entity is None or entity.type != "Country":
        return entity
    return dataclasses.replace(entity, country=code, label=name, key=f"country/{code}", wikidata=None)


def relabel(doc: Document, events: list[Event], i: int, *, seed: int = 0) -> tuple[Document, list[Event]]:
    """Synthetic document number `i` made from a parsed base document: new id and date,
    and each country actor of its events replaced by another country (consistently within
    the document), so its events are new events, not new reports of the same ones."""
    rng = random.Random(seed * 1_000_003 + i)
    table = countries()
    swap: dict[str, tuple[str, str]] = {}

    def pick(entity: Entity | None) -> Entity | None:
        if entity is None or entity.type != "Country" or not entity.country:
            return entity
        code, name = swap.setdefault(entity.country, rng.choice(table))
        return _swap_country(entity, code, name)

    new_id, date = f"synth-{seed}-{i:07d}", _date(rng)
    new_doc = dataclasses.replace(doc, id=new_id, date=date)
    new_events = [dataclasses.replace(e, doc=new_id, doc_date=date, actor=pick(e.actor),
                                      target=pick(e.target), recipient=pick(e.recipient))
                  for e in events]
    return new_doc, new_events


def relabelled_batches(base: list, n: int, batch_size: int):
    """`n` synthetic documents made by `relabel` from the (document, events) pairs of
    `base` in turn, in batches of `batch_size`: yields (documents, their events)."""
    for first in range(0, n, batch_size):
        docs, evs = [], []
        for i in range(first, min(first + batch_size, n)):
            doc, doc_events = relabel(*base[i % len(base)], i)
            docs.append(doc)
            evs += doc_events
        yield docs, evs
