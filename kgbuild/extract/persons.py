"""Persons' affiliations: the country, role or organization a name takes from the words
before it ("Nato's Secretary General Jens Stoltenberg"), and when an alias row beats the
recognizer's PERSON label."""
from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Span

from ..model import Entity, EntityType
from .aliases import alias_in
from .lexicon import ActorEntry

#: Words before a name that are no part of it.
HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "sir", "lord", "madam"})


def with_affiliation(person: Entity, words: Span, date: str | None) -> Entity:
    """Text beats the table: "Nato's Secretary General Jens Stoltenberg" is NATO's (IGO, no
    country), "Russian President Vladimir Putin" Russia's, whatever office the table lists;
    `words` are those before the name (or an appositive role phrase)."""
    other = alias_in(words, date) if len(words) else None
    if other is None or other[0].type == EntityType.PERSON:
        return person
    entry = other[0]
    if entry.type == EntityType.INTERNATIONAL_ORGANIZATION:
        return replace(person, country=None, role="IGO", cameo_org=entry.cameo_org)
    if not entry.country and entry.role == "NGO":  # "the head of the Red Cross"
        return replace(person, country=None, role="NGO", cameo_org=entry.cameo_org)
    if entry.country:
        return replace(person, country=entry.country)
    return person


def table_beats_ner(found: tuple[ActorEntry, Span], person: Span) -> bool:
    """The user's row beats the recognizer's PERSON label; kgbuild's row does when its alias
    is the whole name tagged ("Houthis" is a group, whatever the recognizer says)."""
    entry, sub = found
    return entry.source == "user" or (entry.source == "kgbuild" and sub.start <= person.start
                                      and person.end <= sub.end)


def strip_honorific(ent: Span) -> str:
    """The name without a leading "Mr", "Dr" …"""
    words = ent.text.split()
    while words and words[0].rstrip(".").lower() in HONORIFICS:
        words = words[1:]
    return " ".join(words) or ent.text
