"""Events -> RDF under the kgbuild ontology, with deterministic IRIs and merging.

One `kg:Event` node stands for one real-world event (actor, action class, target,
recipient, place, date, modality, polarity) however many sentences report it; each
report is a `kg:Mention` with provenance down to character offsets. Never imports spaCy.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from urllib.parse import quote

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef

from .model import ACTOR_TYPES, Document, Entity, Event, EventType
from .namespace import GEO, KG, KGR, WGS, bind_prefixes

CAMEO = Namespace("https://w3id.org/kgbuild/cameo/")
ENTITY_CLASSES = {
    "Country": KG.Country, "InternationalOrganization": KG.InternationalOrganization,
    "Organization": KG.Organization, "Person": KG.Person, "ArmedForce": KG.ArmedForce,
    "Government": KG.Government, "Media": KG.Media, "Group": KG.Group,
    "Weapon": KG.Weapon, "Facility": KG.Facility, "Equipment": KG.Equipment,
    "Place": KG.Place, "Thing": KG.Target,
}


def _digest(*parts: object) -> str:
    return hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode()).hexdigest()[:16]


def _safe(text: str) -> str:
    return quote(text, safe="/-_.~")


GEONAMES = "https://sws.geonames.org/"


def entity_iri(entity: Entity, slot: str = "actor") -> URIRef:
    """`kgr:actor/country/RUS`, `kgr:place/geonames/554234`, `kgr:thing/iskander-missiles`,
    and `kgr:doc/<doc>/place/border` for a generic place noun scoped to its document."""
    key = entity.key or f"{slot}/{entity.label}"
    kind = key.split("/", 1)[0]
    if kind == "doc":  # "doc/<doc id>/place/<noun>": under the document's own IRI
        doc_id, _, noun = key[len("doc/"):].rpartition("/place/")
        return KGR[f"doc/{document_segment(doc_id)}/place/{_safe(noun)}"]
    if kind in ("place", "thing"):
        return KGR[_safe(key)]
    return KGR[_safe(f"actor/{key}")]


def document_segment(doc_id: str) -> str:
    """A document id as one IRI path segment, injectively (different ids, different
    segments): percent-encoded UTF-8 except letters, digits and `-_.~` (so `/` is `%2F`,
    `%` is `%25`, a space `%20`), and the dot segments `.` and `..` as `%2E` and `%2E%2E`.
    Document, sentence, mention and named-graph IRIs are all built from it."""
    segment = quote(doc_id, safe="-_.~")
    return segment.replace(".", "%2E") if segment in (".", "..") else segment


def document_iri(doc_id: str) -> URIRef:
    """`kgr:doc/<segment>` for a document id (see `document_segment`)."""
    return KGR[f"doc/{document_segment(doc_id)}"]


def document_graph(doc_id: str) -> URIRef:
    """The named graph of a document in stores, TriG/N-Quads and pushes:
    `kgr:graph/<segment>`; writing (`kgbuild.export.partition`) and removal
    (`kgbuild.store.GraphStore.remove_documents`) both name graphs with it."""
    return segment_graph(document_segment(doc_id))


def segment_graph(segment: str) -> URIRef:
    """`kgr:graph/<segment>` for a segment made by `document_segment`."""
    return KGR[f"graph/{segment}"]


def event_date(event: Event) -> str | None:
    """The date that identifies an event: its resolved time, else the report date."""
    if event.time is not None and event.time.value:
        return event.time.value
    return event.doc_date


def event_key(event: Event) -> tuple:
    """What makes two reports the same real-world event."""
    action_class = event.event_type.code if event.event_type else event.action.lemma
    return (event.actor.key, action_class, event.action.lemma,
            event.target.key if event.target else None,
            event.recipient.key if event.recipient else None,
            event.location.key if event.location else None,
            event_date(event), event.modality, event.negated)


def event_iri(event: Event) -> URIRef:
    """Deterministic event IRI from `event_key`."""
    return KGR[f"event/{_digest(*event_key(event))}"]


def mention_iri(event: Event) -> URIRef:
    """Deterministic mention IRI: document, sentence, action position and event."""
    return URIRef(f"{document_iri(event.doc)}/mention/"
                  f"{_digest(event.sentence.start, event.action.start, *event_key(event))}")


def _date_literal(value: str) -> Literal:
    if len(value) == 10:
        return Literal(value, datatype=XSD.date)
    if len(value) == 7:
        return Literal(value, datatype=XSD.gYearMonth)
    if len(value) == 4:
        return Literal(value, datatype=XSD.gYear)
    return Literal(value)


def decimal_text(value: float | str, places: int = 5) -> str:
    """One lexical form per decimal value: at most `places` decimals, no trailing zeros, at
    least one ("0.9", "-7.2", "4.0", "54.70639") — what rdflib's Turtle writer round-trips;
    values read back from stores that canonicalize differently (Oxigraph writes "4") go
    through here too. Five decimals keep coordinates to about a metre; confidences and
    Goldstein values have two at most."""
    text = f"{float(value):.{places}f}".rstrip("0")
    text = text + "0" if text.endswith(".") else text
    return "0.0" if text == "-0.0" else text


def decimal_literal(value: float) -> Literal:
    """An xsd:decimal literal in the form of `decimal_text`."""
    return Literal(decimal_text(value), datatype=XSD.decimal)


def point_wkt(lat: float, lon: float) -> Literal:
    """The GeoSPARQL WKT literal of a WGS84 point: "POINT(lon lat)" (longitude first)."""
    return Literal(f"POINT({decimal_text(lon)} {decimal_text(lat)})", datatype=GEO.wktLiteral)


def _add_geometry(graph: Graph, iri: URIRef, entity: Entity) -> None:
    """GeoNames identity, WGS84 coordinates and a GeoSPARQL point of a geocoded place."""
    if entity.feature_kind:
        graph.set((iri, KG.featureKind, Literal(entity.feature_kind)))
    if entity.geonames is not None:
        graph.set((iri, OWL.sameAs, URIRef(f"{GEONAMES}{entity.geonames}/")))
    if entity.lat is None or entity.lon is None:
        return
    graph.set((iri, WGS.lat, decimal_literal(entity.lat)))
    graph.set((iri, WGS.long, decimal_literal(entity.lon)))
    point = URIRef(f"{iri}/geometry")
    graph.set((iri, GEO.hasGeometry, point))
    graph.add((point, RDF.type, GEO.Geometry))
    graph.set((point, GEO.asWKT, point_wkt(entity.lat, entity.lon)))


def _set_min(graph: Graph, subject: URIRef, prop: URIRef, value: str) -> None:
    """Keep one value: the smallest seen, so the result does not depend on input order."""
    old = graph.value(subject, prop)
    if old is None or str(value) < str(old):
        graph.set((subject, prop, Literal(value)))


def entity_kind(entity: Entity, slot: str = "actor") -> str:
    """The `ENTITY_CLASSES` key of an entity's node class: its type when known, else by
    slot (a place, a thing, or an organization)."""
    if entity.type in ENTITY_CLASSES:
        return entity.type
    return "Place" if slot == "location" else "Thing" if slot == "target" else "Organization"


def is_actor(entity: Entity, slot: str = "actor") -> bool:
    """True when the entity's node is a `kg:Actor` (an actor type, or a country)."""
    return entity_kind(entity, slot) in ACTOR_TYPES or entity.feature_kind == "country"


