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
from kgbuild.model import Action, Document, Entity, Event, Sentence, TimeRef

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


# -- daily batches of synthetic event records (no parsing) --------------------------------
DAY_ZERO = dt.date(2025, 1, 1)
EVENTS_PER_DOC = (4, 12)  # ~8 events a document, as the parsed corpus gives
STORIES_PER_DOC = 2  # distinct stories a day per document: reports repeat, across days too
EARLIER_DAYS = ((0, 0.7), (1, 0.2), (2, 0.1))  # a report is of a story of that day, 1 or 2 days ago
GENERIC_AGENTS = (("police", "POL"), ("protesters", "OPP"), ("militants", "REB"),
                  ("officials", "GOV"), ("forces", "MIL"))
#: (modality, cumulative share) of synthetic stories; the rest are asserted.
MODALITY_SHARES = (("future", 0.03), ("intended", 0.05), ("possible", 0.07), ("conditional", 0.08),
                   ("requested", 0.1))
THINGS = ("convoy", "checkpoint", "embassy", "pipeline", "airport", "bridge", "warehouse")


@functools.lru_cache(maxsize=1)
def _parties() -> tuple[list[Entity], list[float]]:
    """One actor entity per label of the actor table, weighted as news weights them (a few
    often, most rarely: the n-th by popularity ~ 1/n)."""
    seen: dict[str, Entity] = {}  # one label a node, as the extractor gives them
    for entries in load_actor_table().values():
        for e in entries:
            key = (f"country/{e.country}" if e.type == "Country" and e.country
                   else f"{e.type.lower()}/{re.sub(r'[^a-z0-9]+', '-', e.label.lower()).strip('-')}")
            if key in seen:
                continue
            seen[key] = Entity(text=e.label, label=e.label, type=e.type, country=e.country,
                                   role=e.role, cameo_org=e.cameo_org, key=key, wikidata=e.wikidata)
    parties = sorted(seen.values(), key=lambda e: e.label)
    random.Random(7).shuffle(parties)
    return parties, [1.0 / (n + 1) for n in range(len(parties))]


@functools.lru_cache(maxsize=1)
def _places() -> list[Entity]:
    from kgbuild.extract.lexicon import _data

    rows, seen = [], set()
    for row in _data("places.tsv"):
        geonames = int(row["geonames"]) if row.get("geonames") else None
        key = f"place/geonames/{geonames}" if geonames else f"place/{row['label'].lower()}"
        if key in seen or not row.get("lat"):
            continue
        seen.add(key)
        rows.append(Entity(text=row["label"], label=row["label"], type="Place",
                           country=row.get("country") or None, key=key, geonames=geonames,
                           lat=float(row["lat"]), lon=float(row["lon"]),
                           feature_kind=row.get("kind") or "site"))
    return rows


@functools.lru_cache(maxsize=1)
def _types() -> list:
    from kgbuild.extract.lexicon import event_types

    return [t for code, t in sorted(event_types().items()) if len(code) >= 3]


def _story(day: int, j: int, seed: int) -> dict:
    """Story `j` of `day`: who did what to whom, where and when; the same for every report."""
    rng = random.Random(f"{seed}/{day}/{j}")
    parties, weights = _parties()
    actor, other = rng.choices(parties, weights, k=2)
    kind = rng.random()
    if kind < 0.08:  # a generic actor: a node of each document that reports it
        noun, role = rng.choice(GENERIC_AGENTS)
        actor = Entity(text=noun, label=noun, type="Group", role=role, key=f"agent/{noun}/{role.lower()}")
    etype = rng.choice(_types()) if rng.random() < 0.85 else None
    story = {"actor": actor, "type": etype, "lemma": etype.label.split()[0].lower() if etype else "say",
             "day": day, "target": None, "recipient": None, "location": None,
             "dated": rng.random() < 0.6}
    if kind < 0.55:
        story["target"] = other
    elif kind < 0.75:
        story["recipient"] = other
    elif kind < 0.9:
        noun = rng.choice(THINGS)
        story["target"] = Entity(text=f"the {noun}", label=noun, type="Thing", key=f"thing/{noun}")
    if rng.random() < 0.3:
        story["location"] = rng.choice(_places())
    # not every report is of a done deed: ~1 in 10 planned, possible or asked for, ~1 in 25 denied
    kind = rng.random()
    story["modality"] = next((m for m, below in MODALITY_SHARES if kind < below), "asserted")
    story["negated"] = rng.random() < 0.04
    return story


def _report(story: dict, doc: Document, n: int, rng: random.Random) -> Event:
    """Event number `n` of `doc`, reporting `story` in a sentence of its own."""
    actor, lemma = story["actor"], story["lemma"]
    words = [actor.label, lemma + "s"]
    target = story["target"] or story["recipient"]
    if target is not None:
        words.append(target.label)
    text = " ".join(words) + "."
    start = 200 * n
    day = (DAY_ZERO + dt.timedelta(days=story["day"])).isoformat()
    a_end = start + len(actor.label)
    return Event(
        doc=doc.id, sentence=Sentence(text, start, start + len(text)),
        actor=dataclasses.replace(actor, start=start, end=a_end),
        action=Action(text=lemma + "s", lemma=lemma, start=a_end + 1, end=a_end + 1 + len(lemma) + 1),
        target=story["target"], recipient=story["recipient"], location=story["location"],
        time=TimeRef("that day", day) if story["dated"] else None,
        event_type=story["type"], confidence=round(rng.uniform(0.3, 0.95), 2),
        modality=story["modality"], negated=story["negated"],
        explanation="synthetic", doc_date=doc.date)


def day_documents(day: int, per_day: int, *, seed: int = 0) -> Iterator[tuple[Document, list[Event]]]:
    """The `per_day` synthetic documents of `day` (0 first) with their events, as event
    records give them (`kgbuild build --from-events`): no text is parsed. Each event
    reports one of 2 x `per_day` stories of that day or of the two days before, so events
    are reported several times, across days too; actors are drawn from the actor table
    (a few often, most rarely), one event in 12 has a generic actor (a node of its document)."""
    stories = STORIES_PER_DOC * per_day
    date = (DAY_ZERO + dt.timedelta(days=day)).isoformat()
    for i in range(per_day):
        rng = random.Random(f"{seed}/{day}/doc/{i}")
        doc = Document(id=f"day{day:03d}-{i:06d}", text="", date=date,
                       url=f"https://news.example/{date}/{i}", title=f"Synthetic report {i} of {date}",
                       source="synthetic", sha256=f"{seed:08x}{day:08x}{i:048x}")
        events = []
        for n in range(rng.randint(*EVENTS_PER_DOC)):
            back = rng.choices([b for b, _ in EARLIER_DAYS], [w for _, w in EARLIER_DAYS])[0]
            events.append(_report(_story(max(0, day - back), rng.randrange(stories), seed), doc, n, rng))
        yield doc, events


def day_batches(day: int, per_day: int, batch_size: int, *, seed: int = 0):
    """`day_documents` in batches of `batch_size`: yields (documents, their events)."""
    docs, evs = [], []
    for doc, events in day_documents(day, per_day, seed=seed):
        docs.append(doc)
        evs += events
        if len(docs) == batch_size:
            yield docs, evs
            docs, evs = [], []
    if docs:
        yield docs, evs
