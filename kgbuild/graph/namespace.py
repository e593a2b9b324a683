"""RDF namespaces of the kgbuild ontology.

GENERATED FILE - DO NOT EDIT. It is generated from ontology/kgbuild.ttl
(the ``kgbuild.ontology`` package) by scripts/gen_namespace.py.
After changing the ontology, regenerate it from the repository root with::

    python scripts/gen_namespace.py

and check that it is current with ``python scripts/gen_namespace.py --check``.

Ontology https://w3id.org/kgbuild/ns, version 0.1.0.
Terms: 22 classes, 16 object properties, 55 datatype properties.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.graph import Graph
from rdflib.namespace import (
    DCTERMS,
    OWL,
    PROV,
    RDF,
    RDFS,
    SKOS,
    XSD,
    DefinedNamespace,
)

__all__ = [
    "DCTERMS",
    "GEO",
    "KG",
    "KGR",
    "ONTOLOGY_IRI",
    "ONTOLOGY_VERSION",
    "ONTOLOGY_VERSION_IRI",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SEM",
    "SKOS",
    "WGS",
    "XSD",
    "bind_prefixes",
]

ONTOLOGY_IRI = URIRef("https://w3id.org/kgbuild/ns")
ONTOLOGY_VERSION_IRI = URIRef("https://w3id.org/kgbuild/ns/0.1.0")
ONTOLOGY_VERSION = "0.1.0"


class KG(DefinedNamespace):
    """Terms of the kgbuild ontology (closed: unknown names raise AttributeError)."""

    _NS = Namespace("https://w3id.org/kgbuild/ns#")
    _fail = True

    # Classes
    Actor: URIRef  # A state, organisation, armed force, group or person that takes part in events.
    ArmedForce: URIRef  # A state's military, police or security force, or a unit of one.
    Country: URIRef  # A sovereign state acting as a whole.
    Document: URIRef  # One input text, usually a news article.
    Dyad: URIRef  # One row of the saved query dyads, precomputed by a store: an ordered pair of actor labels (who acts, who is acted on or receives), with the number of events between them and the sum of their Goldstein scores.
    DyadIndex: URIRef  # The named graph of a store that holds every kg:Dyad; its presence says the index is complete.
    Equipment: URIRef  # Non-weapon material acted on in an event.
    Event: URIRef  # One real-world event, however many reports of it were found.
    EventType: URIRef  # A kind of event, as a concept of the CAMEO event code scheme.
    Facility: URIRef  # A building or installation acted on in an event.
    Government: URIRef  # The government of a state or one of its bodies.
    Group: URIRef  # A collective of people that is not a formal organisation or a state body.
    InternationalOrganization: URIRef  # An organisation of states, or one that works across states.
    Media: URIRef  # A news organisation or outlet acting in an event or cited as a source.
    Mention: URIRef  # One report of an event in one sentence.
    Organization: URIRef  # A non-state organisation other than a media outlet.
    Person: URIRef  # A single human being acting in an event.
    Place: URIRef  # A geographic location where an event happens.
    Sentence: URIRef  # One sentence of a document as split by the language pipeline.
    Target: URIRef  # A thing acted on in an event that is not itself an actor.
    TimelineIndex: URIRef  # The named graph of a store (kgr:index/timeline) that lists, per actor, target or recipient node, the days it has events on and what it did or underwent each day (kg:activeOn), and the events of each (kg:onDay), so the saved query timeline reads a node's first days without reading every event of the node; its presence says the index is complete.
    Weapon: URIRef  # A weapon or weapon system acted on in an event.

    # Object properties
    actor: URIRef  # The actor who carries out the event.
    attributedTo: URIRef  # The actor the report is attributed to.
    contentActor: URIRef  # Who is to do the content act when it is not the event's actor: the party asked, urged or accused.
    contentEventType: URIRef  # The CAMEO event type of the content act (the event's own kg:eventType is the framing code, CAMEO's parallel code where it has one).
    contentTarget: URIRef  # The thing or party the content act is done to.
    country: URIRef  # The country an actor belongs to or a place lies in.
    document: URIRef  # The document a sentence or a mention comes from.
    eventType: URIRef  # The CAMEO event type the action was mapped to.
    inDyad: URIRef  # A row of a store's dyad index that the event counts in (stores only, in the named graph kgr:index/dyads), so a build moves the event's share of the index when its rows change instead of recounting the rows.
    location: URIRef  # The place where the event happens.
    mention: URIRef  # A report of this event in one sentence.
    mentionOf: URIRef  # The event that this mention reports.
    onDay: URIRef  # The bucket of one of the event's parties, one of its dates, its slot and its action (kgr:timeline/ and the SHA-1 of the party's IRI, the date's text, and the slot and action joined by a tab, separated by line breaks).
    recipient: URIRef  # The actor who receives or is addressed by the event.
    sentence: URIRef  # The sentence the mention was extracted from.
    target: URIRef  # What the event is done to: an actor or a thing.

    # Datatype properties
    action: URIRef  # The lemma of the action word or phrase, such as 'sanction' or 'call for'.
    actionEnd: URIRef  # Document character offset just past the action words.
    actionStart: URIRef  # Document character offset where the action words begin.
    actionText: URIRef  # The action words exactly as written in the sentence.
    activeOn: URIRef  # On a node: the text of a date (a kg:time value) of an event whose actor, target or recipient the node is.
    actorEnd: URIRef  # Document character offset just past the actor words.
    actorStart: URIRef  # Document character offset where the actor words begin.
    actorText: URIRef  # The words naming the actor, exactly as written in the sentence.
    attributionText: URIRef  # The words naming the source the report is attributed to, as written.
    cameoActorCode: URIRef  # The combined CAMEO actor code of the actor, as PETRARCH and GDELT write it: country code, role and organisation code joined, such as RUSGOV, USAMIL, SYRREB, RUS, IGOUNO, IGOWSTNAT (NATO), NGO or REB.
    cameoCode: URIRef  # The CAMEO event code of the type, two to four digits such as '0231'.
    cameoRoot: URIRef  # The two-digit CAMEO root code the type belongs to, from '01' to '20'.
    confidence: URIRef  # How sure the extractor is that the mention is correct, from 0 to 1.
    contentAction: URIRef  # The lemma of the act a framing event is about, kept on that event instead of being a second event: 'open' for 'agreed to open its borders', 'release' for 'urged Y to release the prisoners', 'harbour' for 'accused Y of harbouring'.
    contentHash: URIRef  # The SHA-256 of the document text (hex).
    contentMode: URIRef  # How the event holds its content act: 'intended' (agreed, offered, threatened to do it), 'refused' (refused or declined to do it), 'requested' (asked, urged or demanded of another party: kg:contentActor), 'alleged' (accused another party of it), 'considered' (is weighing it), 'prevented' (barred or kept another party from doing it).
    contentText: URIRef  # The words of the governed clause as written ('to open its borders').
    countryCode: URIRef  # The ISO 3166-1 alpha-3 code of the country, in upper case, such as 'FRA'.
    docId: URIRef  # The identifier of the document within the input, unique per build.
    dyadEvents: URIRef  # The number of distinct events of the dyad.
    dyadGoldstein: URIRef  # The sum of the Goldstein scores of the dyad's events (0 for events without one), as the saved query dyads sums them.
    dyadOther: URIRef  # The label of the side acted on (an actor target) or receiving (a recipient).
    dyadRank: URIRef  # The position of the dyad's row in the saved query dyads' order (0 first), so a page of the index is read without sorting every row.
    dyadSource: URIRef  # The label of the acting side of the dyad.
    end: URIRef  # Document character offset just past the end of the sentence.
    featureKind: URIRef  # What kind of geographic feature the place is.
    firstReported: URIRef  # The earliest publication date of the documents that mention the event.
    goldstein: URIRef  # The Goldstein scale score of the event type, from -10 to 10.
    instrumentText: URIRef  # The words naming the attack or weapon the report makes the subject of the event (an airstrike, a car bomb), exactly as written; the actor is who used it, when the text says.
    lastReported: URIRef  # The latest publication date of the documents that mention the event.
    locationText: URIRef  # The words naming the location, exactly as written in the sentence.
    mentionCount: URIRef  # The number of mentions merged into the event.
    modality: URIRef  # Whether the event is reported as real, planned or hypothetical.
    negated: URIRef  # True when the report says the action did not or will not happen.
    plover: URIRef  # The PLOVER event category the CAMEO type maps to, such as SANCTION.
    ploverContext: URIRef  # A PLOVER context of the event type, the policy area it concerns, such as military, legal or diplomatic.
    ploverMode: URIRef  # The PLOVER mode of the event type, which says how the PLOVER event was carried out, such as disarm, arrest or restrict.
    published: URIRef  # The publication date of the document.
    publishedText: URIRef  # The words of the document text its publication date was read from.
    quadClass: URIRef  # The quad class of the event type, an integer from 0 to 4, as in the OEDA Phoenix event data.
    recipientText: URIRef  # The words naming the recipient, exactly as written in the sentence.
    role: URIRef  # The CAMEO actor role code of the actor.
    rule: URIRef  # The extraction rule that produced the mention, with its parse path.
    source: URIRef  # The input file the document was read from, as given on the command line.
    start: URIRef  # Document character offset where the sentence begins.
    targetEnd: URIRef  # Document character offset just past the target words.
    targetStart: URIRef  # Document character offset where the target words begin.
    targetText: URIRef  # The words naming the target, exactly as written in the sentence.
    text: URIRef  # The text of the sentence exactly as it appears in the document.
    time: URIRef  # The date the event happened or is expected to happen.
    timeEnd: URIRef  # The last day of the interval in which the event happened, when the report gives an interval ("last week", "earlier this month"); kg:time is then the first day.
    timeText: URIRef  # The time expression exactly as written, such as 'last Tuesday'.
    title: URIRef  # The headline or title of the document.
    url: URIRef  # The web address the document was published at, when known.
    wikidata: URIRef  # The IRI of the Wikidata entity the resource denotes.


#: Resource IRIs minted by kgbuild (events, mentions, actors, documents...).
KGR = Namespace("https://w3id.org/kgbuild/id/")
#: Simple Event Model.
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
#: schema.org, https form (the same IRI as rdflib's ``SDO``).
SCHEMA = Namespace("https://schema.org/")
#: GeoSPARQL (geometries as WKT).
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
#: W3C Basic Geo (WGS84 lat/long).
WGS = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")

#: Prefixes bound by :func:`bind_prefixes`, in binding order.
PREFIXES: dict[str, str] = {
    "kg": str(KG),
    "kgr": str(KGR),
    "sem": str(SEM),
    "prov": str(PROV),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "schema": str(SCHEMA),
    "xsd": str(XSD),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "geo": str(GEO),
    "wgs": str(WGS),
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the kgbuild prefixes on ``graph`` and return it.

    Existing bindings of these prefixes, or of these namespaces to other
    prefixes, are replaced so serialisations always use the same names.
    """
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, Namespace(namespace), override=True, replace=True)
    return graph