def add_entity(graph: Graph, entity: Entity, slot: str = "actor") -> URIRef:
    """Add an actor, thing or place node and return its IRI."""
    iri = entity_iri(entity, slot)
    kind = entity_kind(entity, slot)
    graph.add((iri, RDF.type, ENTITY_CLASSES[kind]))
    if entity.feature_kind == "country":  # one node: the country, acting or acted in
        graph.add((iri, RDF.type, KG.Country))
    if is_actor(entity, slot):
        graph.add((iri, RDF.type, KG.Actor))
    _set_min(graph, iri, RDFS.label, entity.label)
    if entity.country:
        graph.set((iri, KG.countryCode, Literal(entity.country)))
        country = KGR[_safe(f"actor/country/{entity.country}")]
        if kind != "Country" and iri != country:
            graph.add((iri, KG.country, country))
    if kind == "Place":
        _add_geometry(graph, iri, entity)
    if entity.role:
        _set_min(graph, iri, KG.role, entity.role)
    if entity.cameo:  # one value per code the actor is reported under ("Russia" RUS, "Moscow" RUSGOV)
        graph.add((iri, KG.cameoActorCode, Literal(entity.cameo)))
    if entity.wikidata:
        graph.set((iri, KG.wikidata, Literal(f"http://www.wikidata.org/entity/{entity.wikidata}",
                                             datatype=XSD.anyURI)))
    return iri


