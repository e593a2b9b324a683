"""Finding the actor alias tables' names in text: the row of an alias valid on a date
(`pick`: the user's rows over kgbuild's over Phoenix's) and the longest alias inside a
noun phrase (`alias_in`), with the checks a Phoenix name must pass to count as one."""
from __future__ import annotations

import functools
import re
from collections.abc import Mapping

from spacy.tokens import Span

from ..model import EntityType
from .lexicon import ActorEntry, load_actor_index, load_actor_table
from .tokens import entities_in

#: Entity labels of places (a Phoenix city or province stays a place).
PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})


def lookup(text: str, date: str | None = None, table: Mapping | None = None) -> ActorEntry | None:
    """The alias-table entry for `text` valid on `date`, if any (case-insensitive; see
    `pick`). The default table is kgbuild's and the user's; actors are coded with the
    Phoenix rows too (`load_actor_index`)."""
    table = load_actor_table() if table is None else table
    key = text.casefold().removeprefix("the ")
    entries = table.get(key) or table.get(text.casefold())
    if not entries and "-" in key:  # "Omar al-Bashir" is Phoenix's "Omar al Bashir"
        entries = table.get(key.replace("-", " "))
    return pick(entries, date) if entries else None


def pick(entries: list[ActorEntry], date: str | None) -> ActorEntry:
    """The row of one alias that codes it on `date`.

    The user's rows win over kgbuild's, kgbuild's over Phoenix's (the importer has already
    dropped Phoenix rows from the first date kgbuild lists the alias on). On a date: the
    first row valid on it, a dated row before an undated one of the same table (Phoenix's
    "otherwise" row); none valid, the first row. Undated text: the most recent office of
    the user's or kgbuild's rows, else Phoenix's "otherwise" row, else its last row.
    """
    if date is not None:
        valid = [e for e in entries if e.valid_on(date)]
        return min(valid, key=lambda e: (SOURCES.index(e.source), not e.dated)) if valid else entries[0]
    for source in SOURCES[:2]:
        own = [e for e in entries if e.source == source]
        if own:
            return max(own, key=lambda e: e.valid_from or "")
    return next((e for e in entries if not e.dated), entries[-1])


#: Alias tables from the most to the least trusted.
SOURCES = ("user", "kgbuild", "phoenix")


_FIRST_WORDS: dict[int, dict[str, int]] = {}
#: Most tokens an alias match is tried with.
MAX_ALIAS_TOKENS = 6
_TOKENS = re.compile(r"\w+|[^\w\s]")


def _first_words(table: Mapping) -> dict[str, int]:
    """The words an alias of `table` can begin with (after an optional "the"), as spaCy
    tokenizes them ("al-Qaeda" begins with "al", "U.S. Army" with "u.s."), each with the
    most tokens an alias beginning with it can have (counted generously: words and
    punctuation apart, plus the "the"), so a match is tried at no more lengths than that."""
    found = _FIRST_WORDS.get(id(table))
    if found is None:
        found = {}
        for alias in table:
            size = min(MAX_ALIAS_TOKENS, len(_TOKENS.findall(alias)) + 1)
            for first in (alias.split(" ")[0], alias.removeprefix("the ").split(" ")[0]):
                for word in (first, re.split(r"[-'’]", first)[0]):
                    found[word] = max(found.get(word, 0), size)
        _FIRST_WORDS[id(table)] = found
    return found


#: Words a Phoenix name may have in lower case ("Army of Mohammed", "Ban Ki-moon").
NAME_PARTICLES = frozenset({"of", "the", "and", "for", "in", "on", "de", "du", "la", "le", "del",
                            "des", "da", "do", "dos", "van", "von", "der", "y", "e", "et", "to",
                            "al", "el", "bin", "ibn", "&", "'s", "-"})


def _reads_as_name(sub: Span, entry: ActorEntry) -> bool:
    """True when a Phoenix alias matched in the text reads as that name: capitalized words
    (Phoenix writes every name in capitals, so "may" or "halle" would match a common
    word), and no part of a person the recognizer tagged (the "Farah" of "Mo Farah" is no
    Afghan province); a Phoenix person covers the whole person tagged."""
    if any(t.is_alpha and not t.text[:1].isupper() and t.lower_ not in NAME_PARTICLES for t in sub):
        return False
    if entry.type == EntityType.COUNTRY and any(t.ent_type_ in PLACE_ENTS for t in sub):
        return False  # Phoenix's cities, states and provinces of a country are places
    if entry.type == EntityType.COUNTRY and all(t.text[:1].isupper() for t in sub if t.is_alpha) and not any(
            t.ent_type_ == "NORP" or t.pos_ == "ADJ" for t in sub):
        if country_by_name(sub.text.removeprefix("the ")) is None:
            return False  # a city or province the recognizer may call a person: "Homs"
    for ent in entities_in(sub.doc[max(0, sub.start - 3): sub.end + 3]):
        if ent.label_ == "PERSON" and ent.start < sub.end and sub.start < ent.end:
            if entry.type != EntityType.PERSON or ent.start < sub.start or sub.end < ent.end:
                return False
    return True


def alias_in(span: Span, date: str | None) -> tuple[ActorEntry, Span] | None:
    """The best alias-table match inside the span: the user's and kgbuild's rows before
    Phoenix's, persons before countries, the longest, the head's; a Phoenix row must read
    as a name in the text (`_reads_as_name`). A country's name before a head that names
    one of that country's bodies gives way to it ("the U.S. Fish and Wildlife Service")."""
    table = load_actor_index()
    starts = _first_words(table)
    found: list[tuple[tuple[bool, int, int, bool], ActorEntry, Span]] = []
    words = [t for t in span]
    for i in range(len(words)):
        longest = starts.get(words[i].lower_)
        if longest is None:  # no alias begins with this word
            continue
        for j in range(min(len(words), i + longest), i, -1):
            sub = span.doc[words[i].i: words[j - 1].i + 1]
            entry = lookup(sub.text, date, table)
            if entry is None or entry.source == "phoenix" and not _reads_as_name(sub, entry):
                continue
            # the user's and kgbuild's rows over Phoenix's, then persons, then the longest,
            # then the one that holds the head ("Afghan Taliban" names the Taliban)
            rank = (entry.source != "phoenix", 2 if entry.type == EntityType.PERSON else 1, len(sub),
                    sub.start <= span.root.i < sub.end)
            found.append((rank, entry, sub))
            break
    if not found:
        return None
    _, entry, sub = max(found, key=lambda f: f[0])  # the first of equals
    if entry.type == EntityType.COUNTRY and entry.country and not sub.start <= span.root.i < sub.end:
        for rank, body, where in found:
            if rank[3] and body.type not in (EntityType.COUNTRY, EntityType.PERSON) and body.country == entry.country:
                return body, where
    return entry, sub


@functools.lru_cache(maxsize=4096)
def country_by_name(name: str) -> tuple[str, str] | None:
    import pycountry

    try:
        found = pycountry.countries.lookup(name)
    except LookupError:
        return None
    return found.alpha_3, getattr(found, "common_name", None) or found.name
