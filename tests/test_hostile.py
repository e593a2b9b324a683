"""Hostile text: any input gives valid Turtle, N-Triples, JSON-LD and GraphML that rdflib,
pyoxigraph, Raptor's rapper and networkx read back; the extractor never raises (issue 6)."""
import shutil
import subprocess

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph
from rdflib.compare import isomorphic

from kgbuild import Action, Document, Entity, Event, Sentence, build_graph, extract_events, save_graph
from kgbuild.viz.graphml import write_graphml

NASTY = ['"', "'", "<", ">", "\\", "&", "\x00", "\x01", "\x0b", "\x1f", "\x7f", "\u200f", "\u202e",
         "\ufeff", "😀", "\U0001F1F7\U0001F1FA", "http://evil.example/x>", "_:b0", "@prefix", "\n",
         "\r", "\t", "]]>", "</script>", "{{", "%20", "\ud7ff", "\ue000", "\ufffe"]
texts = st.lists(st.one_of(st.sampled_from(NASTY), st.text(min_size=0, max_size=12)),
                 min_size=1, max_size=12).map("".join)
RAPPER = shutil.which("rapper")


def hostile_event(text: str, doc: str) -> Event:
    ent = Entity(text=text, label=text or "x", type="Person", country="RUS", role="GOV",
                 key=f"person/{text}", start=0, end=len(text))
    thing = Entity(text=text, label=text + "!", type="Weapon", key=f"thing/{text}")
    return Event(doc=doc, sentence=Sentence(text=text, start=0, end=len(text)), actor=ent,
                 action=Action(text=text, lemma=text or "x", start=0, end=1), target=thing,
                 location=Entity(text=text, label=text, type="Place", key=f"place/{text}"),
                 attribution=ent, confidence=0.5, explanation=text, doc_date=None)


def check_outputs(graph: Graph, folder) -> None:
    import pyoxigraph

    for fmt, suffix, ox, raptor in (("turtle", ".ttl", pyoxigraph.RdfFormat.TURTLE, "turtle"),
                                    ("nt", ".nt", pyoxigraph.RdfFormat.N_TRIPLES, "ntriples"),
                                    ("jsonld", ".jsonld", pyoxigraph.RdfFormat.JSON_LD, None)):
        path = save_graph(graph, folder / f"g{suffix}")
        assert isomorphic(Graph().parse(path, format={"nt": "nt"}.get(fmt, fmt if fmt != "jsonld" else "json-ld")), graph)
        quads = list(pyoxigraph.parse(path=str(path), format=ox))
        assert len(quads) == len(graph)
        if raptor and RAPPER:
            proc = subprocess.run([RAPPER, "-i", raptor, "-c", str(path)], capture_output=True, text=True)
            assert proc.returncode == 0, proc.stderr
            assert f"returned {len(graph)} triples" in proc.stderr + proc.stdout
    net = nx.read_graphml(write_graphml(graph, folder / "g.graphml"))
    assert net.number_of_nodes() >= 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts, doc=texts)
def test_any_text_gives_valid_rdf_and_graphml(tmp_path_factory, text, doc):
    graph = build_graph([hostile_event(text, doc)])
    check_outputs(graph, tmp_path_factory.mktemp("hostile"))


@pytest.mark.parametrize("text, doc", [('"', '".'), ("x.", "y."), ("a.b", "..")])
def test_names_ending_in_a_dot_give_turtle_rdflib_reads(tmp_path, text, doc):
    """Oxigraph writes a final dot of a prefixed name as `\\.`, which rdflib cannot read."""
    check_outputs(build_graph([hostile_event(text, doc)]), tmp_path)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts)
def test_extractor_never_raises_on_any_text(nlp, text):
    events = list(extract_events([Document("fuzz", text)], nlp=nlp))
    for e in events:
        assert 0 <= e.sentence.start <= e.sentence.end <= len(text)


def test_hostile_sentence_through_the_whole_pipeline(nlp, tmp_path):
    text = ('The "Front <script>alert(1)</script>" said Moscow will deploy Iskander missiles '
            'in Kaliningrad \u202e\U0001F680, \\ sources & <b>officials</b> said.\x0b')
    events = list(extract_events([Document('doc "1" <x>', text)], nlp=nlp))
    assert events
    check_outputs(build_graph(events), tmp_path)


def test_rapper_is_installed():
    """scripts/install-system-deps.sh installs raptor2-utils; the checks above need it."""
    assert RAPPER, "install raptor2-utils (scripts/install-system-deps.sh)"