def add_event_type(graph: Graph, etype: EventType) -> URIRef:
    """Add the SKOS concept of a CAMEO code (and its root) and return its IRI."""
    iri = CAMEO[etype.code]
    graph.add((iri, RDF.type, KG.EventType))
    graph.set((iri, SKOS.prefLabel, Literal(etype.label, lang="en")))
    graph.set((iri, KG.cameoCode, Literal(etype.code)))
    graph.set((iri, KG.cameoRoot, Literal(etype.root)))
    if etype.goldstein is not None:
        graph.set((iri, KG.goldstein, decimal_literal(etype.goldstein)))
    if etype.quad_class is not None:
        graph.set((iri, KG.quadClass, Literal(etype.quad_class)))
    if etype.plover:
        graph.set((iri, KG.plover, Literal(etype.plover)))
    if etype.plover_mode:
        graph.set((iri, KG.ploverMode, Literal(etype.plover_mode)))
    for context in etype.plover_context:
        graph.add((iri, KG.ploverContext, Literal(context)))
    if etype.root != etype.code:
        graph.set((iri, SKOS.broader, CAMEO[etype.root]))
    return iri


def add_document(graph: Graph, document: Document) -> URIRef:
    """Add a document node with its metadata (not its text)."""
    iri = document_iri(document.id)
    graph.add((iri, RDF.type, KG.Document))
    graph.set((iri, KG.docId, Literal(document.id)))
    if document.date:
        graph.set((iri, KG.published, _date_literal(document.date)))
    if document.title:
        graph.set((iri, KG.title, Literal(document.title)))
    if document.url:
        graph.set((iri, KG.url, Literal(document.url, datatype=XSD.anyURI)))
    if document.source:
        graph.set((iri, KG.source, Literal(document.source)))
    if document.text or document.sha256:
        graph.set((iri, KG.contentHash, Literal(document.content_hash())))
    return iri


def add_event(graph: Graph, event: Event) -> URIRef:
    """Add one reported event: merged event node, mention, sentence and document."""
    ev = event_iri(event)
    graph.add((ev, RDF.type, KG.Event))
    graph.set((ev, KG.actor, add_entity(graph, event.actor, "actor")))
    graph.set((ev, KG.action, Literal(event.action.lemma)))
    graph.set((ev, KG.modality, Literal(event.modality)))
    graph.set((ev, KG.negated, Literal(event.negated)))
    for prop, slot in ((KG.target, "target"), (KG.recipient, "recipient"), (KG.location, "location")):
        value = getattr(event, slot)
        if value is not None:
            graph.set((ev, prop, add_entity(graph, value, slot)))
    date = event_date(event)
    if date:
        first, _, last = date.partition("/")
        graph.set((ev, KG.time, _date_literal(first)))
        if last:
            graph.set((ev, KG.timeEnd, _date_literal(last)))
    if event.event_type is not None:
        graph.set((ev, KG.eventType, add_event_type(graph, event.event_type)))

    doc = document_iri(event.doc)
    graph.add((doc, RDF.type, KG.Document))
    graph.set((doc, KG.docId, Literal(event.doc)))
    if event.doc_date:
        graph.set((doc, KG.published, _date_literal(event.doc_date)))
    s = event.sentence
    sent = URIRef(f"{doc}/sentence/{s.start}-{s.end}")
    graph.add((sent, RDF.type, KG.Sentence))
    graph.set((sent, KG.text, Literal(s.text)))
    graph.set((sent, KG.start, Literal(s.start)))
    graph.set((sent, KG.end, Literal(s.end)))
    graph.set((sent, KG.document, doc))

    m = mention_iri(event)
    graph.add((ev, KG.mention, m))
    graph.add((m, RDF.type, KG.Mention))
    graph.set((m, KG.mentionOf, ev))
    graph.set((m, KG.sentence, sent))
    graph.set((m, KG.document, doc))
    graph.set((m, KG.confidence, decimal_literal(event.confidence)))
    graph.set((m, KG.rule, Literal(event.explanation)))
    graph.set((m, KG.actionText, Literal(event.action.text)))
    _offsets(graph, m, event.actor, KG.actorText, KG.actorStart, KG.actorEnd)
    if event.action.start is not None:
        graph.set((m, KG.actionStart, Literal(event.action.start)))
        graph.set((m, KG.actionEnd, Literal(event.action.end)))
    if event.target is not None:
        _offsets(graph, m, event.target, KG.targetText, KG.targetStart, KG.targetEnd)
    if event.recipient is not None:
        graph.set((m, KG.recipientText, Literal(event.recipient.text)))
    if event.instrument is not None:
        graph.set((m, KG.instrumentText, Literal(event.instrument.text)))
    if event.location is not None:
        graph.set((m, KG.locationText, Literal(event.location.text)))
    if event.time is not None:
        graph.set((m, KG.timeText, Literal(event.time.text)))
    if event.attribution is not None:
        graph.set((m, KG.attributedTo, add_entity(graph, event.attribution, "actor")))
        graph.set((m, KG.attributionText, Literal(event.attribution.text)))
    return ev


