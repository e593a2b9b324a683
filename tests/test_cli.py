"""Every command through click's CliRunner, error paths, and the installed entry point."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from kgbuild.cli import cli


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


@pytest.fixture(scope="module")
def built(tmp_path_factory, sample_dir, nlp):
    out = tmp_path_factory.mktemp("cli") / "graph.ttl"
    result = CliRunner().invoke(cli, ["build", str(sample_dir), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_extract_jsonl_follows_the_event_contract(runner, sample_dir, nlp):
    result = runner.invoke(cli, ["extract", str(sample_dir / "baltic-deployment.txt")])
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert events
    for ev in events:
        assert {"doc", "sentence", "actor", "action", "target", "recipient", "location", "time",
                "modality", "negated", "attribution", "event_type", "confidence"} <= set(ev)
        assert ev["doc"] == "baltic-deployment"
        assert ev["modality"] in ("asserted", "future", "intended", "possible", "conditional")
    text = (sample_dir / "baltic-deployment.txt").read_text(encoding="utf-8")
    for ev in events:
        s = ev["sentence"]
        assert text[s["start"]:s["end"]].strip() == s["text"]


def test_extract_table_with_explain_and_output_file(runner, sample_dir, tmp_path, nlp):
    out = tmp_path / "events.tsv"
    result = runner.invoke(cli, ["extract", str(sample_dir / "wire.jsonl"), "--format", "table",
                                 "--explain", "-o", str(out)])
    assert result.exit_code == 0, result.output
    header, *rows = out.read_text(encoding="utf-8").splitlines()
    assert header.split("\t")[:3] == ["doc", "actor", "action"]
    assert header.split("\t")[-1] == "explanation"
    assert rows and all("rule=" in r for r in rows)
    assert {r.split("\t")[0] for r in rows} <= {"wire-001", "wire-002", "wire-003"}


def test_extract_from_stdin(runner, nlp):
    result = runner.invoke(cli, ["extract", "-"], input="Nato will send troops to Poland.\n")
    assert result.exit_code == 0, result.output
    (ev,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert ev["doc"] == "stdin" and ev["actor"]["label"] == "NATO" and ev["action"]["lemma"] == "send"


def test_build_writes_turtle_and_other_formats(runner, built, sample_dir, tmp_path, nlp):
    graph = Graph().parse(built, format="turtle")
    assert len(graph) > 100
    nt = tmp_path / "g.nt"
    result = runner.invoke(cli, ["build", str(sample_dir), "-o", str(nt)])
    assert result.exit_code == 0, result.output
    assert isomorphic(Graph().parse(nt, format="nt"), graph)


def test_query_command_saved_and_inline(runner, built):
    result = runner.invoke(cli, ["query", str(built), "timeline", "-p", "actor", "RUS", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "deploy" in result.stdout and "Russia" in result.stdout
    result = runner.invoke(cli, ["query", str(built), "ASK { ?s ?p ?o }"])
    assert result.exit_code == 0 and result.stdout.strip() == "true"


def test_query_from_file_and_list(runner, built, tmp_path):
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", encoding="utf-8")
    result = runner.invoke(cli, ["query", str(built), "-f", str(rq), "--format", "json"])
    assert result.exit_code == 0, result.output
    n = json.loads(result.stdout)["results"]["bindings"][0]["n"]["value"]
    assert int(n) == len(Graph().parse(built, format="turtle"))
    listed = runner.invoke(cli, ["query", "--list"])
    assert listed.exit_code == 0 and "who-did-what" in listed.stdout and "timeline" in listed.stdout


def test_export_graphml_and_stats(runner, built, tmp_path):
    out = tmp_path / "g.graphml"
    result = runner.invoke(cli, ["export", str(built), "--to", "graphml", "-o", str(out)])
    assert result.exit_code == 0, result.output
    net = nx.read_graphml(out)
    assert any(d.get("label") == "Russia" for _, d in net.nodes(data=True))
    result = runner.invoke(cli, ["stats", str(built), "--json"])
    counts = json.loads(result.stdout)
    assert result.exit_code == 0 and counts["events"] > 10 and counts["documents"] >= 5


@pytest.mark.parametrize("args, message", [
    (["extract", "no/such/file.txt"], "no/such/file.txt: no such file or folder"),
    (["build", "examples/corpus", "-o", "g.ttl", "--format", "xml"], "Invalid value for '--format'"),
    (["build", "examples/corpus", "-o", "g.xyz"], "cannot tell the RDF format"),
    (["query", "missing.ttl", "who-did-what"], "missing.ttl: no such graph file"),
    (["export", "missing.ttl", "--to", "graphml", "-o", "x.graphml"], "no such graph file"),
    (["stats", "missing.ttl"], "no such graph file"),
])
def test_user_errors_exit_1_or_2_with_one_line(runner, args, message, monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    result = runner.invoke(cli, args)
    assert result.exit_code in (1, 2), result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not Path("g.ttl").exists() and not Path("g.xyz").exists()


def test_bad_sparql_error_names_position(runner, built):
    result = runner.invoke(cli, ["query", str(built), "SELECT ?x WHERE { ?x ?y"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: SPARQL syntax error at line 1, column")
    assert len(result.output.strip().splitlines()) == 1


def test_missing_model_is_one_line_with_install_hint(runner, monkeypatch, tmp_path):
    (tmp_path / "a.txt").write_text("Russia said so.", encoding="utf-8")
    result = runner.invoke(cli, ["extract", str(tmp_path / "a.txt"), "--model", "no_such_pipeline"])
    assert result.exit_code == 1
    assert "no_such_pipeline' is not installed" in result.output and "pip install" in result.output


def test_installed_entry_point_runs_in_a_subprocess(tmp_path, sample_dir):
    exe = shutil.which("kgbuild", path=os.path.dirname(sys.executable))
    assert exe, "the kgbuild console script is not installed next to this Python"
    out = tmp_path / "g.ttl"
    proc = subprocess.run([exe, "build", str(sample_dir / "baltic-deployment.txt"), "-o", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "events" in proc.stderr and proc.stdout == ""
    assert len(Graph().parse(out, format="turtle")) > 20
    proc = subprocess.run([exe, "query", str(out), "SELECT ?x WHERE {"], capture_output=True, text=True)
    assert proc.returncode == 1 and proc.stderr.startswith("Error: SPARQL syntax error")
    module = subprocess.run([sys.executable, "-m", "kgbuild", "--help"], capture_output=True, text=True)
    assert module.returncode == 0 and "extract" in module.stdout


def test_user_actor_table_extends_normalization(runner, tmp_path, nlp, monkeypatch):
    monkeypatch.delenv("KGBUILD_ACTORS", raising=False)
    table = tmp_path / "mine.tsv"
    table.write_text("alias\tlabel\ttype\tcountry\trole\twikidata\tvalid_from\tvalid_to\n"
                     "Zorvath Front\tZorvath Liberation Front\tGroup\tRUS\tREB\t\t\t\n", encoding="utf-8")
    text = tmp_path / "t.txt"
    text.write_text("The Zorvath Front attacked a convoy near the border.", encoding="utf-8")
    try:
        result = runner.invoke(cli, ["extract", str(text), "--actors", str(table)])
    finally:
        os.environ.pop("KGBUILD_ACTORS", None)  # the CLI sets it for worker processes
    assert result.exit_code == 0, result.output
    (ev,) = [json.loads(line) for line in result.stdout.splitlines() if '"attack"' in line]
    assert ev["actor"]["label"] == "Zorvath Liberation Front" and ev["actor"]["role"] == "REB"


def test_progress_is_drawn_on_a_terminal_and_silent_otherwise(sample_dir, tmp_path):
    import pty

    exe = shutil.which("kgbuild", path=os.path.dirname(sys.executable))
    big = tmp_path / "many.jsonl"
    text = (sample_dir / "baltic-deployment.txt").read_text(encoding="utf-8")
    count = 40  # seconds of work: the line is redrawn twice a second
    big.write_text("".join(json.dumps({"id": f"d{i}", "text": text}) + "\n" for i in range(count)),
                   encoding="utf-8")
    master, slave = pty.openpty()
    proc = subprocess.run([exe, "extract", str(big), "-o", str(tmp_path / "e.jsonl")],
                          stderr=slave, stdout=subprocess.DEVNULL, timeout=600)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    shown = b"".join(chunks).decode()
    assert proc.returncode == 0 and "documents," in shown and "docs/s" in shown
    piped = subprocess.run([exe, "extract", str(big), "-o", str(tmp_path / "e2.jsonl")],
                           capture_output=True, text=True, timeout=600)
    assert "docs/s" not in piped.stderr and f"{count} documents" in piped.stderr


# -- issue 23, item 4: documents without dates -------------------------------------------------
DATED_FROM_TEXT = [
    {"id": "dateline", "text": "MOSCOW, March 3, 2019 (Reuters) - Russia expelled two British diplomats."},
    {"id": "prose", "text": "Officials said Turkey shelled Kurdish positions on 12 May 2020."},
    {"id": "nodate", "text": "Russia expelled two diplomats on Monday."},
    {"id": "given", "text": "Germany sanctioned Iran on 1 April 2021.", "date": "2021-04-02"},
]


def _jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_build_says_once_how_many_documents_have_no_date(tmp_path, nlp):
    inputs = _jsonl(tmp_path / "news.jsonl", DATED_FROM_TEXT)
    runner = CliRunner()
    result = runner.invoke(cli, ["build", str(inputs), "-o", str(tmp_path / "g.ttl")])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if "have no date" in line]
    assert lines == ["kgbuild: 3 of 4 documents have no date, so their relative times ('on Monday') "
                     "stay unresolved, and events they do not date themselves get no date (kg:time) "
                     "and never merge with other documents' reports; give dates with --date "
                     "YYYY-MM-DD, a 'date' field in JSON Lines, or --date-from-text (a dateline or "
                     "the first full date of the text)"]
    from_text = runner.invoke(cli, ["build", str(inputs), "-o", str(tmp_path / "t.ttl"), "--date-from-text"])
    assert from_text.exit_code == 0, from_text.output
    assert "kgbuild: 1 of 4 documents have no date" in from_text.stderr
    store = runner.invoke(cli, ["build", str(inputs), "--store", str(tmp_path / "kg.store"),
                                "--date", "2020-01-01"])
    assert store.exit_code == 0, store.output
    assert "no date" not in store.stderr and "has a date" not in store.stderr
    alone = runner.invoke(cli, ["build", str(_jsonl(tmp_path / "n.jsonl", DATED_FROM_TEXT[2:3])),
                                "--store", str(tmp_path / "n.store")])
    assert alone.stderr.count("none of the 1 documents has a date") == 1


def test_date_from_text_is_marked_in_the_graph(tmp_path, nlp):
    from rdflib import XSD, Literal

    from kgbuild.graph.namespace import KG
    from kgbuild.graph.validate import validate_graph

    inputs = _jsonl(tmp_path / "news.jsonl", DATED_FROM_TEXT)
    out = tmp_path / "g.ttl"
    result = CliRunner().invoke(cli, ["build", str(inputs), "-o", str(out), "--date-from-text"])
    assert result.exit_code == 0, result.output
    graph = Graph().parse(out)
    docs = {str(graph.value(d, KG.docId)): d for d in graph.subjects(KG.docId, None)}
    assert graph.value(docs["dateline"], KG.published) == Literal("2019-03-03", datatype=XSD.date)
    assert graph.value(docs["dateline"], KG.publishedText) == Literal("MOSCOW, March 3, 2019 (Reuters)")
    assert graph.value(docs["prose"], KG.published) == Literal("2020-05-12", datatype=XSD.date)
    assert graph.value(docs["prose"], KG.publishedText) == Literal("12 May 2020")
    assert graph.value(docs["given"], KG.published) == Literal("2021-04-02", datatype=XSD.date)
    assert graph.value(docs["given"], KG.publishedText) is None  # the input's own date wins
    assert graph.value(docs["nodate"], KG.published) is None  # no date in the text: none
    assert graph.value(docs["nodate"], KG.publishedText) is None
    mention = next(graph.subjects(KG.document, docs["dateline"]))
    event = graph.value(mention, KG.mentionOf)
    assert str(graph.value(event, KG.time)) == "2019-03-03"  # the report date stands in
    assert validate_graph(graph) == []  # the marked graph conforms to the shapes
    broken = Graph() + graph
    broken.remove((docs["dateline"], KG.published, None))
    assert [v.message for v in validate_graph(broken)] == [
        "A document with kg:publishedText must have exactly one kg:published, the day "
        "(xsd:date) read from those words."]
    # extract -> build --from-events keeps the mark: the same graph as from the text
    events = tmp_path / "events.jsonl"
    extracted = CliRunner().invoke(cli, ["extract", str(inputs), "-o", str(events), "--date-from-text"])
    assert extracted.exit_code == 0, extracted.output
    again = tmp_path / "again.ttl"
    assert CliRunner().invoke(cli, ["build", str(events), "-o", str(again)]).exit_code == 0
    assert isomorphic(Graph().parse(again), graph)
