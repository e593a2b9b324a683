"""Issue 29, item 3: a page of the saved query `timeline` on a store is read from the
store's timeline index (`kgbuild.stores.timeline`, kept by finalize) a few (day, slot,
action) groups at a time, and holds the rows the saved query gives, in its order."""
from __future__ import annotations

import dataclasses

import pytest

from kgbuild import build_graph
from kgbuild.model import TimeRef
from kgbuild.query import bound_text, prepare_query, run_query, saved_queries
from kgbuild.query.timeline import page_of_timeline
from kgbuild.stores.oxigraph import GraphStore
from kgbuild.stores.timeline import INDEX, has_index

#: (actor, role) bindings: a country code, a label, a CAMEO code, every slot, none found.
BINDINGS = [{"actor": "RUS"}, {"actor": "RUS", "role": "any"}, {"actor": "nato", "role": "target"},
            {"actor": "Russia", "role": "recipient"}, {"actor": "RUSGOV"}, {"actor": "nosuch"}]


def varied(events):
    """The sample events with dates of each kind, shared days, and some undated (no
    time, no report date) so the undated rows follow the dated ones."""
    times = ["2024-03-04", "2024-03-04", "2024-03", "2024", "2024-03-04/2024-03-06", None, "2023-12-31"]
    out = []
    russian = 0  # every third of Russia's events undated too, whatever the sample's order
    for i, e in enumerate(events):
        when = times[i % len(times)]
        if e.actor.country == "RUS":
            russian += 1
            when = None if russian % 3 == 0 else when
        out.append(dataclasses.replace(e, time=TimeRef("then", when) if when else None,
                                       doc_date=None if when is None else e.doc_date))
    return out


@pytest.fixture(scope="module")
def timeline_store(sample_events, tmp_path_factory):
    """The varied events in a store built in two batches (the second finalize adds to the
    index of the first), and the same events as an rdflib graph."""
    events = varied(sample_events)
    half = len(events) // 2
    path = tmp_path_factory.mktemp("timeline") / "kg.store"
    for part in (events[:half], events[half:]):
        with GraphStore(path) as store:
            store.add_events(part)
            store.finalize()
    return path, build_graph(events)


def plain(store, bindings):
    """The saved query's text run as it is (as ad-hoc text: no index)."""
    return run_query(store, saved_queries()["timeline"], bindings=bindings)


@pytest.mark.parametrize("bindings", BINDINGS)
def test_timeline_pages_from_the_index_are_the_saved_query_rows_in_order(timeline_store, bindings):
    path, graph = timeline_store
    with GraphStore(path, read_only=True) as store:
        assert has_index(store.store)
        full = plain(store, bindings).rows
        text = bound_text(prepare_query("timeline", bindings=bindings, parse=False))
        assert page_of_timeline(store, text, limit=3).rows == full[:3]  # the index is read
        assert sorted(map(str, full)) == sorted(map(str, run_query(graph, "timeline", bindings=bindings).rows))
        for size in (1, 4, 25):
            offset, pages = 0, []
            while True:
                part = run_query(store, "timeline", bindings=bindings, limit=size, offset=offset)
                assert part.rows == full[offset:offset + size], (size, offset)
                pages += part.rows
                offset += size
                if not part.truncated:
                    break
            assert pages == full
    if bindings.get("actor") == "RUS":  # several pages, of dated and of undated rows
        dated = [r for r in full if r[0] is not None]
        assert len(full) > 8 and 0 < len(dated) < len(full)


def test_store_without_the_timeline_index_answers_as_before_and_gets_it_with_the_next_build(
        timeline_store, sample_events, tmp_path):
    path, _ = timeline_store
    import shutil

    copy = tmp_path / "old.store"
    shutil.copytree(path, copy)
    with GraphStore(copy) as store:  # a store of an older kgbuild: no timeline index
        store.store.update(f"DROP GRAPH <{INDEX}>")
    with GraphStore(copy, read_only=True) as store:
        assert not has_index(store.store)
        with GraphStore(path, read_only=True) as indexed:
            for bindings in BINDINGS[:3]:
                assert run_query(store, "timeline", bindings=bindings, limit=5).rows == \
                    run_query(indexed, "timeline", bindings=bindings, limit=5).rows
    extra = [dataclasses.replace(e, doc=e.doc + "-later") for e in varied(sample_events)[:3]]
    with GraphStore(copy) as store:
        store.add_events(extra)
        store.finalize()
        assert has_index(store.store)
    with GraphStore(copy, read_only=True) as store:
        assert run_query(store, "timeline", bindings={"actor": "RUS"}, limit=7).rows == \
            plain(store, {"actor": "RUS"}).rows[:7]