def _offsets(graph: Graph, m: URIRef, entity: Entity, text, start, end) -> None:
    graph.set((m, text, Literal(entity.text)))
    if entity.start is not None:
        graph.set((m, start, Literal(entity.start)))
        graph.set((m, end, Literal(entity.end)))


def update_counts(graph: Graph, events: Iterable[URIRef]) -> None:
    """Recompute mention count and first/last report dates of the given event nodes."""
    for ev in set(events):
        mentions = list(graph.objects(ev, KG.mention))
        graph.set((ev, KG.mentionCount, Literal(len(mentions))))
        dates = sorted(str(d) for m in mentions for doc in graph.objects(m, KG.document)
                       for d in graph.objects(doc, KG.published))
        graph.remove((ev, KG.firstReported, None))
        graph.remove((ev, KG.lastReported, None))
        if dates:
            graph.add((ev, KG.firstReported, _date_literal(dates[0])))
            graph.add((ev, KG.lastReported, _date_literal(dates[-1])))


def remove_document(graph: Graph, doc_id: str) -> int:
    """Remove a document's mentions, sentences and metadata; drop events left without
    mentions and entities nothing points to any more; recount the rest. Returns the number
    of triples removed."""
    before = len(graph)
    doc = document_iri(doc_id)
    prefix = str(doc) + "/"
    own = {s for s in set(graph.subjects()) if s == doc or str(s).startswith(prefix)}
    touched = {e for m in own for e in graph.subjects(KG.mention, m)}
    for node in own:
        graph.remove((node, None, None))
        graph.remove((None, None, node))
    for ev in touched:
        if graph.value(ev, KG.mention) is None:
            graph.remove((ev, None, None))
    update_counts(graph, [e for e in touched if (e, RDF.type, KG.Event) in graph])
    shared = tuple(str(KGR[kind]) for kind in ("actor/", "thing/", "place/")) + (str(CAMEO),)
    while True:  # a place dropped may have been the last reference to its country, its point
        referenced = set(graph.objects())
        unused = [node for node in set(graph.subjects())
                  if str(node).startswith(shared) and node not in referenced]
        if not unused:
            break
        for node in unused:
            graph.remove((node, None, None))
    return before - len(graph)


def new_graph() -> Graph:
    """An empty graph with the kgbuild prefixes bound."""
    graph = Graph()
    bind_prefixes(graph)
    graph.bind("cameo", CAMEO)
    return graph


def build_graph(events: Iterable[Event], *, documents: Iterable[Document] = (),
                graph: Graph | None = None) -> Graph:
    """Merge events (and optional document metadata) into a new or existing graph.

    Building from A then adding B gives the same graph as building from A and B.
    """
    graph = new_graph() if graph is None else graph
    for document in documents:
        add_document(graph, document)
    touched = [add_event(graph, event) for event in events]
    update_counts(graph, touched)
    return graph
