"""The store's finalize: only the nodes written since the last one, in slices, same result."""
import pytest
from rdflib.compare import isomorphic

from kgbuild import Document, build_graph, extract_events, read_documents, run_query
from kgbuild.graph.build import event_iri
from kgbuild.graph.namespace import KG
from kgbuild.query.sparql import saved_queries
from kgbuild.query.store import indexed_query
from kgbuild.stores import dyads
from kgbuild.stores.building import finish_store
from kgbuild.stores.dyads import INDEX, has_index, has_ranks
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
        from kgbuild.graph.build import document_graph

        assert str(document_graph(docs[0].id)) in listed(path)  # listed before the drop
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


# -- issue 26 item 5: a finalize killed after any of its transactions --------------------
KILLED_FINALIZE = """
import os, signal, sys
from kgbuild.jobs.records import events_store
from kgbuild.stores.oxigraph import GraphStore

store, events, after = sys.argv[1], sys.argv[2], int(sys.argv[3])
finalize, write, updates = GraphStore.finalize, GraphStore._write, []

def finalize_in_slices(self, slice_size=3, **options):  # several transactions, not one
    updates.append("finalize")
    return finalize(self, slice_size, **options)

def killed_after(self, action, *args):
    write(self, action, *args)
    if updates and getattr(action, "__name__", "") == "update":  # a finalize transaction committed
        updates.append(action)
        if len(updates) - 1 == after:
            os.kill(os.getpid(), signal.SIGKILL)

GraphStore.finalize, GraphStore._write = finalize_in_slices, killed_after
events_store(store, [events])
"""


def index_quads(path) -> list[str]:
    import pyoxigraph

    with GraphStore(path, read_only=True) as store:
        return sorted(str(q) for q in store.store.quads_for_pattern(None, None, None,
                                                                    pyoxigraph.NamedNode(INDEX)))


def records(events, path, rename: tuple[str, str] | None = None):
    """Events JSON Lines of `events`; with `rename` (old, new), parties labelled old are
    labelled new."""
    import json

    from kgbuild.event_records import event_record

    with open(path, "w", encoding="utf-8") as fh:
        for event in events:
            line = json.dumps(event_record(event))
            if rename is not None:
                line = line.replace(f'"label": "{rename[0]}"', f'"label": "{rename[1]}"')
            fh.write(line + "\n")
    return path


@pytest.fixture(scope="module")
def relabelled(tmp_path_factory, sample_events):
    """A store of all documents but one, in which Russia is labelled 'Zussia'; the events
    file of the last document, which labels it 'Russia' (so finalize drops 'Zussia'); and
    the dyad index and graph of that store once the file is added and finished."""
    import shutil

    from kgbuild.jobs.records import events_store

    tmp = tmp_path_factory.mktemp("relabelled")
    docs = by_document(sample_events)
    last = next(d for d in reversed(list(docs)) if any(
        e.actor is not None and e.actor.label == "Russia" for e in docs[d]))
    earlier = [e for d, evs in docs.items() if d != last for e in evs]
    assert any(e.actor is not None and e.actor.label == "Russia" for e in earlier)
    first = records(earlier, tmp / "first.jsonl", ("Russia", "Zussia"))
    second = records(docs[last], tmp / "second.jsonl")
    events_store(tmp / "base", [first])
    assert any("Zussia" in q for q in index_quads(tmp / "base"))
    shutil.copytree(tmp / "base", tmp / "clean")
    events_store(tmp / "clean", [second])
    clean = index_quads(tmp / "clean")
    assert not any("Zussia" in q for q in clean) and any('"Russia"' in q for q in clean)
    with GraphStore(tmp / "clean", read_only=True) as store:
        return tmp / "base", second, clean, store.to_graph()


