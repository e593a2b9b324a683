"""Events -> RDF under the kgbuild ontology, with deterministic IRIs and merging.

One `kg:Event` node stands for one real-world event (actor, action class, target,
recipient, place, date, modality, polarity, on one calendar day or, with no day, in one
document: `kgbuild.graph.iris`) however many sentences report it; each
report is a `kg:Mention` with provenance down to character offsets. The mapping itself
(which triples an event makes) is `kgbuild.graph.mapping`; this module names the nodes and
merges the mapping's triples into rdflib graphs. Never imports spaCy.
"""
from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import cast

from rdflib import RDF, RDFS, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from ..model import Document, Entity, Event
from . import mapping
from .iris import (  # noqa: F401  (re-exported)
    document_iri_text,
    document_segment,
    entity_iri_text,
    event_date,
    event_iris,
    event_key,
    safe_segment,
)
from .mapping import CAMEO, ENTITY_CLASSES, GEONAMES, decimal_text, entity_kind, is_actor  # noqa: F401  (re-exported)
from .namespace import KG, KGR, bind_prefixes
from .quads import memoized


def entity_iri(entity: Entity, slot: str = "actor", doc: str | None = None) -> URIRef:
    """`kgr:actor/country/RUS`, `kgr:place/geonames/554234`, `kgr:thing/iskander-missiles`,
    `kgr:doc/<doc>/place/border` for a generic place noun scoped to its document, and
    `kgr:actor/doc/<doc>/agent/MIL/forces` for a generic actor of the document `doc`.

    Raises:
        ValueError: a generic actor (see `kgbuild.graph.iris.is_document_local`) without `doc`.
    """
    return URIRef(entity_iri_text(entity, slot, doc))


def document_iri(doc_id: str) -> URIRef:
    """`kgr:doc/<segment>` for a document id (see `document_segment`)."""
    return URIRef(document_iri_text(doc_id))


def document_graph(doc_id: str) -> URIRef:
    """The named graph of a document in stores, TriG/N-Quads and pushes:
    `kgr:graph/<segment>`; writing (`kgbuild.stores.files.partition`) and removal
    (`kgbuild.stores.oxigraph.GraphStore.remove_documents`) both name graphs with it."""
    return segment_graph(document_segment(doc_id))


def segment_graph(segment: str) -> URIRef:
    """`kgr:graph/<segment>` for a segment made by `document_segment`."""
    return KGR[f"graph/{segment}"]


def event_iri(event: Event) -> URIRef:
    """Deterministic event IRI from `event_key`."""
    return URIRef(event_iris(event)[0])


def mention_iri(event: Event) -> URIRef:
    """Deterministic mention IRI: document, sentence, action position and event."""
    return URIRef(event_iris(event)[1])


def _date_literal(value: str) -> Literal:
    return cast(Literal, to_rdflib_term(mapping.date(value)))


def decimal_literal(value: float) -> Literal:
    """An xsd:decimal literal in the form of `decimal_text`."""
    return cast(Literal, to_rdflib_term(mapping.decimal(value)))


def point_wkt(lat: float, lon: float) -> Literal:
    """The GeoSPARQL WKT literal of a WGS84 point: "POINT(lon lat)" (longitude first)."""
    return cast(Literal, to_rdflib_term(mapping.point_wkt(lat, lon)))


def to_rdflib_term(term) -> URIRef | Literal:
    """A neutral term of `kgbuild.graph.mapping` as an rdflib term."""
    if isinstance(term, str):
        return URIRef(term)
    lexical, datatype, lang = term
    return Literal(lexical, datatype=URIRef(datatype) if datatype else None, lang=lang)


def merge_triples(graph: Graph, triples: mapping.Triples) -> None:
    """Add neutral triples to an rdflib graph by their predicates' merge rules (see
    `kgbuild.graph.mapping`): into an empty graph as they are, into a filled one against the
    values it holds."""
    rd = memoized(to_rdflib_term)
    if len(graph) == 0:
        graph.addN((rd(s), rd(p), rd(o), graph) for s, p, o in triples)
        return
    for s, p, objects in triples.groups():
        subject, predicate = rd(s), rd(p)
        if p in mapping.MANY:
            for o in objects:
                graph.add((subject, predicate, rd(o)))
            continue
        new = rd(objects[0])
        old = graph.value(subject, predicate) if p in mapping.LEAST else None
        if old is None or str(new) < str(old):
            graph.set((subject, predicate, new))


def update_counts(graph: Graph, events: Iterable[Node]) -> None:
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
    """Merge events (and optional document metadata) into a new or existing graph, as
    `kgbuild.graph.mapping.map_batch` maps them.

    Building from A then adding B gives the same graph as building from A and B.
    """
    graph = new_graph() if graph is None else graph
    triples, touched = mapping.map_batch(events, documents)
    merge_triples(graph, triples)
    update_counts(graph, [URIRef(ev) for ev in touched])
    return graph


#: Properties with one value per node: when graphs built apart are merged, the smallest wins.
MIN_VALUED = (RDFS.label, KG.role)


def merge_chunks(chunks: Iterable[str]) -> Graph:
    """One graph from N-Quads texts of graphs built apart (e.g. from parts of a corpus),
    with what spans them made whole again: mention counts and first/last report dates
    recounted over every event, and one label and role per node (the smallest, as
    `merge_triples` keeps)."""
    graph = new_graph()
    for chunk in chunks:
        dataset = Dataset()
        with warnings.catch_warnings():  # rdflib 7's N-Quads parser uses its own deprecated API
            warnings.simplefilter("ignore", DeprecationWarning)
            dataset.parse(data=chunk, format="nquads")
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            graph.add((s, p, o))
    for prop in MIN_VALUED:
        _keep_min(graph, prop)
    update_counts(graph, list(graph.subjects(RDF.type, KG.Event)))
    return graph


def _keep_min(graph: Graph, prop) -> None:
    """Keep only the lexically smallest value of `prop` on every node that has several."""
    values: dict = {}
    for s, o in graph.subject_objects(prop):
        values.setdefault(s, []).append(o)
    for subject, found in values.items():
        keep = min(found, key=str)
        for value in found:
            if value != keep:
                graph.remove((subject, prop, value))
