"""Issue 12, item 2: the store's direct writer (`add_events`) writes what `add` of an rdflib
graph writes, and terms round-trip between rdflib and pyoxigraph."""
from rdflib import Graph
from rdflib.compare import isomorphic

from kgbuild import build_graph
from kgbuild.graph.quads import ox_quads, to_rdflib
from kgbuild.stores.oxigraph import GraphStore


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