def check_finished_like_clean(path, relabelled, after: int) -> None:
    _, _, clean, clean_graph = relabelled
    assert (path / DIRTY_NAME).exists()
    assert finish_store(path) is True
    assert index_quads(path) == clean, f"stopped after finalize transaction {after}"
    with GraphStore(path, read_only=True) as store:
        assert isomorphic(store.to_graph(), clean_graph)
        assert dyad_rows(store) == dyad_rows(clean_graph)


def test_finalize_killed_after_each_transaction_then_finished_has_the_clean_dyad_index(
        tmp_path, relabelled):
    """Issue 26 item 5: the labels a finalize reads before it keeps one label per node are in
    the dirty file before that transaction, so a kill after it (a real SIGKILL of a build
    process, after each of its transactions in turn) and `finish_store` give the index of a
    build that was never stopped (a stale row of the dropped label 'Zussia' before)."""
    import shutil
    import subprocess
    import sys

    base, second = relabelled[:2]
    after = 0
    while True:
        after += 1
        killed = tmp_path / f"killed-{after}"
        shutil.copytree(base, killed)
        proc = subprocess.run([sys.executable, "-c", KILLED_FINALIZE, str(killed), str(second), str(after)],
                              capture_output=True, text=True, timeout=300)
        if proc.returncode == 0:  # past its last transaction
            break
        assert proc.returncode == -9, proc.stderr
        check_finished_like_clean(killed, relabelled, after)
    assert after > 4  # node slices, the index's rows, their ranks


def test_finalize_in_slices_after_a_relabel_recounts_rows_only_once_every_event_moved(
        tmp_path, relabelled, monkeypatch):
    """Issue 29: a row whose Goldstein sum a move cannot tell (an event with a recipient and
    a target that recorded one row) is recounted after every listed event has moved, not
    in the slice that found it: recounted while later slices still had to move their
    events (here out of the rows of the dropped label 'Zussia'), it was left as a row
    without counts, and the next moves counted against a sum that already held them."""
    import shutil

    from kgbuild.jobs.records import events_store

    base, second, clean, clean_graph = relabelled
    monkeypatch.setattr(GraphStore.finalize, "__defaults__", (3,))  # several slices
    shutil.copytree(base, tmp_path / "sliced")
    events_store(tmp_path / "sliced", [second])
    assert not (tmp_path / "sliced" / DIRTY_NAME).exists()
    assert index_quads(tmp_path / "sliced") == clean
    shutil.copytree(tmp_path / "sliced", tmp_path / "full")
    assert finish_store(tmp_path / "full", every_node=True) is False  # the whole index anew
    assert index_quads(tmp_path / "full") == clean
    with GraphStore(tmp_path / "sliced", read_only=True) as store:
        assert isomorphic(store.to_graph(), clean_graph)
        assert dyad_rows(store) == dyad_rows(clean_graph)


def test_disk_full_inside_finalize_then_finished_has_the_clean_dyad_index(tmp_path, relabelled,
                                                                         monkeypatch):
    """Issue 26 item 5: a full disk at each finalize transaction in turn is a one-line error,
    and finishing the store afterwards gives the index of a build that was never stopped."""
    import errno
    import shutil

    import pyoxigraph

    from kgbuild import OutputError
    from kgbuild.jobs.records import events_store

    base, second = relabelled[:2]
    real, updates = pyoxigraph.Store, []

    class FillingDisk:  # Oxigraph on a disk that fills up at update number `full`
        full = 0

        def __init__(self, path):
            self._store = real(path)

        def update(self, text):
            updates.append(1)
            if len(updates) == self.full:
                raise OSError(errno.ENOSPC, "IO error: No space left on device")
            self._store.update(text)

        def __getattr__(self, name):
            return getattr(self._store, name)

        def __iter__(self):
            return iter(self._store)

        def __len__(self):
            return len(self._store)

    monkeypatch.setattr(pyoxigraph, "Store", FillingDisk)
    monkeypatch.setattr(GraphStore.finalize, "__defaults__", (3,))  # several slices
    full = 0
    while True:
        full += 1
        path = tmp_path / f"full-{full}"
        shutil.copytree(base, path)
        FillingDisk.full, updates[:] = full, []
        try:
            events_store(path, [second])
        except OutputError as err:
            assert "the disk is full" in str(err)
        else:
            break
        with monkeypatch.context() as undo:
            undo.setattr(pyoxigraph, "Store", real)
            check_finished_like_clean(path, relabelled, full)
    assert full > 4


