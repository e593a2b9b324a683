"""The one build loop (issue 27 item 1): sources of (document, events) run into a sink, with
skip-known and replace-changed decided in one place for an rdflib graph and a store alike."""
from rdflib.compare import isomorphic

from kgbuild import Document, build_graph, extract_events
from kgbuild.event_records import EventRecord
from kgbuild.jobs.loop import run_job
from kgbuild.jobs.records import records_source
from kgbuild.jobs.sinks import GraphSink, StoreSink
from kgbuild.jobs.texts import text_source
from kgbuild.stores.oxigraph import GraphStore

FIRST = {"a": "Russia deployed troops to Belarus.", "b": "Nato condemned the deployment."}
SECOND = {"a": FIRST["a"], "b": "Iran attacked Israel on Monday.", "c": "Germany sanctioned Iran."}


def documents(texts: dict) -> list[Document]:
    return [Document(doc_id, text, date="2024-03-04") for doc_id, text in texts.items()]


def test_graph_and_store_sinks_skip_and_replace_alike(tmp_path, nlp):
    graph_sink = GraphSink()
    with GraphStore(tmp_path / "s") as store:
        store_sink = StoreSink(store)
        for texts in (FIRST, SECOND):
            into_graph = run_job(text_source(documents(texts), nlp), graph_sink)
            into_store = run_job(text_source(documents(texts), nlp), store_sink)
            assert into_graph.skipped == into_store.skipped
            assert into_graph.replaced == into_store.replaced
            assert into_graph.documents == into_store.documents
            assert into_graph.events == into_store.events
        assert (into_store.skipped, into_store.replaced, into_store.documents) == (1, 1, 2)
        held = store.to_graph()
    fresh = documents(SECOND)
    expected = build_graph(extract_events(fresh, nlp=nlp), documents=[d.stripped() for d in fresh])
    assert isomorphic(graph_sink.graph, expected)
    assert isomorphic(held, expected)


def test_records_source_skips_what_a_text_build_stored(tmp_path, nlp):
    """A store built from text, then from the records of the same documents: every document
    is known by its hash, so nothing is written; with `replace` each is replaced."""
    docs = documents(SECOND)
    with GraphStore(tmp_path / "s") as store:
        run_job(text_source(docs, nlp), StoreSink(store))
        records = [EventRecord(event, next(d.stripped() for d in docs if d.id == event.doc), "-", n)
                   for n, event in enumerate(extract_events(docs, nlp=nlp), 1)]
        again = run_job(records_source(records), StoreSink(store))
        assert (again.skipped, again.documents, again.triples) == (len(docs), 0, 0)
        forced = run_job(records_source(records), StoreSink(store), replace=True)
        assert forced.replaced == len({r.event.doc for r in records}) and forced.skipped == 0
