"""Geocoding the places of a document's events, with the document as context.

After the event rules, the `kgbuild_events` component hands every event of a Doc to
`geocode_events`. Each place (a location, or a target or recipient that is a place) is
looked up in the gazetteer (`gazetteer.py`) with what the document says around it:

- the countries its places and actors name ("Tripoli" in a story about Lebanon is
  Tripoli, Lebanon), counted without the mentions of the place's own name;
- an explicit "X, Country" or "X, State" ("Tripoli, Lebanon", "Paris, Texas");
- a compass word is looked through ("northern Syria", "East Mosul");
- generic nouns are resolved only when the text supports it: "the capital" is the capital
  of the country its modifier names ("the Sudanese capital") or of the document's main
  country, "the country" that country, "the city" / "the town" the city named in the last
  three sentences. Any other generic noun ("the border", "the region") stays unresolved
  and is scoped to its document, so two documents' "border" never merge; so is a name the
  text leaves ambiguous.

Every decision is added to the event's explanation ("location=Tripoli -> Tripoli (LBN,
city; geonames:266826) by context LBN", "location=the border unresolved: generic noun").
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import Any

from spacy.tokens import Doc, Span, Token

from ..model import Entity, EntityType, Event, document_place_key
from .aliases import lookup
from .gazetteer import Feature, Gazetteer, Resolution, gazetteer
from .lexicon import country_name
from .tokens import entities_in, per_span

PLACE_SLOTS = ("location", "target", "recipient")
#: Entity labels whose country tells where a story is.
CONTEXT_ENTS = frozenset({"GPE", "NORP", "LOC", "ORG", "PERSON", "FAC"})
PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})
#: Labels the small pipeline gives place names by mistake ("Aleppo" ORG, "Homs" PERSON), or
#: none at all: in a place slot, a name the gazetteer knows is a place all the same.
MISLABELS = frozenset({"ORG", "PERSON", "NORP", ""})
COMPASS = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern",
                     "western", "central", "northeast", "northwest", "southeast", "southwest",
                     "north-east", "north-west", "south-east", "south-west", "northeastern",
                     "northwestern", "southeastern", "southwestern", "north-eastern",
                     "north-western", "south-eastern", "south-western", "upper", "lower"})
#: Words after a region's name ("Anbar province"): the region, never the city of that name.
REGION_WORDS = frozenset({"province", "governorate", "region", "oblast", "district", "county",
                          "state", "prefecture", "territory", "krai"})
_POSSESSIVE = re.compile(r"['’]s?$")
CAPITAL_NOUNS = frozenset({"capital"})
COUNTRY_NOUNS = frozenset({"country", "nation"})
CITY_NOUNS = frozenset({"city", "town"})
#: How many sentences back "the city" looks for the city it stands for.
ANAPHORA_SENTENCES = 3
#: Entity texts whose country is remembered across documents (then the memo starts anew).
MEMO_SIZE = 50_000


def name_of(tok: Token) -> Span:
    """The proper name `tok` belongs to: its entity, else its run of proper-noun compounds."""
    doc = tok.doc
    if tok.ent_iob_ in ("B", "I"):
        start, end = tok.i, tok.i + 1
        while start > 0 and doc[start].ent_iob_ == "I":
            start -= 1
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
        return doc[start:end]
    start = tok.i
    while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].head.i in range(start, tok.i + 1):
        start -= 1
    return doc[start: tok.i + 1]


@per_span
def is_place_name(tok: Token) -> bool:
    """A name that is a place, whatever the entity recognizer says: a place entity, or a
    proper noun the gazetteer knows (a country, region or city, as written or by an alternate
    or loose spelling) that the actor table does not list as a person or organization
    ("Hamas" is a group, not Hamm) and that is not the surname of a person the document
    names ("Abbas" after "Mahmoud Abbas"). Used for the slots a place fills (the object of
    an attack, an in/near/at phrase); resolution in context is `resolve_place`'s job."""
    if tok.ent_type_ in PLACE_ENTS:
        return True
    if not (tok.pos_ == "PROPN" or tok.ent_type_) or tok.ent_type_ not in MISLABELS or not tok.text[:1].isupper() \
            or tok.text.isupper():  # "RIL", "ICRC": acronyms
        return False
    name = name_of(tok)
    text = " ".join(name.text.split()).removeprefix("the ").removeprefix("The ")
    words = text.split(" ")
    if len(words) > 1 and words[-1].casefold() in REGION_WORDS | CITY_NOUNS:  # "Idlib province"
        text = " ".join(words[:-1])
    entry = lookup(text)
    if entry is not None and entry.type != EntityType.COUNTRY:  # "Moscow" is a government and a city
        return False
    if tok.ent_type_ == "PERSON" and any(
            e.label_ == "PERSON" and e.start != name.start and text in e.text.split()
            for e in entities_in(tok.doc[:])):
        return False
    return bool(gazetteer().candidates(text))


