"""Issue 12, item 2: one mapping, two writers. The store's direct writer (neutral triples ->
N-Quads text -> Oxigraph bulk load) gives, term for term, the graph `build_graph` gives;
`build -o` written by Oxigraph reads back as the rdflib-built graph."""
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kgbuild import build_graph, read_documents
from kgbuild.graph.datasets import partition, to_dataset
from kgbuild.graph.mapping import map_batch
from kgbuild.graph.namespace import KG
from kgbuild.graph.quads import nquads_lines
from kgbuild.model import Action, Document, Entity, Event, EventType, Sentence, TimeRef
from kgbuild.stores import serialize_graph
from kgbuild.stores.oxigraph import GraphStore

AGGREGATES = (KG.mentionCount, KG.firstReported, KG.lastReported)


def direct_graph(events, documents=()) -> Graph:
    """What the store writer loads, parsed back by rdflib (the union of its graphs)."""
    triples, _ = map_batch(events, documents)
    dataset = Dataset()
    dataset.parse(data="".join(nquads_lines(partition(triples))), format="nquads")
    out = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        out.add((s, p, o))
    return out


def without_aggregates(graph: Graph) -> Graph:
    out = Graph()
    for triple in graph:
        if triple[1] not in AGGREGATES:
            out.add(triple)
    return out


def edge_events() -> tuple[list[Event], list[Document]]:
    """Places with coordinates, attribution, negation, every date form, document metadata,
    and texts that need escaping."""
    moscow = Entity("Moscow", "Russia", type="Government", country="RUS", role="GOV",
                    key="country/RUS/GOV", wikidata="Q159", start=0, end=6)
    kyiv = Entity("Kyiv", "Kyiv", type="Place", country="UKR", key="place/geonames/703448",
                  geonames=703448, lat=50.45466, lon=30.5238, feature_kind="city", start=40, end=44)
    ukraine = Entity("Ukraine", "Ukraine", type="Country", country="UKR", key="country/UKR",
                     geonames=690791, lat=49.0, lon=32.0, feature_kind="country")
    border = Entity("the border", "border", key="doc/d 1/place/border")
    spokesman = Entity("a \"spokesman\"", "spokesman", type="Person", key="person/spokesman")
    etype = EventType("190", "Use conventional military force", "19", plover="ASSAULT",
                      plover_mode="aerial", plover_context=("military", "territory"),
                      goldstein=-10.0, quad_class=4)
    sentence = Sentence('Moscow said it "struck"\\ Kyiv;\nnot the border — ünïcödé.', 0, 60)
    base = dict(doc="d 1", sentence=sentence, actor=moscow, action=Action("struck", "strike", 16, 22),
                event_type=etype, confidence=0.9, explanation="nsubj-dobj", doc_date="2024-03-04")
    events = [
        Event(**base, target=kyiv, location=kyiv, time=TimeRef("on Monday", "2024-03-02"),
              attribution=spokesman),
        Event(**base, target=ukraine, negated=True, modality="future",
              time=TimeRef("in March", "2024-03")),
        Event(**base, recipient=ukraine, location=border, time=TimeRef("in 2023", "2023"),
              instrument=Entity("drones", "drone", key="thing/drone")),
        Event(**{**base, "doc": "d/2", "doc_date": None}, target=ukraine,
              time=TimeRef("last week", "2024-02-26/2024-03-03")),
        Event(**{**base, "actor": Entity("Russia", "Russia", type="Country", country="RUS",
                                         key="country/RUS/GOV")}, target=ukraine),  # label: least
    ]
    documents = [Document("d 1", "text", "2024-03-04", "https://example.org/a?b=1&c=\"2\"",
                          "A \"title\"\n", "Wire"),
                 Document("d/2", "", "2024", sha256="ab" * 32)]
    return events, documents


def test_direct_writer_equals_build_graph_on_the_sample_corpus(sample_events, sample_dir):
    docs = [Document(d.id, "", d.date, d.url, d.title, d.source, d.content_hash())
            for d in read_documents([sample_dir])]
    direct = direct_graph(sample_events, docs)
    assert len(direct) > 500
    assert isomorphic(direct, without_aggregates(build_graph(sample_events, documents=docs)))


def test_direct_writer_equals_build_graph_on_edge_cases():
    events, documents = edge_events()
    direct = direct_graph(events, documents)
    expected = without_aggregates(build_graph(events, documents=documents))
    assert isomorphic(direct, expected)
    kinds = {p for _, p, _ in direct}
    for prop in (KG.attributedTo, KG.negated, KG.timeEnd, KG.published, KG.url, KG.title,
                 KG.contentHash, KG.ploverContext, KG.instrumentText, KG.wikidata):
        assert prop in kinds, prop


def test_store_written_directly_equals_build_graph(tmp_path, sample_events):
    events, documents = edge_events()
    with GraphStore(tmp_path / "s") as store:
        store.add_events(sample_events + events, documents)
        store.finalize()
        assert isomorphic(store.to_graph(), build_graph(sample_events + events, documents=documents))


def test_store_batches_equal_one_build(tmp_path, sample_events, monkeypatch):
    monkeypatch.setattr("kgbuild.stores.bulkload.WRITE_QUADS", 50)  # many bulk loads
    half = len(sample_events) // 2
    with GraphStore(tmp_path / "s") as store:
        store.add_events(sample_events[:half])
        assert len(store) > 0  # a read writes what is buffered
        store.add_events(sample_events[half:])
        store.finalize()
        assert isomorphic(store.to_graph(), build_graph(sample_events))


def read_back(text: str, fmt: str) -> Graph:
    if fmt not in ("trig", "nquads"):
        return Graph().parse(data=text, format=fmt)
    dataset = Dataset()
    dataset.parse(data=text, format=fmt)
    assert len(list(dataset.graphs())) > 2  # one named graph per document
    back = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        back.add((s, p, o))
    return back


@pytest.mark.parametrize("fmt", ["turtle", "nt", "trig", "nquads"])
def test_oxigraph_output_reads_back_as_the_rdflib_output(sample_graph, fmt):
    text = serialize_graph(sample_graph, fmt)
    back = read_back(text, fmt)
    assert isomorphic(back, sample_graph)
    source = to_dataset(sample_graph) if fmt in ("trig", "nquads") else sample_graph
    assert isomorphic(back, read_back(source.serialize(format=fmt), fmt))  # rdflib's writer
    if fmt == "turtle":
        assert "@prefix kg: <https://w3id.org/kgbuild/ns#>" in text and "\tkg:actor kgr:" in text
