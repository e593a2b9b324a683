"""The ontology files and the generated namespace module agree with each other.

The ontology is read the way the installed package reads it, through
``importlib.resources`` (package ``kgbuild.ontology``), never from a path in
the repository checkout.
"""

from __future__ import annotations

import datetime
import importlib.resources
import inspect
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from kgbuild.graph.namespace import (
    KG,
    KGR,
    ONTOLOGY_IRI,
    ONTOLOGY_VERSION,
    ONTOLOGY_VERSION_IRI,
    PREFIXES,
    bind_prefixes,
)

KG_NS = "https://w3id.org/kgbuild/ns#"
# A plain string, not rdflib's XSD: pytest probes module globals for attributes
# during collection, and XSD (an open DefinedNamespace) warns on unknown names.
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
PROPERTY_TYPES = TERM_TYPES[1:]
# Properties deliberately declared without rdfs:domain (see their comments).
OPEN_DOMAIN = {"document", "wikidata"}


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


def ontology_resource(name: str):
    """Return the Traversable for a file of the installed ``kgbuild.ontology`` package."""
    return importlib.resources.files("kgbuild.ontology").joinpath(name)


def load_graph(name: str, fmt: str) -> Graph:
    return Graph().parse(data=ontology_resource(name).read_bytes(), format=fmt)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_graph("kgbuild.ttl", "turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_graph("shapes.ttl", "turtle")


@pytest.fixture(scope="module")
def context() -> dict:
    return json.loads(ontology_resource("context.jsonld").read_text(encoding="utf-8"))["@context"]


@pytest.fixture(scope="module")
def terms(ontology: Graph) -> dict[str, URIRef]:
    """kg: terms declared in the ontology: local name -> rdf:type."""
    found: dict[str, URIRef] = {}
    for rdf_type in TERM_TYPES:
        for subject in ontology.subjects(RDF.type, rdf_type):
            if isinstance(subject, URIRef) and str(subject).startswith(KG_NS):
                name = str(subject)[len(KG_NS):]
                assert name not in found, f"kg:{name} is declared as two kinds of term"
                found[name] = rdf_type
    return found


def kg_names(nodes) -> set[str]:
    """Local names of the kg: IRIs among ``nodes`` (the bare namespace IRI excluded)."""
    return {
        str(n)[len(KG_NS):]
        for n in nodes
        if isinstance(n, URIRef) and str(n).startswith(KG_NS) and str(n) != KG_NS
    }


def expand(value: str, context: dict) -> str:
    """Expand a compact IRI ``prefix:name`` using the prefixes of ``context``."""
    prefix, sep, rest = value.partition(":")
    if sep and not rest.startswith("//") and isinstance(context.get(prefix), str):
        return context[prefix] + rest
    return value


def term_iri(definition, context: dict) -> str | None:
    iri = definition.get("@id") if isinstance(definition, dict) else definition
    if not isinstance(iri, str) or iri.startswith("@"):
        return None
    return expand(iri, context)


# --------------------------------------------------------------------------
# (1) the namespace module matches the ontology term for term
# --------------------------------------------------------------------------


def test_ontology_declares_terms(terms):
    kinds = {t: sum(1 for k in terms.values() if k == t) for t in TERM_TYPES}
    assert kinds[OWL.Class] > 0
    assert kinds[OWL.ObjectProperty] > 0
    assert kinds[OWL.DatatypeProperty] > 0


def test_kg_namespace_matches_ontology(terms):
    annotated = set(inspect.get_annotations(KG))
    assert sorted(set(terms) - annotated) == [], "in kgbuild.ttl but missing from KG"
    assert sorted(annotated - set(terms)) == [], "in KG but not declared in kgbuild.ttl"


def test_kg_attributes_are_the_ontology_iris(terms):
    assert str(KG) == KG_NS
    for name in terms:
        assert getattr(KG, name) == URIRef(KG_NS + name)
        assert KG[name] == URIRef(KG_NS + name)


def test_kg_namespace_is_closed():
    with pytest.raises(AttributeError):
        KG.NoSuchTerm  # noqa: B018
    assert URIRef(KG_NS + "Event") in KG
    assert URIRef(KG_NS + "NoSuchTerm") not in KG


def test_generated_module_is_current():
    """scripts/gen_namespace.py --check, when run from a source checkout."""
    script = Path(__file__).resolve().parents[1] / "scripts" / "gen_namespace.py"
    if not script.is_file():
        pytest.skip("not a source checkout")
    result = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


# --------------------------------------------------------------------------
# (2) every term is documented
# --------------------------------------------------------------------------


def test_every_term_has_label_and_comment(ontology, terms):
    missing = []
    for name in terms:
        iri = KG[name]
        for prop in (RDFS.label, RDFS.comment):
            values = [v for v in ontology.objects(iri, prop) if isinstance(v, Literal)]
            if not any(v.language == "en" and str(v).strip() for v in values):
                missing.append(f"kg:{name} {ontology.qname(prop)}@en")
    assert missing == []


def test_every_term_is_defined_by_the_namespace(ontology, terms):
    not_defined = [n for n in terms if (KG[n], RDFS.isDefinedBy, URIRef(KG_NS)) not in ontology]
    assert not_defined == []


def test_properties_have_domain_and_range(ontology, terms):
    problems = []
    for name, kind in terms.items():
        if kind not in PROPERTY_TYPES:
            continue
        if ontology.value(KG[name], RDFS.range) is None:
            problems.append(f"kg:{name} has no rdfs:range")
        if name not in OPEN_DOMAIN and ontology.value(KG[name], RDFS.domain) is None:
            problems.append(f"kg:{name} has no rdfs:domain")
    assert problems == []


def test_kg_references_in_ontology_are_declared(ontology, terms):
    mentioned = kg_names(ontology.subjects()) | kg_names(ontology.objects())
    assert sorted(mentioned - set(terms)) == []


# --------------------------------------------------------------------------
# (3) shapes.ttl and context.jsonld parse and use only declared terms
# --------------------------------------------------------------------------


def test_shapes_use_only_declared_terms(shapes, terms):
    shape_nodes = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(
        shapes.subjects(RDF.type, SH.PropertyShape)
    )
    nodes = set(shapes.subjects()) | set(shapes.predicates()) | set(shapes.objects())
    assert kg_names(shape_nodes) == {
        "EventShape",
        "MentionShape",
        "SentenceShape",
        "ActorShape",
        "PlaceShape",
        "PointShape",
        "EventTypeShape",
        "DateFromTextShape",
    }
    assert sorted(kg_names(nodes - shape_nodes) - set(terms)) == []


def test_every_shape_has_a_message(shapes):
    shape_nodes = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.objects(None, SH.property))
    silent = [s for s in shape_nodes if shapes.value(s, SH.message) is None]
    assert silent == []


