"""Extraction on a real Dask cluster (two worker processes) gives the single-process graph."""
import socket

import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS
from rdflib.compare import isomorphic

from kgbuild import Document, build_graph, extract_events, load_graph, read_documents
from kgbuild.cli import cli
from kgbuild.graph.namespace import KG

distributed = pytest.importorskip("distributed")

from kgbuild.distributed import SchedulerError, build_distributed, merge_chunks  # noqa: E402


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


def test_cli_dask_needs_output_file_and_a_reachable_scheduler(sample_dir, tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["build", str(sample_dir), "--dask", "tcp://127.0.0.1:1",
                                 "--store", str(tmp_path / "s")])
    assert result.exit_code == 2 and "--dask" in result.output
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(SchedulerError, match="cannot reach the Dask scheduler"):
        build_distributed([Document("d", "Nato met.")], f"tcp://127.0.0.1:{port}", connect_timeout=2)
