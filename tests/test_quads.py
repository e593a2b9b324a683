"""Issue 12, item 2: batches built in a TripleBuffer, not an rdflib Graph, give the same
triples and the same store."""
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kgbuild import build_graph
from kgbuild.quads import TripleBuffer, ox_quads, to_rdflib
from kgbuild.store import GraphStore


def test_triple_buffer_build_equals_the_rdflib_graph_build(sample_events):
    buffer = build_graph(sample_events, graph=TripleBuffer())
    as_graph = Graph()
    for triple in buffer:
        as_graph.add(triple)
    assert len(buffer) == len(as_graph) > 500
    assert isomorphic(as_graph, build_graph(sample_events))


def test_triple_buffer_set_value_and_remove_keep_graph_semantics():
    s, p = URIRef("http://x/s"), URIRef("http://x/p")
    buffer, graph = TripleBuffer(), Graph()
    for target in (buffer, graph):
        target.add((s, p, Literal("a"))).add((s, p, Literal("b"))).add((s, p, Literal("a")))
    assert sorted(buffer.objects(s, p)) == sorted(graph.objects(s, p))
    for target in (buffer, graph):
        target.set((s, p, Literal("c")))
    assert list(buffer) == list(graph) and buffer.value(s, p) == Literal("c")
    buffer.remove((s, p, None))
    assert len(buffer) == 0 and buffer.value(s, p) is None and (s, p, Literal("c")) not in buffer


def test_add_events_writes_what_add_of_a_graph_writes(tmp_path, sample_events):
    with GraphStore(tmp_path / "a") as a, GraphStore(tmp_path / "b") as b:
        assert a.add(build_graph(sample_events)) == b.add_events(sample_events)
        a.finalize()
        b.finalize()
        assert isomorphic(a.to_graph(), b.to_graph())


def test_quads_round_trip_terms(sample_graph):
    back = Graph()
    for quad in ox_quads((s, p, o, None) for s, p, o in sample_graph):
        back.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    assert isomorphic(back, sample_graph)