# -- issue 26 item 6: a dirty file that was cut short or garbled ---------------------------
GARBLED = {  # case: what is appended after the lines a build wrote (None: header removed)
    "torn-label": b'"Russ',
    "torn-iri": b"https://w3id.org/kgbuild/id/ev",
    "binary": b"\xff\xfe" + bytes(range(256)) * 4,
    "iri-with-space-and-gt": b"http://x/a> <http://x/b> . } ; DROP ALL ; INSERT DATA { <http://x/c\n",
    "label-not-a-string": b'"a" 7\n',
    "no-header": None,
}


def unfinished_store(path, events):
    """A store whose second build was killed before its finalize (its dirty file lists it)."""
    half = len(events) // 2
    with GraphStore(path) as store:
        store.add_events(events[:half])
        store.finalize()
        store.add_events(events[half:])
        store.write_pending()
    assert len(listed(path)) > 10


def quads(path) -> list[str]:
    import pyoxigraph

    return sorted(str(q) for q in pyoxigraph.Store.read_only(str(path)))


@pytest.mark.parametrize("case", GARBLED)
def test_garbled_dirty_file_is_skipped_or_refused_and_finish_full_settles_the_store(
        tmp_path, sample_events, case, caplog):
    """Issue 26 item 6: a last line cut short is skipped with a warning; any other line
    kgbuild does not write (binary, an IRI with '>' and spaces, a label that is no JSON
    string, no header) is refused before anything is changed, naming the line and
    `kgbuild build --finish --full`, which settles every node (a JSONDecodeError, a
    UnicodeDecodeError or an Oxigraph SyntaxError on every later build before)."""
    import logging

    from click.testing import CliRunner

    from kgbuild.cli import cli
    from kgbuild.stores.dirty import UntrustedDirtyFile

    path = tmp_path / "s"
    unfinished_store(path, sample_events)
    tail, dirty = GARBLED[case], path / DIRTY_NAME
    if tail is None:
        dirty.write_bytes(dirty.read_bytes()[len(DIRTY_HEADER):])
        refused = 1
    else:  # the first appended line is refused, unless it is a last line cut short
        refused = None if case.startswith("torn") else dirty.read_bytes().count(b"\n") + 1
        dirty.write_bytes(dirty.read_bytes() + tail)
    expected = build_graph(sample_events)
    if refused is None:
        with caplog.at_level(logging.WARNING, logger="kgbuild"):
            assert finish_store(path) is True
        assert "kgbuild.dirty: its last line was cut short" in caplog.text
    else:
        before, garbled = quads(path), dirty.read_bytes()
        message = rf"kgbuild.dirty, line {refused}: .*cannot be trusted; settle the whole store with " \
                  rf"`kgbuild build --finish --full {path}`"
        with pytest.raises(UntrustedDirtyFile, match=message):
            finish_store(path)
        with pytest.raises(UntrustedDirtyFile, match=message):  # a build refuses it too
            GraphStore(path).close()
        result = CliRunner().invoke(cli, ["build", "--finish", str(path)])
        assert result.exit_code == 1 and result.output.count("\n") == 1
        assert result.output.startswith(f"Error: {dirty}, line {refused}: ")
        assert "--finish --full" in result.output
        assert quads(path) == before and dirty.read_bytes() == garbled  # nothing changed
        result = CliRunner().invoke(cli, ["build", "--finish", str(path), "--full"])
        assert result.exit_code == 0, result.output
        assert "every node settled" in result.output
    assert not dirty.exists()
    with GraphStore(path) as store:
        assert isomorphic(store.to_graph(), expected)
        check_dyads(store, expected)


