"""The ontology mapping, once: events and documents -> neutral triples that both the rdflib
builder (`kgbuild.graph.build.build_graph`) and the Oxigraph writer (`GraphStore.add_events`) use.

Neutral terms are plain Python values, cheap to make and to hash: an IRI is a `str`, a
literal a tuple `(lexical form, datatype IRI or None, language or None)`. How repeated
values of one predicate merge is a property of the predicate, not of the call: `MANY`
predicates collect every value, `LEAST` ones keep the lexically smallest (so the result
does not depend on input order), every other predicate keeps the last value given. Never
imports spaCy; the rdflib and pyoxigraph term classes live in `kgbuild.graph.build` and
`kgbuild.graph.quads`.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Namespace

from ..model import ACTOR_TYPES, Document, Entity, EntityType, Event, EventType, country_key
from .iris import document_iri_text, entity_iri_text, event_date, event_iris, safe_segment
from .namespace import GEO, KG, KGR, WGS

CAMEO = Namespace("https://w3id.org/kgbuild/cameo/")
GEONAMES = "https://sws.geonames.org/"


class _Names:
    """`names.actor` -> the IRI of `namespace.actor` as a plain str (looked up once, so
    a DefinedNamespace still refuses unknown terms)."""

    def __init__(self, namespace) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> str:
        value = str(self._namespace[name])
        setattr(self, name, value)
        return value


kg, rdf, rdfs, owl, skos, xsd = (_Names(ns) for ns in (KG, RDF, RDFS, OWL, SKOS, XSD))
geo, wgs = _Names(GEO), _Names(WGS)
_KGR, _CAMEO = str(KGR), str(CAMEO)

#: Predicates that keep every value given.
MANY = frozenset((rdf.type, kg.mention, kg.cameoActorCode, kg.ploverContext))
#: Predicates that keep the lexically smallest value given.
LEAST = frozenset((rdfs.label, kg.role))

#: The class of each entity type's nodes (`EntityType.class_name`).
ENTITY_CLASSES = {kind.value: str(KG[kind.class_name]) for kind in EntityType}


class Triples:
    """Neutral triples of one batch, grouped by (subject, predicate), merged by the
    predicate's rule (see the module docstring)."""

    __slots__ = ("_objects",)

    def __init__(self) -> None:
        self._objects: dict[tuple, dict] = {}

    def add(self, s: str, p: str, o) -> None:
        if p in MANY:
            self._objects.setdefault((s, p), {})[o] = None
        elif p in LEAST:
            old = self._objects.get((s, p))
            if old is None or o[0] < next(iter(old))[0]:
                self._objects[(s, p)] = {o: None}
        else:
            self._objects[(s, p)] = {o: None}

    def subjects_of(self, predicates: Iterable[str]) -> list[str]:
        """The distinct subjects that have one of these predicates, in first-seen order."""
        wanted = frozenset(predicates)
        return list(dict.fromkeys(s for s, p in self._objects if p in wanted))

    def groups(self) -> Iterator[tuple[str, str, list]]:
        """(subject, predicate, [objects]) in first-seen order."""
        for (s, p), objects in self._objects.items():
            yield s, p, list(objects)

    def __iter__(self) -> Iterator[tuple]:
        for (s, p), objects in self._objects.items():
            for o in objects:
                yield s, p, o

    def __len__(self) -> int:
        return sum(len(objects) for objects in self._objects.values())


def text(value: str) -> tuple:
    """A plain (xsd:string) literal."""
    return (value, None, None)


def integer(value: int) -> tuple:
    return (str(int(value)), xsd.integer, None)


def boolean(value: bool) -> tuple:
    return ("true" if value else "false", xsd.boolean, None)


def date(value: str) -> tuple:
    """xsd:date, xsd:gYearMonth or xsd:gYear by the length of an ISO date; else plain."""
    datatype = {10: xsd.date, 7: xsd.gYearMonth, 4: xsd.gYear}.get(len(value))
    return (value, datatype, None)


def decimal_text(value: float | str, places: int = 5) -> str:
    """One lexical form per decimal value: at most `places` decimals, no trailing zeros, at
    least one ("0.9", "-7.2", "4.0", "54.70639") — what rdflib's Turtle writer round-trips;
    values read back from stores that canonicalize differently (Oxigraph writes "4") go
    through here too. Five decimals keep coordinates to about a metre; confidences and
    Goldstein values have two at most."""
    out = f"{float(value):.{places}f}".rstrip("0")
    out = out + "0" if out.endswith(".") else out
    return "0.0" if out == "-0.0" else out


def decimal(value: float) -> tuple:
    """An xsd:decimal literal in the form of `decimal_text`."""
    return (decimal_text(value), xsd.decimal, None)


