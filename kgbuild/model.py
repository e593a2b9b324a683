"""The seam between extraction and the graph: small frozen dataclasses, no spaCy, no rdflib.

`Event.to_dict()` writes the event JSON contract (one JSON object per event) and
`Event.from_dict()` reads it back, so events can be stored as JSON Lines and built
into a graph later.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields, replace
from enum import StrEnum
from typing import Any

MODALITIES = ("asserted", "future", "intended", "possible", "conditional", "requested")
#: How a framing event holds the act it governs (`Content.mode`).
CONTENT_MODES = ("intended", "refused", "requested", "alleged", "considered", "prevented")


class EntityType(StrEnum):
    """The types of `Entity.type`; each is the name of its node's class in the graph
    (`kg:Country` …) except `THING`, whose class is `kg:Target`. Members are strings
    (`EntityType.COUNTRY == "Country"`), so JSON records and tables hold the plain name."""

    COUNTRY = "Country"
    INTERNATIONAL_ORGANIZATION = "InternationalOrganization"
    ORGANIZATION = "Organization"
    PERSON = "Person"
    ARMED_FORCE = "ArmedForce"
    GOVERNMENT = "Government"
    MEDIA = "Media"
    GROUP = "Group"
    WEAPON = "Weapon"
    FACILITY = "Facility"
    EQUIPMENT = "Equipment"
    PLACE = "Place"
    THING = "Thing"

    @property
    def class_name(self) -> str:
        """The local name of the class of this type's nodes (`kg:Target` for a thing)."""
        return "Target" if self is EntityType.THING else self.value


#: Entity types that are actors (the others are things and places).
ACTOR_TYPES = frozenset({EntityType.COUNTRY, EntityType.INTERNATIONAL_ORGANIZATION,
                         EntityType.ORGANIZATION, EntityType.PERSON, EntityType.ARMED_FORCE,
                         EntityType.GOVERNMENT, EntityType.MEDIA, EntityType.GROUP})
#: Entity types that are things acted on, never parties (actors) of an event.
NON_PARTIES = frozenset({EntityType.THING, EntityType.WEAPON, EntityType.FACILITY, EntityType.PLACE})

_SLUG = re.compile(r"[^a-z0-9]+")

#: The key of an attacker the report does not identify ("an unidentified gunman").
UNIDENTIFIED_AGENT = "agent/unidentified"
#: How the key of a clause standing as a target starts (its offset follows).
CLAUSE_KEY_PREFIX = "thing/clause-"


def slug(text: str) -> str:
    """A lowercase ASCII-ish identifier fragment ('S-400 missiles' -> 's-400-missiles')."""
    return _SLUG.sub("-", text.casefold()).strip("-") or "x"


def country_key(code: str | None, role: str | None = None) -> str:
    """"country/RUS" (ISO 3166 alpha-3); with a role other than the government's,
    "country/RUS/MIL"."""
    return f"country/{code}/{role}" if role else f"country/{code}"


def organization_key(name: str) -> str:
    """"org/nato": an organization by its name."""
    return f"org/{slug(name)}"


def person_key(name: str) -> str:
    """"person/vladimir-putin": a person by their name."""
    return f"person/{slug(name)}"


def agent_key(role: str, noun: str, owner: str | None = None) -> str:
    """A role noun's key: "agent/MIL/forces", or with the country code or organization
    slug it belongs to, "agent/RUS/MIL/troops"."""
    return f"agent/{owner}/{role}/{slug(noun)}" if owner else f"agent/{role}/{slug(noun)}"


def thing_key(identity: str) -> str:
    """"thing/iskander-missile": `identity` as given (a head-noun key or a lowercased word)."""
    return f"thing/{identity}"


def clause_key(offset: int) -> str:
    """"thing/clause-120": a clause standing as a target, by its offset in the document."""
    return f"{CLAUSE_KEY_PREFIX}{offset}"


def place_key(name: str) -> str:
    """"place/homs": a place no gazetteer row identifies, by its name."""
    return f"place/{slug(name)}"