def test_context_parses_with_rdflib():
    graph = load_graph("context.jsonld", "json-ld")
    assert len(graph) == 0  # a context alone states nothing


def test_context_uses_only_declared_terms(context, terms):
    iris = {term_iri(d, context) for k, d in context.items() if not k.startswith("@")}
    assert sorted(kg_names(URIRef(i) for i in iris if i) - set(terms)) == []


def test_context_maps_every_term_with_the_right_type(ontology, context, terms):
    assert context.get("@version") == 1.1
    for prefix in ("kg", "sem", "prov", "schema", "skos", "dcterms", "xsd", "rdfs", "owl"):
        assert prefix in context, f"prefix {prefix} missing"
        assert context[prefix] == PREFIXES[prefix]
    for name, kind in terms.items():
        definition = context.get(name)
        assert definition is not None, f"kg:{name} missing from context.jsonld"
        assert term_iri(definition, context) == KG_NS + name
        declared = definition.get("@type") if isinstance(definition, dict) else None
        if kind == OWL.ObjectProperty:
            assert declared == "@id", f"{name} should have @type @id"
        elif kind == OWL.DatatypeProperty:
            rng = ontology.value(KG[name], RDFS.range)
            union = ontology.value(rng, OWL.unionOf)
            # For a union of datatypes (full or partial dates), the first one.
            if union is not None:
                rng = next(iter(Collection(ontology, union)))
            expected = None if rng == URIRef(XSD_NS + "string") else f"xsd:{str(rng)[len(XSD_NS):]}"
            assert declared == expected, f"{name}: @type {declared!r}, range {rng}"
        else:
            assert declared is None


def test_jsonld_round_trip_with_context(context):
    graph = bind_prefixes(Graph())
    event, actor = KGR["event/1"], KGR["actor/FRA"]
    graph.add((event, RDF.type, KG.Event))
    graph.add((event, KG.actor, actor))
    graph.add((event, KG.negated, Literal(False)))
    graph.add((event, KG.time, Literal(datetime.date(2024, 5, 1))))
    graph.add((actor, RDFS.label, Literal("France")))
    text = graph.serialize(format="json-ld", context=context, auto_compact=True)
    data = json.loads(text)
    node = next(n for n in data["@graph"] if n.get("id", n.get("@id")) == str(event))
    assert node["actor"] == str(actor)
    assert node["time"] == "2024-05-01"
    assert Graph().parse(data=text, format="json-ld").isomorphic(graph)


# --------------------------------------------------------------------------
# (4) the installed package carries a versioned ontology
# --------------------------------------------------------------------------