class DocumentPlaces:
    """What one Doc says about where it is: countries by mention, the main country."""

    def __init__(self, doc: Doc, doc_id: str, date: str | None, gaz: Gazetteer):
        self.doc, self.doc_id, self.gaz = doc, doc_id, gaz
        self.context: Counter[str] = Counter()
        self.own: dict[str, Counter[str]] = {}  # name -> the countries its own mentions add
        self.places: list[Span] = []
        memo = gaz.memo
        if len(memo) > MEMO_SIZE:
            memo.clear()
        for ent in doc.ents:
            label = ent.label_
            if label not in CONTEXT_ENTS:
                continue
            if label in PLACE_ENTS:
                self.places.append(ent)
            key = (ent.text, label, date)
            code = memo[key] if key in memo else memo.setdefault(key, self._country_of(*key))
            if code:
                self.context[code] += 1
                self.own.setdefault(_name(ent.text), Counter())[code] += 1
        ranked = self.context.most_common(2)
        self.main = ranked[0][0] if ranked and ranked[0][1] >= 2 and (
            len(ranked) == 1 or ranked[0][1] > ranked[1][1]) else None

    def _country_of(self, text: str, label: str, date: str | None) -> str | None:
        entry = lookup(text, date)
        if entry is not None:
            return entry.country
        code = self.gaz.country_of_name(text)
        if code or label not in PLACE_ENTS:
            return code
        found = {f.country for f in self.gaz.candidates(text)}
        return found.pop() if len(found) == 1 else None

    def context_for(self, name: str) -> Counter[str]:
        """The document's countries without those the mentions of `name` itself add
        ("Tripoli" names Libya's government in the actor table)."""
        return self.context - self.own.get(_name(name), Counter())

    def country_in(self, span: Span) -> str | None:
        """A country that a word of the span names ("the Sudanese capital", "Iraq's")."""
        for tok in span:
            if tok.pos_ in ("ADJ", "PROPN") or tok.ent_type_ in ("NORP", "GPE"):
                entry = lookup(tok.text)
                code = entry.country if entry is not None and entry.type == EntityType.COUNTRY else \
                    self.gaz.country_of_name(tok.text)
                if code:
                    return code
        return None

    def city_before(self, span: Span) -> Feature | None:
        """The city named last before `span`, at most ANAPHORA_SENTENCES sentences back."""
        sents = list(self.doc.sents)
        here = next((i for i, s in enumerate(sents) if s.start <= span.start < s.end), 0)
        earliest = sents[max(0, here - ANAPHORA_SENTENCES)].start
        for ent in reversed(self.places):
            if ent.start >= span.start:
                continue
            if ent.start < earliest:
                break
            found = self.gaz.resolve(ent.text.removeprefix("the "), self.context_for(ent.text))
            if found.feature is not None and found.feature.kind == "city":
                return found.feature
        return None


def _name(text: str) -> str:
    return " ".join(text.split()).casefold().removeprefix("the ")


def _qualifier(where: DocumentPlaces, span: Span | None) -> tuple[str | None, str | None, str | None]:
    """(name without the qualifier, country, US state code) for "Tripoli, Lebanon" or
    "Paris, Texas" written in the text."""
    if span is None:
        return None, None, None
    doc, gaz = where.doc, where.gaz
    places = [e for e in where.places if span.start <= e.start and e.end <= span.end] or [span]
    last = places[-1]
    text = last.text
    if ", " in text:  # the entity spans both parts
        text, _, after = text.partition(", ")
    elif last.end + 1 < len(doc) and doc[last.end].text == "," and doc[last.end + 1].ent_type_ in PLACE_ENTS:
        after_ent = next((e for e in where.places if e.start == last.end + 1), None)
        after = after_ent.text if after_ent is not None else doc[last.end + 1].text
    else:
        return None, None, None
    code = gaz.country_of_name(after)
    if code:
        return text, code, None
    state = gaz.us_state(after)
    if state is not None:
        return text, "USA", state.admin1
    return None, None, None