def point_wkt(lat: float, lon: float) -> tuple:
    """The GeoSPARQL WKT literal of a WGS84 point: "POINT(lon lat)" (longitude first)."""
    return (f"POINT({decimal_text(lon)} {decimal_text(lat)})", geo.wktLiteral, None)


def _geometry(out: Triples, iri: str, entity: Entity) -> None:
    """GeoNames identity, WGS84 coordinates and a GeoSPARQL point of a geocoded place."""
    if entity.feature_kind:
        out.add(iri, kg.featureKind, text(entity.feature_kind))
    if entity.geonames is not None:
        out.add(iri, owl.sameAs, f"{GEONAMES}{entity.geonames}/")
    if entity.lat is None or entity.lon is None:
        return
    out.add(iri, wgs.lat, decimal(entity.lat))
    out.add(iri, wgs.long, decimal(entity.lon))
    point = f"{iri}/geometry"
    out.add(iri, geo.hasGeometry, point)
    out.add(point, rdf.type, geo.Geometry)
    out.add(point, geo.asWKT, point_wkt(entity.lat, entity.lon))


def entity_kind(entity: Entity, slot: str = "actor") -> str:
    """The `ENTITY_CLASSES` key of an entity's node class: its type when known, else by
    slot (a place, a thing, or an organization)."""
    if entity.type in ENTITY_CLASSES:
        return entity.type
    return (EntityType.PLACE if slot == "location" else EntityType.THING if slot == "target"
            else EntityType.ORGANIZATION).value


def is_actor(entity: Entity, slot: str = "actor") -> bool:
    """True when the entity's node is a `kg:Actor` (an actor type, or a country)."""
    return entity_kind(entity, slot) in ACTOR_TYPES or entity.feature_kind == "country"


def map_entity(out: Triples, entity: Entity, slot: str = "actor", doc: str | None = None) -> str:
    """An actor, thing or place node; returns its IRI. `doc` is the id of the document
    that mentions it (a generic actor is a node of its document: see
    `kgbuild.graph.iris.is_document_local`)."""

    iri = entity_iri_text(entity, slot, doc)
    kind = entity_kind(entity, slot)
    out.add(iri, rdf.type, ENTITY_CLASSES[kind])
    if entity.feature_kind == "country":  # one node: the country, acting or acted in
        out.add(iri, rdf.type, kg.Country)
    if is_actor(entity, slot):
        out.add(iri, rdf.type, kg.Actor)
    out.add(iri, rdfs.label, text(entity.label))
    if entity.country:
        out.add(iri, kg.countryCode, text(entity.country))
        country = _KGR + safe_segment("actor/" + country_key(entity.country))
        if kind != EntityType.COUNTRY and iri != country:
            out.add(iri, kg.country, country)
    if kind == EntityType.PLACE:
        _geometry(out, iri, entity)
    if entity.role:
        out.add(iri, kg.role, text(entity.role))
    if entity.cameo:  # one value per code the actor is reported under ("Russia" RUS, "Moscow" RUSGOV)
        out.add(iri, kg.cameoActorCode, text(entity.cameo))
    if entity.wikidata:
        out.add(iri, kg.wikidata, (f"http://www.wikidata.org/entity/{entity.wikidata}",
                                   xsd.anyURI, None))
    return iri


def map_event_type(out: Triples, etype: EventType) -> str:
    """The SKOS concept of a CAMEO code; returns its IRI."""
    iri = _CAMEO + etype.code
    out.add(iri, rdf.type, kg.EventType)
    out.add(iri, skos.prefLabel, (etype.label, None, "en"))
    out.add(iri, kg.cameoCode, text(etype.code))
    out.add(iri, kg.cameoRoot, text(etype.root))
    if etype.goldstein is not None:
        out.add(iri, kg.goldstein, decimal(etype.goldstein))
    if etype.quad_class is not None:
        out.add(iri, kg.quadClass, integer(etype.quad_class))
    if etype.plover:
        out.add(iri, kg.plover, text(etype.plover))
    if etype.plover_mode:
        out.add(iri, kg.ploverMode, text(etype.plover_mode))
    for context in etype.plover_context:
        out.add(iri, kg.ploverContext, text(context))
    if etype.root != etype.code:
        out.add(iri, skos.broader, _CAMEO + etype.root)
    return iri


def map_document(out: Triples, document: Document) -> str:
    """A document node with its metadata (not its text); returns its IRI."""

    iri = document_iri_text(document.id)
    out.add(iri, rdf.type, kg.Document)
    out.add(iri, kg.docId, text(document.id))
    if document.date:
        out.add(iri, kg.published, date(document.date))
        if document.date_text:  # the date was read from the text, not given
            out.add(iri, kg.publishedText, text(document.date_text))
    if document.title:
        out.add(iri, kg.title, text(document.title))
    if document.url:
        out.add(iri, kg.url, (document.url, xsd.anyURI, None))
    if document.source:
        out.add(iri, kg.source, text(document.source))
    if document.text or document.sha256:
        out.add(iri, kg.contentHash, text(document.content_hash()))
    return iri


