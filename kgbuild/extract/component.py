"""The `kgbuild_events` spaCy pipeline component: sets `doc._.events`.

    nlp = spacy.load("en_core_web_sm")
    nlp.add_pipe("kgbuild_events")
    nlp("Moscow will deploy Iskander missiles in Kaliningrad.")._.events

Document metadata (id, date, character offset of a chunk) can be put on
`doc._.kgbuild_meta` (a dict with the fields of `DocMeta`) before the component runs.

Settings are spaCy's, never the environment: `min_confidence`, `open_ie` and
`statements` are factory config (`nlp.add_pipe("kgbuild_events", config={...})`) and
arguments of one call (`nlp.pipe(docs, component_cfg=call_options(statements=True))`);
the user's actor and place tables are loaded by `initialize` and saved with the pipeline:

    nlp.get_pipe("kgbuild_events").initialize(actors=["mine.tsv"], places=["camps.tsv"])
    nlp.to_disk("my-pipeline")  # spacy.load("my-pipeline") has the tables
"""
from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from ..errors import InputError
from ..model import Event
from .confidence import rescored
from .events import DocMeta, events_from_doc
from .place_party import place_parties
from .places import geocode_events
from .sentence_place import locate_by_sentence
from .table_files import read_user_tables
from .user_tables import UserTables, using_tables

#: Events travel in `doc.user_data` as plain dicts (the JSON contract), so Docs stay
#: serializable and `nlp.pipe(..., n_process=N)` can send them between processes.
EVENTS_KEY = "kgbuild_events"
#: The component's name in kgbuild's pipelines, and its key in `component_cfg`.
COMPONENT = "kgbuild_events"
#: The file of the component's folder in a saved pipeline that holds the user's tables.
TABLES_FILE = "tables.json"


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


def call_options(*, open_ie: bool = False, statements: bool = False,
                 min_confidence: float = 0.0) -> dict[str, dict]:
    """The `component_cfg` of `nlp.pipe` that passes these options to `kgbuild_events`
    for one call (see `EventComponent.__call__`)."""
    return {COMPONENT: {"open_ie": open_ie, "statements": statements,
                        "min_confidence": min_confidence}}


class EventComponent:
    """Runs the clause rules on a parsed Doc, geocodes the events' places with the Doc as
    context (`places.geocode_events`), makes a place the other party of an event aimed at
    it (`place_party`), places an event its clause does not by its sentence
    (`sentence_place`) and stores the events on `doc._.events`, with the user's tables
    (`initialize`) in force."""

    def __init__(self, nlp: Language, name: str, *, min_confidence: float = 0.0,
                 open_ie: bool = False, statements: bool = False):
        self.name = name
        self.min_confidence = min_confidence
        self.open_ie = open_ie
        self.statements = statements
        self.tables = UserTables()

    def initialize(self, get_examples=None, *, nlp: Language | None = None,
                   actors: str | Path | Iterable[str | Path] | None = (),
                   places: str | Path | Iterable[str | Path] | None = ()) -> None:
        """Load the user's actor and place tables (their rows win over kgbuild's), in place
        of any loaded before; `to_disk` saves them with the pipeline.

        Raises:
            InputError: a table cannot be read, naming its file and line.
        """
        self.tables = read_user_tables(actors, places)

    def __call__(self, doc: Doc, *, open_ie: bool = False, statements: bool = False,
                 min_confidence: float = 0.0) -> Doc:
        """Set `doc._.events`; the arguments add to the factory's settings for this call
        (`nlp.pipe(docs, component_cfg=call_options(...))`)."""
        meta = _doc_meta(doc._.kgbuild_meta)
        with using_tables(self.tables):
            events = events_from_doc(doc, meta, open_ie=self.open_ie or open_ie,
                                     statements=self.statements or statements)
            events = place_parties(geocode_events(doc, events, meta.id, meta.date, meta.offset))
            events = locate_by_sentence(doc, events, meta.id, meta.date, meta.offset)  # not a party
            events = rescored(events)  # a place party changes what the confidence reads
        floor = max(self.min_confidence, min_confidence)
        events = [e for e in events if e.confidence >= floor]
        self.set_annotations(doc, events)
        return doc

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        """The user's tables, for `nlp.to_bytes`."""
        return json.dumps(self.tables.to_json()).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> EventComponent:
        """Restore the user's tables of `to_bytes`."""
        self.tables = UserTables.from_json(json.loads(data))
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save the user's tables in the component's folder (`nlp.to_disk`)."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / TABLES_FILE).write_bytes(self.to_bytes())

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> EventComponent:
        """Restore the user's tables saved by `to_disk` (none when the folder has none)."""
        saved = Path(path) / TABLES_FILE
        return self.from_bytes(saved.read_bytes()) if saved.is_file() else self

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