def test_installed_ontology_is_versioned():
    resource = ontology_resource("kgbuild.ttl")
    assert resource.is_file()
    graph = Graph().parse(data=resource.read_bytes(), format="turtle")
    ontologies = list(graph.subjects(RDF.type, OWL.Ontology))
    assert ontologies == [ONTOLOGY_IRI]
    assert graph.value(ONTOLOGY_IRI, OWL.versionIRI) == ONTOLOGY_VERSION_IRI
    assert str(graph.value(ONTOLOGY_IRI, OWL.versionInfo)) == ONTOLOGY_VERSION
    assert str(ONTOLOGY_VERSION_IRI).endswith(ONTOLOGY_VERSION)


@pytest.mark.parametrize("name", ["kgbuild.ttl", "shapes.ttl", "context.jsonld"])
def test_package_ships_ontology_files(name):
    assert ontology_resource(name).is_file()


# --------------------------------------------------------------------------
# namespace helpers
# --------------------------------------------------------------------------


def test_bind_prefixes():
    graph = bind_prefixes(Graph(bind_namespaces="none"))
    bound = {prefix: str(ns) for prefix, ns in graph.namespaces()}
    for prefix, namespace in PREFIXES.items():
        assert bound.get(prefix) == namespace
    graph.add((KGR["event1"], RDF.type, KG.Event))
    assert "kgr:event1 a kg:Event" in graph.serialize(format="turtle")


# --------------------------------------------------------------------------
# SHACL shapes behave (needs pyshacl, which is optional)
# --------------------------------------------------------------------------


def _valid_graph() -> Graph:
    g = Graph()
    event, mention, sentence = KGR["event/1"], KGR["mention/1"], KGR["sentence/1"]
    doc, actor, etype = KGR["doc/1"], KGR["actor/USA"], KGR["type/163"]
    for triple in [
        (event, RDF.type, KG.Event),
        (event, KG.actor, actor),
        (event, KG.action, Literal("sanction")),
        (event, KG.modality, Literal("asserted")),
        (event, KG.negated, Literal(False)),
        (event, KG.mention, mention),
        (event, KG.mentionCount, Literal(1)),
        (event, KG.time, Literal(datetime.date(2024, 3, 1))),
        (event, KG.eventType, etype),
        (etype, RDF.type, KG.EventType),
        (etype, SKOS.notation, Literal("163")),
        (etype, KG.cameoCode, Literal("163")),
        (etype, KG.goldstein, Literal(Decimal("-8.0"))),
        (etype, KG.quadClass, Literal(4)),
        (mention, RDF.type, KG.Mention),
        (mention, KG.sentence, sentence),
        (mention, KG.confidence, Literal(Decimal("0.85"))),
        (mention, KG.rule, Literal("svo: nsubj<sanction>dobj")),
        (sentence, RDF.type, KG.Sentence),
        (sentence, KG.text, Literal("The US sanctioned Iran.")),
        (sentence, KG.start, Literal(0)),
        (sentence, KG.end, Literal(23)),
        (sentence, KG.document, doc),
        (doc, RDF.type, KG.Document),
        (actor, RDF.type, KG.Country),
        (actor, RDFS.label, Literal("United States")),
        (actor, KG.countryCode, Literal("USA")),
    ]:
        g.add(triple)
    return g


def test_shapes_accept_a_valid_graph(shapes):
    import pyshacl
    conforms, _, report = pyshacl.validate(_valid_graph(), shacl_graph=shapes)
    assert conforms, report


@pytest.mark.parametrize(
    "time",
    [
        Literal("2024-03", datatype=URIRef(XSD_NS + "gYearMonth")),
        Literal("2024", datatype=URIRef(XSD_NS + "gYear")),
    ],
)
def test_shapes_accept_partial_dates(shapes, time):
    import pyshacl
    graph = _valid_graph()
    graph.set((KGR["event/1"], KG.time, time))
    conforms, _, report = pyshacl.validate(graph, shacl_graph=shapes)
    assert conforms, report


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda g: g.add((KGR["event/1"], KG.actor, KGR["actor/IRN"])), "exactly one actor"),
        (lambda g: g.set((KGR["event/1"], KG.modality, Literal("likely"))), "modality"),
        (lambda g: g.set((KGR["mention/1"], KG.confidence, Literal(Decimal("1.5")))), "confidence"),
        (lambda g: g.set((KGR["actor/USA"], KG.countryCode, Literal("US"))), "country code"),
        (lambda g: g.set((KGR["type/163"], KG.quadClass, Literal(5))), "quad class"),
        (lambda g: g.remove((KGR["sentence/1"], KG.document, None)), "one document"),
        (lambda g: g.set((KGR["event/1"], KG.time, Literal("last week"))), "at most one time"),
    ],
)
def test_shapes_reject_invalid_graphs(shapes, change, message):
    import pyshacl
    graph = _valid_graph()
    change(graph)
    conforms, _, report = pyshacl.validate(graph, shacl_graph=shapes)
    assert not conforms
    assert message in report
