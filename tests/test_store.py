"""The persistent Oxigraph store: same graph as in memory, resumable, locked, crash-safe."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib.compare import isomorphic

from kgbuild import Document, GraphError, build_graph, extract_events, read_documents, run_query
from kgbuild.store import GraphStore, StoreLockedError, build_store


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
        for name in saved_queries():
            a = run_query(store, name)
            b = run_query(memory_graph, name)
            norm = lambda r: sorted(tuple("" if v is None else str(v).removesuffix(".0") for v in row) for row in r.rows)  # noqa: E731
            assert norm(a) == norm(b), name
        bound = run_query(store, "timeline", bindings={"actor": "RUS"})
        assert bound.rows and all(str(r[1]) == "Russia" for r in bound.rows)


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
    with corpus.open("w", encoding="utf-8") as fh:
        for i in range(40):
            for d in sample_docs:
                fh.write(json.dumps({"id": f"{d.id}-{i}", "text": d.text}) + "\n")
    exe = shutil.which("kgbuild", path=os.path.dirname(sys.executable))
    store = tmp_path / "s"
    proc = subprocess.Popen([exe, "build", str(corpus), "--store", str(store), "--batch-size", "64"],
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
    assert 0 < held < 40 * len(sample_docs)
    rerun = subprocess.run([exe, "build", str(corpus), "--store", str(store)], capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{held} skipped" in rerun.stderr
    fresh = tmp_path / "fresh"
    subprocess.run([exe, "build", str(corpus), "--store", str(fresh)], check=True, capture_output=True)
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