def map_event(out: Triples, event: Event) -> str:
    """One reported event: merged event node, mention, sentence and document; returns the
    event's IRI."""

    ev, m = event_iris(event)
    out.add(ev, rdf.type, kg.Event)
    out.add(ev, kg.actor, map_entity(out, event.actor, "actor", event.doc))
    out.add(ev, kg.action, text(event.action.lemma))
    out.add(ev, kg.modality, text(event.modality))
    out.add(ev, kg.negated, boolean(event.negated))
    for prop, slot in ((kg.target, "target"), (kg.recipient, "recipient"),
                       (kg.location, "location")):
        value = getattr(event, slot)
        if value is not None:
            out.add(ev, prop, map_entity(out, value, slot, event.doc))
    when = event_date(event)
    if when:
        first, _, last = when.partition("/")
        out.add(ev, kg.time, date(first))
        if last:
            out.add(ev, kg.timeEnd, date(last))
    if event.event_type is not None:
        out.add(ev, kg.eventType, map_event_type(out, event.event_type))
    if event.content is not None:
        _map_content(out, ev, event)

    doc = document_iri_text(event.doc)
    out.add(doc, rdf.type, kg.Document)
    out.add(doc, kg.docId, text(event.doc))
    if event.doc_date:
        out.add(doc, kg.published, date(event.doc_date))
    s = event.sentence
    sent = f"{doc}/sentence/{s.start}-{s.end}"
    out.add(sent, rdf.type, kg.Sentence)
    out.add(sent, kg.text, text(s.text))
    out.add(sent, kg.start, integer(s.start))
    out.add(sent, kg.end, integer(s.end))
    out.add(sent, kg.document, doc)

    out.add(ev, kg.mention, m)
    out.add(m, rdf.type, kg.Mention)
    out.add(m, kg.mentionOf, ev)
    out.add(m, kg.sentence, sent)
    out.add(m, kg.document, doc)
    out.add(m, kg.confidence, decimal(event.confidence))
    out.add(m, kg.rule, text(event.explanation))
    out.add(m, kg.actionText, text(event.action.text))
    _offsets(out, m, event.actor, kg.actorText, kg.actorStart, kg.actorEnd)
    if event.action.start is not None and event.action.end is not None:
        out.add(m, kg.actionStart, integer(event.action.start))
        out.add(m, kg.actionEnd, integer(event.action.end))
    if event.target is not None:
        _offsets(out, m, event.target, kg.targetText, kg.targetStart, kg.targetEnd)
    for prop, value in ((kg.recipientText, event.recipient), (kg.instrumentText, event.instrument),
                        (kg.locationText, event.location), (kg.timeText, event.time)):
        if value is not None:
            out.add(m, prop, text(value.text))
    if event.content is not None:
        out.add(m, kg.contentText, text(event.content.text))
    if event.attribution is not None:
        out.add(m, kg.attributedTo, map_entity(out, event.attribution, "actor", event.doc))
        out.add(m, kg.attributionText, text(event.attribution.text))
    return ev


def _map_content(out: Triples, ev: str, event: Event) -> None:
    """The act a framing event governs ("agreed *to open its borders*"), on the event."""
    content = event.content
    assert content is not None  # map_event calls this for an event with content
    out.add(ev, kg.contentAction, text(content.lemma))
    out.add(ev, kg.contentMode, text(content.mode))
    if content.event_type is not None:
        out.add(ev, kg.contentEventType, map_event_type(out, content.event_type))
    for prop, entity, slot in ((kg.contentActor, content.actor, "actor"),
                               (kg.contentTarget, content.target, "target")):
        if entity is not None:
            out.add(ev, prop, map_entity(out, entity, slot, event.doc))


def _offsets(out: Triples, m: str, entity: Entity, text_prop: str, start: str, end: str) -> None:
    out.add(m, text_prop, text(entity.text))
    if entity.start is not None and entity.end is not None:
        out.add(m, start, integer(entity.start))
        out.add(m, end, integer(entity.end))


def map_batch(events: Iterable[Event], documents: Iterable[Document] = ()) -> tuple[Triples, list[str]]:
    """The neutral triples of documents (first) and events, and the IRIs of the events
    in input order (repeats included)."""
    out = Triples()
    for document in documents:
        map_document(out, document)
    return out, [map_event(out, event) for event in events]