def resolve_place(entity: Entity, where: DocumentPlaces, offset: int = 0) -> tuple[Entity, str]:
    """The entity geocoded (or scoped to its document) and the explanation of what was
    done with it."""
    doc, gaz = where.doc, where.gaz
    span = None
    if entity.start is not None and entity.end is not None:
        span = doc.char_span(entity.start - offset, entity.end - offset, alignment_mode="expand")
    name = _POSSESSIVE.sub("", " ".join(entity.label.split()))
    words = name.split(" ")
    if not name[:1].isupper():
        return _generic(entity, words[-1].casefold(), span, where)
    bare, country, admin1 = _qualifier(where, span)
    if bare:
        name = " ".join(bare.removeprefix("the ").split())
        words = name.split(" ")
    found = gaz.resolve(name, where.context_for(name), country=country, admin1=admin1)
    if found.reason == "not in the gazetteer" and len(words) > 1 and words[0].casefold() in COMPASS:
        # "northern Syria", "East Mosul" (but "South Sudan" first); "Central Asia" is no
        # part of Asia one can point at
        inner = gaz.resolve(" ".join(words[1:]), where.context_for(name), country=country, admin1=admin1)
        if inner.feature is not None and inner.feature.country is not None:
            name, found = " ".join(words[1:]), inner
    if found.reason == "not in the gazetteer" and len(words) > 1 and words[-1].casefold() in CITY_NOUNS:
        inner = gaz.resolve(" ".join(words[:-1]), where.context_for(name), country=country, admin1=admin1)
        if inner.feature is not None and inner.feature.kind == "city":  # "Mosul city"
            name, found = " ".join(words[:-1]), inner
    region_word = len(words) > 1 and words[-1].casefold() in REGION_WORDS
    if region_word and (found.feature is None or found.feature.kind == "city"):
        name, found = _region(where, name, country, admin1)
    if found.feature is None:
        scoped = found.reason.startswith("ambiguous")
        key = _scoped_key(where, entity.label) if scoped else entity.key
        return replace(entity, key=key), f"{name} unresolved: {found.reason}"
    return _geocoded(entity, found.feature), f"{name} -> {found.feature.describe()} {found.reason}"


def _region(where: DocumentPlaces, name: str, country: str | None,
            admin1: str | None) -> tuple[str, Resolution]:
    """(name, resolution) of "Hasaka Province", "southern Kandahar province": the region of a
    place table or a US state of that name; else, GeoNames' cities having no provinces, the
    region named after a city the text supports ("Idlib province", "Kandahar province" are
    named after their capitals), placed at that city but a node of its own."""
    gaz = where.gaz
    words = name.split(" ")
    if len(words) > 2 and words[0].casefold() in COMPASS:
        words = words[1:]
    name, base_name = " ".join(words), " ".join(words[:-1])
    base = [f for f in gaz.candidates(base_name) if f.kind == "region"] or [
        f for f in (gaz.us_state(base_name),) if f is not None]
    if len(base) == 1:
        return name, Resolution(base[0], "region")
    city = gaz.resolve(base_name, where.context_for(base_name), country=country, admin1=admin1)
    if city.feature is None or city.feature.kind != "city":
        return name, Resolution(None, "a region the gazetteer lacks (add it with --places)")
    region = city.feature._replace(geonames=None, name=name, kind="region", population=0, capital=False)
    return name, Resolution(region, f"at its namesake city {city.feature.describe()} {city.reason}")


def _generic(entity: Entity, noun: str, span: Span | None, where: DocumentPlaces) -> tuple[Entity, str]:
    """ "the capital", "the country", "the city": resolved when the text says which; any
    other generic noun is scoped to its document."""
    code = where.country_in(span) if span is not None else None
    code = code or where.main
    feature, how = None, ""
    if noun in CAPITAL_NOUNS and code:
        feature, how = where.gaz.capital(code), f"capital of {code}"
    elif noun in COUNTRY_NOUNS and code:
        feature, how = where.gaz.country(code), "the story's country"
    elif noun in CITY_NOUNS and span is not None:
        feature, how = where.city_before(span), "the city named before"
    if feature is None:
        return replace(entity, key=_scoped_key(where, entity.label)), \
            f"{entity.label} unresolved: generic noun, kept to this document"
    return _geocoded(entity, feature), f"{entity.label} -> {feature.describe()} {how}"


def _scoped_key(where: DocumentPlaces, label: str) -> str:
    return document_place_key(where.doc_id, label)


def _geocoded(entity: Entity, feature: Feature) -> Entity:
    label = country_name(feature.country) if feature.kind == "country" and feature.country else feature.name
    return replace(entity, label=label, type=EntityType.PLACE, country=feature.country, key=feature.key,
                   geonames=feature.geonames, lat=feature.lat, lon=feature.lon,
                   feature_kind=feature.kind)


def geocode_events(doc: Doc, events: list[Event], doc_id: str, date: str | None = None,
                   offset: int = 0) -> list[Event]:
    """The events of one Doc with their places geocoded (see the module docstring); the
    gazetteer is loaded on first use. `offset` is the Doc's character offset in its
    document (long documents are parsed in pieces)."""
    if not any(getattr(e, slot) is not None and getattr(e, slot).type == EntityType.PLACE
               for e in events for slot in PLACE_SLOTS):
        return events
    where = DocumentPlaces(doc, doc_id, date, gazetteer())
    done: dict[tuple, tuple[Entity, str]] = {}
    out = []
    for event in events:
        changes: dict[str, Any] = {}
        notes = []
        for slot in PLACE_SLOTS:
            entity = getattr(event, slot)
            if entity is None or entity.type != EntityType.PLACE:
                continue
            key = (entity.label, entity.start, entity.end)
            if key not in done:
                done[key] = resolve_place(entity, where, offset)
            changes[slot], note = done[key]
            notes.append(f"{slot}={note}")
        if changes:
            event = replace(event, **changes, explanation="; ".join([event.explanation, *notes]))
        out.append(event)
    return out