def geonames_key(geonames_id: int) -> str:
    """"place/geonames/170063": a place by its GeoNames id."""
    return f"place/geonames/{geonames_id}"


def document_place_key(doc_id: str, noun: str) -> str:
    """"doc/<doc id>/place/<noun>": a generic place noun, a node of its document only."""
    return f"doc/{doc_id}/place/{slug(noun)}"


@dataclass(frozen=True)
class Document:
    """One input text with its metadata; `id` is the file stem or the JSONL `id`.
    `date_text` is set when `date` was read from the text (a dateline or the first full
    date, `kgbuild.extract.timex.date_from_text`): the words it was read from."""

    id: str
    text: str
    date: str | None = None
    url: str | None = None
    title: str | None = None
    source: str | None = None
    sha256: str | None = None
    date_text: str | None = None

    def stripped(self) -> Document:
        """The metadata without the text (its hash kept), as graphs and stores record it."""
        return replace(self, text="", sha256=self.content_hash())

    def content_hash(self) -> str:
        """SHA-256 of the text (hex): `sha256` when set (text dropped), else computed."""
        if self.sha256:
            return self.sha256
        import hashlib

        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Sentence:
    """A sentence of a document with character offsets into the document text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Entity:
    """A slot filler (actor, target, recipient, location, attribution source).

    `text` is the words as written; `label` the normalized name; `key` a stable identity
    ("country/RUS", "org/NATO", "person/vladimir-putin", "thing/iskander-missile") from
    which the graph side mints IRIs. `cameo_org` is the CAMEO codebook's code of an
    international organization or NGO (NATO "WSTNAT"), for its CAMEO actor code (`cameo`).
    A geocoded place has its GeoNames id (`geonames`, None for rows of a place table that
    give none), WGS84 `lat`/`lon` and `feature_kind` ("country", "city", "region", "site");
    its key is then "place/geonames/<id>", or "country/<ISO>" for a country.
    `table` names the alias table whose row coded an actor ("user" for an `--actors` file,
    "kgbuild", "phoenix"); None when no row did (the code, if any, comes from the text).
    `cameo_org` then also holds a finer role after the role (NORGOVMIL -> "MIL").
    """

    text: str
    label: str
    type: str | None = None
    country: str | None = None
    role: str | None = None
    cameo_org: str | None = None
    key: str | None = None
    wikidata: str | None = None
    start: int | None = None
    end: int | None = None
    geonames: int | None = None
    lat: float | None = None
    lon: float | None = None
    feature_kind: str | None = None
    table: str | None = None

    def __post_init__(self) -> None:
        if self.type is not None and type(self.type) is not str:  # an EntityType: its plain name,
            object.__setattr__(self, "type", str(self.type))  # as JSON records and tables hold it

    @property
    def cameo(self) -> str | None:
        """The CAMEO actor code, as PETRARCH and GDELT write it (see `cameo_actor_code`)."""
        return cameo_actor_code(self)


def cameo_actor_code(entity: Entity) -> str | None:
    """The CAMEO-style actor code of an actor: country, role and organization code joined.

    "RUSGOV" (Moscow), "USAMIL" (the Pentagon), "SYRREB" (Syrian rebels), "RUS" (Russia, no
    role), "IGOUNO" (the UN), "IGOWSTNAT" (NATO), "NGO" (an NGO without a codebook code),
    "REB" (rebels of no country). None for things and places, and for actors of which
    nothing is known.
    """
    if entity.type not in ACTOR_TYPES:
        return None
    return "".join(part or "" for part in (entity.country, entity.role, entity.cameo_org)) or None


@dataclass(frozen=True)
class Action:
    """The predicate: words as written (with auxiliaries) and the lemma used for typing."""

    text: str
    lemma: str
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class TimeRef:
    """A time expression and its ISO value (date or interval) when it could be resolved."""

    text: str
    value: str | None = None


@dataclass(frozen=True)
class EventType:
    """A CAMEO code with its root, Goldstein value and quad class, and the PLOVER event
    type, mode and contexts the PLOVER project's CAMEO2PLOVER table gives it."""

    code: str
    label: str
    root: str
    plover: str | None = None
    plover_mode: str | None = None
    plover_context: tuple[str, ...] = ()
    goldstein: float | None = None
    quad_class: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "plover_context", tuple(self.plover_context))  # JSON gives a list


