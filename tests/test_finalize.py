"""The store's finalize: only the nodes written since the last one, in slices, same result."""
from rdflib.compare import isomorphic

from kgbuild import Document, build_graph, extract_events, read_documents, run_query
from kgbuild.graph.build import event_iri
from kgbuild.query.sparql import saved_queries
from kgbuild.graph.namespace import KG
from kgbuild.stores import dyads
from kgbuild.stores.dyads import INDEX, has_index, has_ranks, indexed_query
from kgbuild.stores.building import finish_store
from kgbuild.stores.oxigraph import DIRTY_HEADER, DIRTY_NAME, GraphStore


def by_document(events):
    out: dict[str, list] = {}
    for event in events:
        out.setdefault(event.doc, []).append(event)
    return out


def meta(doc: Document) -> Document:
    return Document(doc.id, "", doc.date, doc.url, doc.title, doc.source, doc.content_hash())


def listed(path) -> set[str]:
    lines = (path / DIRTY_NAME).read_text(encoding="utf-8").splitlines()
    assert lines[0] + "\n" == DIRTY_HEADER
    return set(lines[1:])


def dyad_rows(source) -> list:
    return run_query(source, "dyads").rows


def check_dyads(store: GraphStore, graph) -> None:
    """The store answers `dyads` from its index, with the rows the aggregate over the
    events gives on the store and on the graph file."""
    assert has_index(store.store)
    assert indexed_query(store, "dyads", saved_queries()["dyads"]) != saved_queries()["dyads"]
    rows = dyad_rows(store)
    assert len(rows) > 5
    assert rows == run_query(store, saved_queries()["dyads"]).rows  # ad-hoc text: aggregated
    assert rows == dyad_rows(graph)
    assert has_ranks(store.store) and "dyadRank" in indexed_query(store, "dyads", saved_queries()["dyads"])
    pages = [run_query(store, "dyads", limit=4, offset=k).rows for k in range(0, len(rows), 4)]
    assert [row for page in pages for row in page] == rows  # read by rank, a page at a time
    if store.read_only:
        return
    store.store.update(f"DELETE WHERE {{ GRAPH <{INDEX}> {{ ?d <{KG}dyadRank> ?r }} }}")
    assert not has_ranks(store.store) and dyad_rows(store) == rows  # an index without ranks: sorted
    store.finalize()
    assert has_ranks(store.store) and dyad_rows(store) == rows


def test_store_built_in_runs_with_a_replaced_document_equals_build_graph(tmp_path, sample_dir, nlp,
                                                                         monkeypatch):
    docs = list(read_documents([sample_dir]))[:12]
    changed = Document(docs[0].id, docs[0].text + " Nato will send troops to Poland.",
                       docs[0].date, docs[0].url, docs[0].title, docs[0].source)
    events = by_document(extract_events(docs + [changed], nlp=nlp))  # changed's last: wins
    old_events = [e for e in extract_events(docs[:1], nlp=nlp)]
    assert {event_iri(e) for e in old_events} != {event_iri(e) for e in events[docs[0].id]}
    path = tmp_path / "s"
    with GraphStore(path) as store:  # run 1: the first half, old version of docs[0]
        store.add_events(old_events + [e for d in docs[1:6] for e in events.get(d.id, [])],
                         [meta(d) for d in docs[:6]])
        store.finalize()
    with GraphStore(path) as store:  # run 2, killed before its finalize: the rest
        rest = [e for d in docs[6:] for e in events.get(d.id, [])]
        store.add_events(rest, [meta(d) for d in docs[6:]])
        store.write_pending()
        # only what this run wrote is listed: its events (and the labelled nodes it wrote)
        todo = listed(path)
        assert {str(event_iri(e)) for e in rest} <= todo
        assert not {str(event_iri(e)) for e in old_events} & todo
    assert finish_store(path) is True and not (path / DIRTY_NAME).exists()
    with GraphStore(path) as store:  # run 3: docs[0] replaced
        store.remove_documents([docs[0].id])
        assert any(line.startswith('"') for line in listed(path))  # labels, listed before the drop
        assert {str(event_iri(e)) for e in old_events} <= listed(path)  # their counts change
        store.add_events(events[docs[0].id], [meta(changed)])
        monkeypatch.setattr(dyads, "rebuild_update", None)  # recounted for the touched labels only
        store.finalize()
        got = store.to_graph()
        expected = build_graph([e for d in docs[1:] for e in events.get(d.id, [])]
                               + events[docs[0].id],
                               documents=[meta(changed)] + [meta(d) for d in docs[1:]])
        assert isomorphic(got, expected)
        check_dyads(store, expected)  # the index rows of the replaced events recounted


def test_dyad_index_is_rebuilt_when_missing_and_follows_new_labels(tmp_path, sample_events):
    half = len(sample_events) // 2
    with GraphStore(tmp_path / "s") as store:
        store.add_events(sample_events[:half])
        store.finalize()
        store.store.update(f"DROP GRAPH <{INDEX}>")  # a store of an older kgbuild
        assert not has_index(store.store)
        store.add_events(sample_events[half:])
        store.finalize()  # lists only the second half, yet the index is whole again
        check_dyads(store, build_graph(sample_events))


def test_finalize_in_slices_equals_finalize_at_once(tmp_path, sample_events, monkeypatch):
    monkeypatch.setattr("kgbuild.stores.oxigraph.OPTIMIZE_BYTES", 0)  # compacted first, too
    halves = sample_events[: len(sample_events) // 2], sample_events[len(sample_events) // 2:]
    graphs = []
    for name, slice_size in (("sliced", 3), ("whole", None)):
        with GraphStore(tmp_path / name) as store:
            for half in halves:
                store.add_events(half)
            store.write_pending()
            if slice_size is None:  # the dirty marker of an older kgbuild: every node at once
                (tmp_path / name / DIRTY_NAME).write_text("")
                store.finalize()
            else:
                assert len(listed(tmp_path / name)) > 3 * slice_size
                store.finalize(slice_size=slice_size)
            graphs.append(store.to_graph())
    assert isomorphic(graphs[0], graphs[1])
    assert isomorphic(graphs[0], build_graph(sample_events))
    for name in ("sliced", "whole"):
        with GraphStore(tmp_path / name, read_only=True) as store:
            check_dyads(store, graphs[0])
