"""The `kgbuild_events` spaCy pipeline component: sets `doc._.events`.

    nlp = spacy.load("en_core_web_sm")
    nlp.add_pipe("kgbuild_events")
    nlp("Moscow will deploy Iskander missiles in Kaliningrad.")._.events

Document metadata (id, date, character offset of a chunk) can be put on
`doc._.kgbuild_meta` (a dict with the fields of `DocMeta`) before the component runs.
"""
from __future__ import annotations

import dataclasses

from spacy.language import Language
from spacy.tokens import Doc

from ..errors import InputError
from ..model import Event
from .confidence import rescored
from .events import DocMeta, events_from_doc
from .place_party import place_parties
from .places import geocode_events
from .sentence_place import locate_by_sentence

#: Events travel in `doc.user_data` as plain dicts (the JSON contract), so Docs stay
#: serializable and `nlp.pipe(..., n_process=N)` can send them between processes.
EVENTS_KEY = "kgbuild_events"


def _get_events(doc: Doc) -> list[Event] | None:
    data = doc.user_data.get(EVENTS_KEY)
    return None if data is None else [Event.from_dict(d) for d in data]


Doc.set_extension("events", getter=_get_events, force=True)
Doc.set_extension("kgbuild_meta", default=None, force=True)


def _doc_meta(meta: object) -> DocMeta:
    """`doc._.kgbuild_meta` as a `DocMeta`: None, a DocMeta, or a dict of its fields."""
    if meta is None:
        return DocMeta()
    if isinstance(meta, DocMeta):
        return meta
    names = [f.name for f in dataclasses.fields(DocMeta)]
    if not isinstance(meta, dict):
        raise InputError(f"doc._.kgbuild_meta must be a dict with keys {', '.join(names)} "
                         f"(or None), not {type(meta).__name__}")
    unknown = sorted(set(meta) - set(names))
    if unknown:
        raise InputError(f"doc._.kgbuild_meta: unknown key {', '.join(map(repr, unknown))}; "
                         f"the keys are {', '.join(names)}")
    return DocMeta(**meta)


class EventComponent:
    """Runs the clause rules on a parsed Doc, geocodes the events' places with the Doc as
    context (`places.geocode_events`), makes a place the other party of an event aimed at
    it (`place_party`), places an event its clause does not by its sentence
    (`sentence_place`) and stores the events on `doc._.events`."""

    def __init__(self, nlp: Language, name: str, *, min_confidence: float = 0.0,
                 open_ie: bool = False, statements: bool = False):
        self.name = name
        self.min_confidence = min_confidence
        self.open_ie = open_ie
        self.statements = statements

    def __call__(self, doc: Doc) -> Doc:
        meta = _doc_meta(doc._.kgbuild_meta)
        events = events_from_doc(doc, meta, open_ie=self.open_ie or meta.open_ie,
                                 statements=self.statements or meta.statements)
        events = place_parties(geocode_events(doc, events, meta.id, meta.date, meta.offset))
        events = locate_by_sentence(doc, events, meta.id, meta.date, meta.offset)  # not a party
        events = rescored(events)  # a place party changes what the confidence reads
        floor = max(self.min_confidence, meta.min_confidence)
        events = [e for e in events if e.confidence >= floor]
        self.set_annotations(doc, events)
        return doc

    def set_annotations(self, doc: Doc, events: list[Event]) -> None:
        doc.user_data[EVENTS_KEY] = [e.to_dict() for e in events]


def mark_paragraphs(doc: Doc) -> Doc:
    """Start a new sentence after every line break, so headlines and paragraphs never run
    into the next sentence. Must run before the parser (which keeps preset boundaries)."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            tok.is_sent_start = True
    return doc


@Language.component("kgbuild_paragraphs")
def paragraph_component(doc: Doc) -> Doc:
    """Pipeline component wrapper of `mark_paragraphs`."""
    return mark_paragraphs(doc)


@Language.factory("kgbuild_events",
                  default_config={"min_confidence": 0.0, "open_ie": False, "statements": False})
def make_event_component(nlp: Language, name: str, *, min_confidence: float,
                         open_ie: bool, statements: bool) -> EventComponent:
    """Factory for `nlp.add_pipe("kgbuild_events", config={"open_ie": True})`."""
    return EventComponent(nlp, name, min_confidence=min_confidence, open_ie=open_ie,
                          statements=statements)
