"""Extraction on a real Dask cluster (two worker processes) gives the single-process graph,
and the single-process store."""
import dataclasses
import shutil
import socket

import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS
from rdflib.compare import isomorphic

from kgbuild import Document, build_graph, extract_events, load_graph, read_documents
from kgbuild.cli import cli
from kgbuild.graph.namespace import KG
from kgbuild.jobs.workflow import build_store
from kgbuild.query import run_query
from kgbuild.stores.oxigraph import GraphStore

distributed = pytest.importorskip("distributed")

from kgbuild.graph.build import merge_chunks  # noqa: E402
from kgbuild.jobs.cluster import SchedulerError, build_distributed, build_distributed_store  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    """Two single-threaded worker processes on 127.0.0.1, no dashboard."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as local:
        yield local


@pytest.fixture(scope="module")
def corpus(sample_dir):
    return list(read_documents([sample_dir]))


@pytest.fixture(scope="module")
def single_process(corpus, nlp):
    """What `kgbuild build` writes: documents without text, with their content hash."""
    docs = [Document(d.id, "", d.date, d.url, d.title, d.source, d.content_hash()) for d in corpus]
    return build_graph(extract_events(corpus, nlp=nlp), documents=docs)


def test_build_distributed_is_isomorphic_to_single_process(cluster, corpus, single_process):
    graph = build_distributed(corpus, cluster, partition_size=2)
    assert len(graph) == len(single_process)
    assert isomorphic(graph, single_process)


def test_each_worker_loads_the_pipeline_once(cluster, corpus):
    with distributed.Client(cluster, set_as_default=False) as client:
        build_distributed(corpus, client, partition_size=1)

        def loads():
            from kgbuild.nlp import load_pipeline

            return load_pipeline.cache_info().misses

        assert set(client.run(loads).values()) <= {0, 1}
        assert sum(client.run(loads).values()) >= 1


def test_cli_build_with_dask_passes_the_users_tables_to_the_workers(cluster, tmp_path):
    """Issue 27, item 2: the tables go to the workers as arguments, not through os.environ."""
    (tmp_path / "a.tsv").write_text("alias\tlabel\ttype\tcountry\trole\n"
                                    "Zorvath Front\tZorvath Liberation Front\tGroup\tRUS\tREB\n",
                                    encoding="utf-8")
    (tmp_path / "p.tsv").write_text("alias\tlabel\tkind\tcountry\tlat\tlon\tgeonames\n"
                                    "Zaatari camp\tZaatari refugee camp\tsite\tJOR\t32.29\t36.32\t\n",
                                    encoding="utf-8")
    (tmp_path / "t.txt").write_text("The Zorvath Front attacked a convoy in the Zaatari camp.",
                                    encoding="utf-8")
    out = tmp_path / "graph.nq"
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "t.txt"), "--dask",
                                      cluster.scheduler_address, "-o", str(out),
                                      "--actors", str(tmp_path / "a.tsv"),
                                      "--places", str(tmp_path / "p.tsv")])
    assert result.exit_code == 0, result.output
    labels = {str(label) for label in load_graph(out).objects(None, RDFS.label)}
    assert {"Zorvath Liberation Front", "Zaatari refugee camp"} <= labels

    def environment():
        import os

        return [name for name in ("KGBUILD_ACTORS", "KGBUILD_PLACES") if name in os.environ]

    with distributed.Client(cluster, set_as_default=False) as client:
        assert set(map(tuple, client.run(environment).values())) == {()}


def test_merge_recounts_mentions_and_keeps_the_smallest_label(nlp):
    from kgbuild.stores.files import serialize_graph

    text = "On March 1, 2024, Russia deployed troops to Belarus."
    a = extract_events([Document("a", text, date="2024-03-04")], nlp=nlp)
    b = extract_events([Document("b", text, date="2024-03-05")], nlp=nlp)
    ga, gb = build_graph(a), build_graph(b)
    actor = next(ga.objects(None, KG.actor))
    ga.set((actor, RDFS.label, type(ga.value(actor, RDFS.label))("Zzz")))
    merged = merge_chunks([serialize_graph(ga, "nquads"), serialize_graph(gb, "nquads")])
    event = next(merged.subjects(RDF.type, KG.Event))
    assert int(merged.value(event, KG.mentionCount)) == 2
    assert str(merged.value(event, KG.firstReported)) == "2024-03-04"
    assert str(merged.value(event, KG.lastReported)) == "2024-03-05"
    assert [str(v) for v in merged.objects(actor, RDFS.label)] == ["Russia"]


def test_cli_build_with_dask_writes_the_same_graph(cluster, sample_dir, single_process, tmp_path):
    out = tmp_path / "graph.nq"
    result = CliRunner().invoke(cli, ["build", str(sample_dir), "--dask", cluster.scheduler_address,
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert isomorphic(load_graph(out), single_process)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_cli_dask_needs_a_reachable_scheduler(sample_dir, tmp_path):
    """Issue 29, item 4: with --store too, an unreachable scheduler is one line and exit 1,
    and no store folder is left behind."""
    address = f"tcp://127.0.0.1:{free_port()}"
    for target in (["-o", str(tmp_path / "g.nq")], ["--store", str(tmp_path / "s")]):
        result = CliRunner().invoke(cli, ["build", str(sample_dir), "--dask", address, *target])
        assert result.exit_code == 1, result.output
        assert result.output.startswith("Error: cannot reach the Dask scheduler")
        assert result.output.count("\n") == 1
    assert not (tmp_path / "s").exists() and not (tmp_path / "g.nq").exists()
    with pytest.raises(SchedulerError, match="cannot reach the Dask scheduler"):
        build_distributed([Document("d", "Nato met.")], address, connect_timeout=2)


# -- issue 29, item 4: `build --dask --store`, the same store as a local build ----------------
def store_quads(path) -> set[str]:
    with GraphStore(path, read_only=True) as store:
        return {str(q) for q in store.store}


def saved_answers(path) -> dict[str, list]:
    """The rows of every saved query that needs no parameter, on the store at `path`."""
    with GraphStore(path, read_only=True) as store:
        return {name: sorted(map(str, run_query(store, name, limit=10_000).rows))
                for name in ("who-did-what", "dyads", "claims", "negated-future")}


def second_day(corpus) -> list[Document]:
    """The corpus again with its first document changed and one new document."""
    first = corpus[0]
    changed = dataclasses.replace(first, text=first.text + "\n\nIran attacked Israel on Monday.")
    extra = Document("day2/new", "Turkey deployed troops to Syria.", date="2024-03-05")
    return [changed, *corpus[1:], extra]


@pytest.fixture(scope="module")
def local_stores(corpus, nlp, tmp_path_factory):
    """A local store after the corpus, and a copy after `second_day` too, with their summaries."""
    one = tmp_path_factory.mktemp("local") / "one"
    first = build_store(one, corpus, nlp=nlp)
    two = one.parent / "two"
    shutil.copytree(one, two)
    second = build_store(two, second_day(corpus), nlp=nlp)
    return {"one": (one, first), "two": (two, second)}


def test_build_distributed_store_equals_a_local_build_also_when_adding_to_it(
        cluster, corpus, local_stores, tmp_path):
    """Two Dask workers extract, this process writes: the same quads (dyad index included)
    and saved-query answers as a local build, on a new store and when a second batch skips
    the known documents and replaces a changed one."""
    path = tmp_path / "dask.store"
    first = build_distributed_store(corpus, cluster, path, partition_size=2)
    local, local_first = local_stores["one"]
    assert store_quads(path) == store_quads(local)  # no blank nodes: equal sets = isomorphic
    assert saved_answers(path) == saved_answers(local)
    assert (first.documents, first.events, first.skipped) == (len(corpus), local_first.events, 0)
    second = build_distributed_store(second_day(corpus), cluster, path, partition_size=3)
    local, local_second = local_stores["two"]
    assert (second.documents, second.skipped, second.replaced) == (2, len(corpus) - 1, 1)
    assert dataclasses.astuple(second) == dataclasses.astuple(local_second)
    assert store_quads(path) == store_quads(local)
    assert saved_answers(path) == saved_answers(local)


def test_cli_build_with_dask_into_a_store(cluster, sample_dir, local_stores, tmp_path):
    path = tmp_path / "kg.store"
    result = CliRunner().invoke(cli, ["build", str(sample_dir), "--dask", cluster.scheduler_address,
                                      "--store", str(path)])
    assert result.exit_code == 0, result.output
    assert store_quads(path) == store_quads(local_stores["one"][0])
    with GraphStore(path):  # another build writing: one line, exit 1, nothing changed
        locked = CliRunner().invoke(cli, ["build", str(sample_dir), "--dask",
                                          cluster.scheduler_address, "--store", str(path),
                                          "--replace"])
    assert locked.exit_code == 1
    assert locked.output.startswith("Error: ") and locked.output.count("\n") == 1
    assert "another kgbuild process is writing to this store" in locked.output
    assert store_quads(path) == store_quads(local_stores["one"][0])