FULL_DISK_APPEND = """
import resource, signal, sys
from pathlib import Path
from kgbuild.stores import dirty

folder = Path(sys.argv[1])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails, as on a full disk
limit = (folder / dirty.NAME).stat().st_size + 1000
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
try:
    dirty.append(folder, [f"https://example.org/node/{i}" for i in range(1000)], ["Russia"] * 100)
except OSError:
    sys.exit(3)
"""


def test_append_to_the_dirty_file_that_fails_half_way_is_undone(tmp_path, sample_events):
    """Issue 26 item 6: an append that the disk stops half way (a real write limit in a
    subprocess) leaves the dirty file as it was, so no half line is followed by the next
    append's lines (a line kgbuild does not write: the store would be refused)."""
    import subprocess
    import sys

    from kgbuild.stores import dirty

    path = tmp_path / "s"
    unfinished_store(path, sample_events)
    before = (path / DIRTY_NAME).read_bytes()
    proc = subprocess.run([sys.executable, "-c", FULL_DISK_APPEND, str(path)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 3, proc.stderr
    assert (path / DIRTY_NAME).read_bytes() == before
    dirty.append(path, ["https://example.org/node/again"], ["Zussia"])
    labels: set[str] = set()
    nodes = [iri for chunk in dirty.read(path, 5, labels) for iri in chunk]
    assert nodes[-1] == "https://example.org/node/again" and "Zussia" in labels
    assert finish_store(path) is True
    with GraphStore(path, read_only=True) as store:
        assert isomorphic(store.to_graph(), build_graph(sample_events))


# -- issue 29 items 1 and 2: finalize by what a batch touched, never the whole index --------
def relabelled_as(events, key: str, label: str):
    """These events with every party keyed `key` labelled `label`."""
    import dataclasses

    def swap(entity):
        if entity is None or entity.key != key:
            return entity
        return dataclasses.replace(entity, label=label)
    return [dataclasses.replace(e, actor=swap(e.actor), target=swap(e.target),
                                recipient=swap(e.recipient)) for e in events]


def store_quads(path) -> set[str]:

    with GraphStore(path, read_only=True) as store:
        return {str(q) for q in store.store}


def test_incremental_finalize_equals_a_full_one_after_shared_actors_a_replacement_and_a_relabel(
        tmp_path, sample_events, monkeypatch):
    """Issue 29: batches finalized one at a time by what each touched (its events move
    their shares of the dyad index; the index is never recomputed whole) give the store of
    the same writes settled at once from every node: the same quads, dyad index and ranks
    included. The batches share actors, the second replaces a document of the first, the
    third gives an actor of the earlier dyad rows a label that sorts first (so it is the
    one kept), and every row of that actor moves."""
    docs = by_document(sample_events)
    ids = list(docs)
    third = len(ids) // 3
    first = [e for d in ids[:third] for e in docs[d]]
    second = [e for d in ids[third:2 * third] for e in docs[d]]
    replaced = ids[0]
    new_version = [e for e in docs[replaced] if e.target is None] or docs[replaced][:1]
    assert len(new_version) < len(docs[replaced])
    kept = [e for e in first + second if e.doc != replaced] + new_version
    from collections import Counter

    sources = {str(row[0]) for row in dyad_rows(build_graph(kept))}
    key = Counter(e.actor.key for e in kept if e.actor.label in sources).most_common(1)[0][0]
    source = next(e.actor.label for e in kept if e.actor.key == key)
    third_batch = relabelled_as([e for d in ids[2 * third:] for e in docs[d]] + [
        e for e in kept if e.actor.key == key][:1], key, "0" + source)
    assert sum(e.actor.key == key for e in kept) > 1  # the rows of more than this batch move
    steps = [("add", first), ("add", second, replaced, new_version), ("add", third_batch)]

    def write(store, step) -> None:
        store.add_events(step[1])
        if len(step) > 2:  # a changed document: its old version goes, its new one comes
            store.remove_documents([step[2]])
            store.add_events(step[3])

    incremental, full = tmp_path / "incremental", tmp_path / "full"
    with GraphStore(incremental) as store:
        write(store, steps[0])
        store.finalize()  # no index yet: computed whole, once
    monkeypatch.setattr(dyads, "rebuild_update", None)  # from here on, never whole again
    for step in steps[1:]:
        with GraphStore(incremental) as store:
            write(store, step)
            store.finalize()
    monkeypatch.undo()
    with GraphStore(full) as store:
        for step in steps:
            write(store, step)
        store.finalize(every_node=True)
    assert store_quads(incremental) == store_quads(full)  # no blank nodes: equal sets = isomorphic
    assert index_quads(incremental) == index_quads(full)
    with GraphStore(incremental, read_only=True) as store:
        graph = store.to_graph()
        check_dyads(store, graph)
        sources = {str(row[0]) for row in dyad_rows(store)}
    assert "0" + source in sources and source not in sources


def test_each_batch_finalizes_only_its_own_nodes_and_events(tmp_path, sample_events, monkeypatch):
    """Issue 29: the second batch's finalize settles and moves in the dyad index only the
    nodes that batch wrote (and, for a removed document, its events), whatever the store
    already holds."""
    from kgbuild.stores import settling

    docs = by_document(sample_events)
    ids = list(docs)
    half = len(ids) // 2
    with GraphStore(tmp_path / "s") as store:
        store.add_events([e for d in ids[:half] for e in docs[d]])
        store.finalize()
    seen: list[str] = []
    settle, refresh = settling._settle, settling._refresh_dyads
    monkeypatch.setattr(settling, "_settle", lambda store, iris: (seen.extend(iris), settle(store, iris))[1])
    monkeypatch.setattr(settling, "_refresh_dyads", lambda store, iris, **how: (
        seen.extend(iris), refresh(store, iris, **how))[1])
    later = [e for d in ids[half:] for e in docs[d]]
    with GraphStore(tmp_path / "s") as store:
        store.add_events(later)
        store.finalize()
    mine = {str(event_iri(e)) for e in later}
    assert mine <= set(seen)
    earlier_only = {str(event_iri(e)) for d in ids[:half] for e in docs[d]} - mine
    assert earlier_only and not earlier_only & set(seen)


def test_daily_batches_touching_hundreds_of_labels_never_recompute_the_whole_index(tmp_path, monkeypatch):
    """Issue 29 item 1: days of the benchmark's synthetic event records (`bench/synth.py`,
    hundreds of actor labels a day, stories reported again on later days) are finalized by
    what each day touched, not by recomputing the index whole (which a batch touching more
    than 100 labels did), and give the store a full finalize gives."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from synth import day_documents

    days = [list(day_documents(day, 150)) for day in range(3)]
    labels = {e.actor.label for _, evs in days[1] for e in evs}
    assert len(labels) > 100
    incremental, full = tmp_path / "incremental", tmp_path / "full"
    for number, day in enumerate(days):
        if number == 1:
            monkeypatch.setattr(dyads, "rebuild_update", None)
        with GraphStore(incremental) as store:
            store.add_events([e for _, evs in day for e in evs], [d for d, _ in day])
            store.finalize()
    monkeypatch.undo()
    with GraphStore(full) as store:
        for day in days:
            store.add_events([e for _, evs in day for e in evs], [d for d, _ in day])
        store.finalize(every_node=True)
    assert store_quads(incremental) == store_quads(full)
    with GraphStore(incremental, read_only=True) as store:
        assert any(int(r["n"].value) > 1 for r in store.query(
            "SELECT ?e (COUNT(?m) AS ?n) WHERE { ?e kg:mention ?m } GROUP BY ?e"))  # reported again
        rows = dyad_rows(store)  # the index, read by rank
        assert len(rows) > 100 and rows == run_query(store, saved_queries()["dyads"]).rows
