"""The persistent Oxigraph store: same graph as in memory, resumable, locked, crash-safe."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from rdflib.compare import isomorphic

from kgbuild import Document, GraphError, build_graph, extract_events, read_documents, run_query
from kgbuild.jobs.workflow import build_store
from kgbuild.stores.oxigraph import GraphStore, StoreLockedError


@pytest.fixture(scope="module")
def sample_docs(sample_dir):
    return list(read_documents([sample_dir]))


@pytest.fixture
def memory_graph(sample_docs, nlp):
    docs = [Document(d.id, "", d.date, d.url, d.title, d.source, d.content_hash()) for d in sample_docs]
    return build_graph(extract_events(sample_docs, nlp=nlp), documents=docs)


def store_graph(path):
    with GraphStore(path, read_only=True) as store:
        return store.to_graph()


def test_store_build_equals_in_memory_build(tmp_path, sample_docs, nlp, memory_graph):
    summary = build_store(tmp_path / "s", sample_docs, nlp=nlp, batch_size=3)
    assert summary.documents == len(sample_docs) and summary.events > 50
    assert isomorphic(store_graph(tmp_path / "s"), memory_graph)


def test_rerun_skips_known_documents_and_replace_reextracts(tmp_path, sample_docs, nlp, memory_graph):
    build_store(tmp_path / "s", sample_docs[:4], nlp=nlp)
    again = build_store(tmp_path / "s", sample_docs, nlp=nlp)
    assert again.skipped == 4 and again.documents == len(sample_docs) - 4
    assert isomorphic(store_graph(tmp_path / "s"), memory_graph)
    forced = build_store(tmp_path / "s", sample_docs, nlp=nlp, replace=True)
    assert forced.replaced == len(sample_docs) and forced.skipped == 0
    assert isomorphic(store_graph(tmp_path / "s"), memory_graph)


def test_changed_document_replaces_its_old_version(tmp_path, nlp):
    old = Document("d", "Moscow will deploy Iskander missiles in Kaliningrad.")
    new = Document("d", "Nato will send troops to Poland.")
    build_store(tmp_path / "s", [old], nlp=nlp)
    summary = build_store(tmp_path / "s", [new], nlp=nlp)
    assert summary.replaced == 1
    expected = build_graph(extract_events([new], nlp=nlp),
                           documents=[Document("d", "", sha256=new.content_hash())])
    assert isomorphic(store_graph(tmp_path / "s"), expected)


def test_saved_queries_agree_between_store_and_memory(tmp_path, sample_docs, nlp, memory_graph):
    from kgbuild.query import saved_queries

    build_store(tmp_path / "s", sample_docs, nlp=nlp)
    with GraphStore(tmp_path / "s", read_only=True) as store:
        required = {"timeline": {"actor": "RUS"}, "events-in-country": {"country": "RUS"}}
        for name in saved_queries():
            a = run_query(store, name, bindings=required.get(name))
            b = run_query(memory_graph, name, bindings=required.get(name))
            norm = lambda r: sorted(tuple("" if v is None else str(v).removesuffix(".0") for v in row) for row in r.rows)  # noqa: E731
            assert norm(a) == norm(b), name
        bound = run_query(store, "timeline", bindings={"actor": "RUS", "role": "actor"})
        coded = run_query(store, 'PREFIX kg: <https://w3id.org/kgbuild/ns#> PREFIX rdfs: '
                                 '<http://www.w3.org/2000/01/rdf-schema#> SELECT ?l WHERE '
                                 '{ ?a kg:countryCode "RUS" ; rdfs:label ?l }')
        labels = {str(r[2]) for r in bound.rows}
        assert labels and labels <= {str(r[0]) for r in coded.rows} and len(labels) > 1  # RUS: its actors too


def test_second_writer_is_refused_while_first_holds_the_lock(tmp_path):
    with GraphStore(tmp_path / "s"):
        with pytest.raises(StoreLockedError, match="another kgbuild process is writing"):
            GraphStore(tmp_path / "s")
    GraphStore(tmp_path / "s").close()  # released afterwards


def test_store_path_that_is_a_file_is_a_clear_error(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(GraphError, match="is a file, not a store folder"):
        GraphStore(f)
    with pytest.raises(GraphError, match="no kgbuild store here"):
        GraphStore(tmp_path / "nothing", read_only=True)


def test_killed_build_leaves_a_consistent_store_and_rerun_completes(tmp_path, sample_docs, nlp):
    corpus = tmp_path / "big.jsonl"
    copies = 16  # the first batch of 8 is written at once; the rest takes seconds more
    with corpus.open("w", encoding="utf-8") as fh:
        for i in range(copies):
            for d in sample_docs:
                fh.write(json.dumps({"id": f"{d.id}-{i}", "text": d.text}) + "\n")
    exe = shutil.which("kgbuild", path=os.path.dirname(sys.executable))
    store = tmp_path / "s"
    proc = subprocess.Popen([exe, "build", str(corpus), "--store", str(store), "--batch-size", "8"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 240
    while time.time() < deadline and proc.poll() is None:
        if (store / "kgbuild.dirty").exists() and len(list(store.glob("*"))) > 3:
            time.sleep(1.0)
            break
        time.sleep(0.2)
    assert proc.poll() is None, "the build finished before it could be killed; make the corpus bigger"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with GraphStore(store, read_only=True) as partial:
        held = len(partial.document_hashes())
    assert 0 < held < copies * len(sample_docs)
    rerun = subprocess.run([exe, "build", str(corpus), "--store", str(store)], capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{held} skipped" in rerun.stderr
    fresh = tmp_path / "fresh"
    build_store(fresh, read_documents([corpus]), nlp=nlp)  # the same job, in this process
    assert isomorphic(store_graph(store), store_graph(fresh))


def test_cli_query_and_stats_on_a_store(tmp_path, sample_dir, nlp):
    from click.testing import CliRunner

    from kgbuild.cli import cli

    runner = CliRunner()
    result = runner.invoke(cli, ["build", str(sample_dir), "--store", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["query", str(tmp_path / "s"), "who-did-what", "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["results"]["bindings"]
    result = runner.invoke(cli, ["stats", str(tmp_path / "s"), "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["events"] > 50
    result = runner.invoke(cli, ["build", str(sample_dir)])
    assert result.exit_code == 2 and "either -o FILE or --store FOLDER" in result.output


# -- issue 15 item 4: one named graph per document id, injectively -------------------------
TRICKY_IDS = ["a", "a/b", "a%2Fb", "a/", ".", "..", "../../x", "../x", "x/./y", "%", "%25", "a b",
              "a+b", "é", "e\u0301", "日本/記事", "#frag", "?q=1"]


def tricky_event(doc_id: str, n: int):
    from kgbuild import Action, Entity, Event, Sentence

    actor = Entity("Russia", "Russia", "Country", "RUS", key="country/RUS", start=0, end=6)
    return Event(doc=doc_id, sentence=Sentence(f"Russia attacked place {n}.", 0, 22), actor=actor,
                 action=Action("attacked", "attack", 7, 15),
                 location=Entity(f"place {n}", f"place {n}", "Place", key=f"place/p{n}"),
                 explanation="hand-built")


def test_every_document_id_gets_its_own_graph_iri():
    from kgbuild.graph.build import document_graph, document_iri
    from kgbuild.graph.datasets import partition
    from kgbuild.graph.namespace import KG

    graphs = [document_graph(i) for i in TRICKY_IDS]
    assert len(set(graphs)) == len(TRICKY_IDS)
    for doc_id, name in zip(TRICKY_IDS, graphs):
        segment = str(name).rsplit("/graph/", 1)[1]
        assert "/" not in segment and segment not in (".", "..")
        assert str(document_iri(doc_id)).endswith("/doc/" + segment)
    graph = build_graph([tricky_event(d, n) for n, d in enumerate(TRICKY_IDS)],
                        documents=[Document(d, "", sha256=f"h{n}") for n, d in enumerate(TRICKY_IDS)])

    def owner(node) -> str:  # the id of the document a document, sentence or mention node is of
        doc = node if graph.value(node, KG.docId) is not None else graph.value(node, KG.document)
        return str(graph.value(doc, KG.docId))

    used = set()
    for s, p, o, name in partition(graph):
        if name is not None:
            assert name == document_graph(owner(o if p == KG.mention else s))
            used.add(name)
    assert used == set(graphs)


@pytest.mark.parametrize("changed", ["a", "..", "%", "a b"])
def test_changing_one_document_leaves_ids_that_share_its_prefix_intact(tmp_path, nlp, changed):
    """A store with `a` and `a/b` (or `..` and `../../x`) keeps each document's events when
    the other one changes: no lost events, no second version."""
    texts = {d: f"Russia attacked place {n}." for n, d in enumerate(TRICKY_IDS)}
    docs = [Document(d, t) for d, t in texts.items()]
    build_store(tmp_path / "s", docs, nlp=nlp)
    texts[changed] = "Nato will send troops to Poland."
    summary = build_store(tmp_path / "s", [Document(d, t) for d, t in texts.items()], nlp=nlp)
    assert summary.replaced == 1 and summary.skipped == len(TRICKY_IDS) - 1
    new_docs = [Document(d, t) for d, t in texts.items()]
    expected = build_graph(extract_events(new_docs, nlp=nlp),
                           documents=[Document(d.id, "", sha256=d.content_hash()) for d in new_docs])
    assert isomorphic(store_graph(tmp_path / "s"), expected)
    with GraphStore(tmp_path / "s", read_only=True) as store:
        assert set(store.document_hashes()) == set(TRICKY_IDS)


def test_store_with_the_old_graph_names_is_refused_not_duplicated(tmp_path):
    """A store written when graphs were named after the first '/' part of the id (a/b in
    kgr:graph/a) is detected before anything is written."""
    import pyoxigraph

    from kgbuild.graph.namespace import KG, KGR

    path = tmp_path / "old"
    old = [("doc/a/b", "a/b", "graph/a"), ("doc/a", "a", "graph/a"), ("doc/..", "..", "graph/..")]
    with GraphStore(path) as store:
        for node, doc_id, name in old:
            g = pyoxigraph.NamedNode(str(KGR[name]))
            n = pyoxigraph.NamedNode(str(KGR[node]))
            store.store.extend([
                pyoxigraph.Quad(n, pyoxigraph.NamedNode(str(KG.docId)), pyoxigraph.Literal(doc_id), g),
                pyoxigraph.Quad(n, pyoxigraph.NamedNode(str(KG.contentHash)), pyoxigraph.Literal("h"), g)])
    with GraphStore(path, read_only=True) as store:
        before = len(store)
    with pytest.raises(GraphError, match=r"written by an older kgbuild.*document '(a/b|\.\.)'.*new store"):
        build_store(path, [Document("a/b", "Nato will send troops to Poland.")])
    with GraphStore(path, read_only=True) as store:
        assert len(store) == before
    assert not (path / "kgbuild.dirty").exists()


# -- issue 15: bounded batches, unfinished stores, disk full, reader errors -------------------

def long_document(sample_docs, copies: int = 3) -> Document:
    text = "\n\n".join(d.text for d in sample_docs)
    return Document("long", "\n\n".join([text] * copies), date="2024-03-04")


def test_long_document_written_in_bounded_batches_equals_one_graph(tmp_path, sample_docs, nlp):
    from kgbuild.extract.batches import extract_batch, pieces

    doc = long_document(sample_docs)
    summary = build_store(tmp_path / "s", [doc, sample_docs[0]], nlp=nlp, max_chars=4000)
    parsed = extract_batch(list(pieces([doc, sample_docs[0]], 4000)), nlp)
    assert len(parsed) > 4  # several pieces, so several transactions
    stripped = [Document(d.id, "", d.date, d.url, d.title, d.source, d.content_hash())
                for d in (doc, sample_docs[0])]
    expected = build_graph([e for _, evs in parsed for e in evs], documents=stripped)
    assert summary.documents == 2 and summary.events == sum(len(evs) for _, evs in parsed)
    assert isomorphic(store_graph(tmp_path / "s"), expected)


def test_build_stopped_inside_a_document_redoes_it(tmp_path, sample_docs, nlp, monkeypatch, caplog):
    import logging

    import kgbuild.jobs.texts as store_module

    doc = long_document(sample_docs)
    fresh = tmp_path / "fresh"
    build_store(fresh, [doc], nlp=nlp, max_chars=4000)
    real, calls = store_module.extract_batch, []

    def killed_after_two(batch, nlp, n_process=1, **options):
        calls.append(1)
        if len(calls) > 2:
            raise KeyboardInterrupt
        return real(batch, nlp, n_process, **options)

    monkeypatch.setattr(store_module, "extract_batch", killed_after_two)
    with pytest.raises(KeyboardInterrupt):
        build_store(tmp_path / "s", [doc], nlp=nlp, max_chars=4000)
    monkeypatch.setattr(store_module, "extract_batch", real)
    with caplog.at_level(logging.WARNING, logger="kgbuild"):
        with GraphStore(tmp_path / "s", read_only=True) as partial:
            assert partial.unfinished_documents() == {"long"} and partial.document_hashes() == {}
    assert "the store is unfinished" in caplog.text and "kgbuild build --finish" in caplog.text
    again = build_store(tmp_path / "s", [doc], nlp=nlp, max_chars=4000)
    assert again.documents == 1
    assert isomorphic(store_graph(tmp_path / "s"), store_graph(fresh))


def test_disk_full_during_a_store_build_is_an_error_and_a_rerun_completes(tmp_path, sample_docs, nlp,
                                                                          monkeypatch):
    import errno

    import pyoxigraph

    from kgbuild import OutputError

    real, adds = pyoxigraph.Store, []

    class FillingDisk:
        def __init__(self, path):
            self._store = real(path)

        def bulk_load(self, data, fmt):
            adds.append(1)
            if len(adds) > 1:
                raise OSError(errno.ENOSPC, "IO error: No space left on device")
            self._store.bulk_load(data, fmt)

        def __getattr__(self, name):
            return getattr(self._store, name)

        def __iter__(self):
            return iter(self._store)

        def __len__(self):
            return len(self._store)

    monkeypatch.setattr(pyoxigraph, "Store", FillingDisk)
    monkeypatch.setattr("kgbuild.stores.bulkload.WRITE_QUADS", 1)  # write each batch as it comes
    with pytest.raises(OutputError, match="the disk is full; free some space, then rerun the build"):
        build_store(tmp_path / "s", sample_docs, nlp=nlp, batch_size=2)
    monkeypatch.setattr(pyoxigraph, "Store", real)
    with GraphStore(tmp_path / "s", read_only=True) as partial:
        assert len(partial.document_hashes()) == 2  # the first batch, nothing of the failed one
    build_store(tmp_path / "s", sample_docs, nlp=nlp)
    build_store(tmp_path / "fresh", sample_docs, nlp=nlp)
    assert isomorphic(store_graph(tmp_path / "s"), store_graph(tmp_path / "fresh"))


def test_reader_error_with_two_processes_stops_the_build_and_leaves_no_workers(tmp_path, sample_docs, nlp):
    import multiprocessing

    from kgbuild import InputError

    def documents():
        for i in range(300):
            yield Document(f"d{i}", sample_docs[i % len(sample_docs)].text)
        raise InputError("news.jsonl, line 301: bad JSON")

    started = time.monotonic()
    with pytest.raises(InputError, match="line 301: bad JSON"):
        build_store(tmp_path / "s", documents(), nlp=nlp, n_process=2, batch_size=8, max_chars=20_000)
    assert time.monotonic() - started < 300
    assert multiprocessing.active_children() == []


def test_reader_is_warned_while_a_build_writes_and_finish_store(tmp_path, sample_docs, nlp, caplog):
    import logging

    from kgbuild.stores.building import finish_store

    build_store(tmp_path / "s", sample_docs[:2], nlp=nlp)
    assert finish_store(tmp_path / "s") is False
    with GraphStore(tmp_path / "s") as writer:
        writer.remove_documents([sample_docs[0].id])  # a build in progress: store marked dirty
        with caplog.at_level(logging.WARNING, logger="kgbuild"):
            try:  # RocksDB may or may not open while the writer works; either way it is said
                GraphStore(tmp_path / "s", read_only=True).close()
            except GraphError as err:
                assert "a build is writing to this store" in str(err)
            else:
                assert "a build is writing to this store" in caplog.text
        with pytest.raises(StoreLockedError):
            finish_store(tmp_path / "s")
    # the writer's close() without finalize() is what a killed build leaves
    assert (tmp_path / "s" / "kgbuild.dirty").exists()
    assert finish_store(tmp_path / "s") is True and not (tmp_path / "s" / "kgbuild.dirty").exists()
    with pytest.raises(GraphError, match="no kgbuild store here"):
        finish_store(tmp_path / "none")


def test_parallel_store_build_equals_the_serial_one(tmp_path, sample_docs, nlp):
    serial = build_store(tmp_path / "one", sample_docs, nlp=nlp, batch_size=4)
    parallel = build_store(tmp_path / "two", sample_docs, nlp=nlp, batch_size=4, n_process=2)
    assert parallel.documents == serial.documents == len(sample_docs)
    assert parallel.events == serial.events > 0
    assert isomorphic(store_graph(tmp_path / "two"), store_graph(tmp_path / "one"))


def test_graph_file_with_labelled_blank_nodes_opens_as_a_store(tmp_path):
    """Issue 26 item 6: a blank node with labels went into SPARQL as a relative IRI, an
    Oxigraph SyntaxError traceback for `serve` and the event table of such a file. A file
    now opens as a store in memory, read as it is (no settling of its labels)."""
    from kgbuild.stores import open_store

    path = tmp_path / "b.ttl"
    path.write_text('@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
                    '_:x rdfs:label "b", "a" .\n<http://example.org/y> rdfs:label "d", "c" .\n',
                    encoding="utf-8")
    with open_store(path) as store:
        labels = {(row["s"].value, row["l"].value) for row in store.query(
            "SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER (isIRI(?s)) }")}
        assert labels == {("http://example.org/y", "c"), ("http://example.org/y", "d")}
        blank = list(store.query("SELECT ?l WHERE { ?s rdfs:label ?l FILTER (isBlank(?s)) }"))
        assert len(blank) == 2  # the blank node keeps both: it is not listed


# -- issue 29 item 5: compacting after a large batch, an explicit option --------------------
def store_quads(path) -> set[str]:
    with GraphStore(path, read_only=True) as store:
        return {str(q) for q in store.store}


def test_build_compact_keeps_every_quad_and_says_the_size(tmp_path, sample_dir):
    """`--compact` after a build, or with `--finish`, leaves the same quads (the dyad index
    included) and logs the size before and after; without a store it is a usage error, on
    a locked store one line and exit 1."""
    from click.testing import CliRunner

    from kgbuild.cli import cli
    from kgbuild.stores.building import compact_store, store_bytes

    runner = CliRunner()
    plain, compacted = tmp_path / "plain", tmp_path / "compacted"
    assert runner.invoke(cli, ["build", str(sample_dir), "--store", str(plain)]).exit_code == 0
    result = runner.invoke(cli, ["build", str(sample_dir), "--store", str(compacted), "--compact"])
    assert result.exit_code == 0, result.output
    assert f"{compacted}: compacted, " in result.output and " MiB on disk" in result.output
    assert store_quads(compacted) == store_quads(plain)  # no blank nodes: equal sets = isomorphic
    result = runner.invoke(cli, ["build", "--finish", str(compacted), "--compact"])
    assert result.exit_code == 0, result.output
    assert store_quads(compacted) == store_quads(plain)
    before, after = compact_store(compacted)
    assert before > 0 and after == store_bytes(compacted)
    result = runner.invoke(cli, ["build", str(sample_dir), "-o", str(tmp_path / "g.ttl"), "--compact"])
    assert result.exit_code == 2 and "--compact goes with --store FOLDER or --finish STORE" in result.output
    with GraphStore(plain):
        result = runner.invoke(cli, ["build", "--finish", str(plain), "--compact"])
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert "another kgbuild process is writing to this store" in result.output
    with pytest.raises(GraphError, match="no kgbuild store here"):
        compact_store(tmp_path / "missing")