@dataclass(frozen=True)
class Content:
    """The act a framing event is about, kept on that event instead of being emitted as a
    second event: "agreed *to reopen its embassy*" (mode `intended`), "refused *to meet the
    envoy*" (`refused`), "urged Y *to free the journalists*" and "rejected a request by Y *to
    hold a rally*" (`requested`: `actor` is Y, who is asked to do it), "accused Y *of
    harbouring the suspects*" (`alleged`), "is considering *sending aid*" (`considered`),
    "banned Y *from holding office*" (`prevented`).
    `actor` is None when the event's own actor is the one to do it."""

    text: str
    lemma: str
    mode: str = "intended"
    actor: Entity | None = None
    target: Entity | None = None
    recipient: Entity | None = None
    event_type: EventType | None = None


@dataclass(frozen=True)
class Event:
    """One actor–action–target event as reported in one sentence of one document."""

    doc: str
    sentence: Sentence
    actor: Entity
    action: Action
    target: Entity | None = None
    recipient: Entity | None = None
    location: Entity | None = None
    time: TimeRef | None = None
    modality: str = "asserted"
    negated: bool = False
    attribution: Entity | None = None
    instrument: Entity | None = None
    event_type: EventType | None = None
    confidence: float = 0.5
    explanation: str = ""
    doc_date: str | None = None
    content: Content | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def to_dict(self) -> dict[str, Any]:
        """The event as a JSON-ready dict in the contract of the gold scorer."""
        out: dict[str, Any] = {"doc": self.doc}
        for f in fields(self):
            if f.name in ("doc", "extra"):
                continue
            value = getattr(self, f.name)
            out[f.name] = asdict(value) if hasattr(value, "__dataclass_fields__") else value
        for slot in ("actor", "target", "recipient", "location", "attribution", "instrument"):
            if out[slot] is not None:
                out[slot]["cameo"] = getattr(self, slot).cameo
        if out["actor"] is not None:
            out["actor"]["id"] = self.actor.key
        if self.event_type is not None:
            out["event_type"]["plover_context"] = list(self.event_type.plover_context)
        if self.content is not None and self.content.event_type is not None:
            out["content"]["event_type"]["plover_context"] = list(self.content.event_type.plover_context)
        if self.extra:
            out["extra"] = self.extra
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        """Rebuild an event from `to_dict()` output (unknown keys are ignored)."""

        def part(kind: type, value: Any) -> Any:
            if value is None:
                return None
            names = {f.name for f in fields(kind)}
            return kind(**{k: v for k, v in value.items() if k in names})

        return cls(
            doc=str(data["doc"]),
            sentence=part(Sentence, data["sentence"]),
            actor=part(Entity, data["actor"]),
            action=part(Action, data["action"]),
            target=part(Entity, data.get("target")),
            recipient=part(Entity, data.get("recipient")),
            location=part(Entity, data.get("location")),
            time=part(TimeRef, data.get("time")),
            modality=data.get("modality", "asserted"),
            negated=bool(data.get("negated", False)),
            attribution=part(Entity, data.get("attribution")),
            instrument=part(Entity, data.get("instrument")),
            event_type=part(EventType, data.get("event_type")),
            confidence=float(data.get("confidence", 0.5)),
            explanation=data.get("explanation", ""),
            doc_date=data.get("doc_date"),
            content=_content(data.get("content"), part),
            extra=dict(data.get("extra") or {}),
        )


def _content(value: Any, part: Any) -> Content | None:
    """A `Content` from its `to_dict()` form (None stays None)."""
    if value is None:
        return None
    return Content(text=str(value.get("text", "")), lemma=str(value.get("lemma", "")),
                   mode=str(value.get("mode", "intended")), actor=part(Entity, value.get("actor")),
                   target=part(Entity, value.get("target")),
                   recipient=part(Entity, value.get("recipient")),
                   event_type=part(EventType, value.get("event_type")))
