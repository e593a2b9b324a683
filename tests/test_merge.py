"""The same real-world event reported in different words becomes one event node (issue 4)."""
from rdflib import RDF, Literal
from rdflib.compare import isomorphic

from kgbuild import Document, build_graph, extract_events
from kgbuild.graph.namespace import KG
from kgbuild.graph.validate import validate_graph

A = Document("a", "Moscow will deploy Iskander missiles in Kaliningrad on Monday.", date="2024-03-04")
B = Document("b", "Officials said Russia will deploy new Iskander missiles in the Kaliningrad exclave on Monday.",
             date="2024-03-04")
C = Document("c", "Lithuania condemned the deployment on Tuesday.", date="2024-03-05")


def deploy_events(graph):
    return [e for e in graph.subjects(RDF.type, KG.Event) if graph.value(e, KG.action) == Literal("deploy")]


def test_different_wordings_merge_into_one_event_with_two_mentions(nlp):
    graph = build_graph(extract_events([A, B], nlp=nlp))
    (ev,) = deploy_events(graph)
    assert graph.value(ev, KG.mentionCount) == Literal(2)
    docs = {str(graph.value(m, KG.document)).rsplit("/", 1)[-1] for m in graph.objects(ev, KG.mention)}
    assert docs == {"a", "b"}
    assert str(graph.value(ev, KG.time)) == "2024-03-04"


def test_build_is_idempotent_and_incremental(nlp):
    ab = build_graph(extract_events([A, B, C], nlp=nlp))
    again = build_graph(extract_events([A, B, C], nlp=nlp))
    assert isomorphic(ab, again)
    incremental = build_graph(extract_events([C], nlp=nlp), graph=build_graph(extract_events([A, B], nlp=nlp)))
    assert isomorphic(ab, incremental)
    twice = build_graph(extract_events([A], nlp=nlp), graph=build_graph(extract_events([A, B, C], nlp=nlp)))
    assert isomorphic(ab, twice)  # adding a document again changes nothing


def test_sample_graph_passes_shacl_validation(sample_graph):
    assert validate_graph(sample_graph) == []


def test_shacl_reports_broken_events_in_plain_words(sample_graph):
    from rdflib import Graph

    broken = Graph()
    for t in sample_graph:
        broken.add(t)
    ev = next(iter(broken.subjects(RDF.type, KG.Event)))
    broken.remove((ev, KG.actor, None))
    problems = validate_graph(broken)
    assert problems and any("actor" in str(p).lower() for p in problems)


def test_removing_a_document_gives_the_graph_without_it(nlp):
    from kgbuild.graph.build import remove_document

    ab = build_graph(extract_events([A, C], nlp=nlp))
    removed = remove_document(ab, "c")
    assert removed > 0
    assert isomorphic(ab, build_graph(extract_events([A], nlp=nlp)))


def test_removing_one_of_two_reports_keeps_the_event_with_one_mention(nlp):
    from kgbuild.graph.build import remove_document

    graph = build_graph(extract_events([A, B], nlp=nlp))
    remove_document(graph, "b")
    (ev,) = deploy_events(graph)
    assert graph.value(ev, KG.mentionCount) == Literal(1)
