"""The README runs (issue 28 item 6): every fenced `sh`, `bash`, `console` and `python`
example of README.md that can run offline on the sample corpus is run, and what the README
says it prints or writes is checked.

Shell examples run line by line through the installed `kgbuild` (the venv's bin first on
PATH) in a fresh copy of a working folder holding the files the examples name, built once
per session as `make demo` builds `out/graph.ttl`; before each line the file it writes
(`-o FILE`, `> FILE`) is removed, so the check below reads what that line wrote. Python
examples run in this process, in such a folder, with the installed package. Examples that
cannot run here carry `<!-- not run: REASON -->` in the README and are named in NOT_RUN.
"""
from __future__ import annotations

import ast
import csv
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from rdflib.compare import isomorphic
from readme_examples import readme_examples, table_columns

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
SAMPLE = REPO / "examples" / "corpus"
EXAMPLES = readme_examples(README)
BIN = Path(sys.executable).parent

#: Examples not run, by id, with the README's reason (the two must agree).
NOT_RUN = {
    "quick-start-1": "creates .venv and runs the whole test suite",
    "quick-start-2": "installs packages from PyPI into a new venv",
    "distributed-extraction-1": "needs a Dask cluster",
    "distributed-extraction-2": "needs a Dask cluster",
    "push-1": "needs a SPARQL server",
    "serve-1": "runs a server until Ctrl-C",
    "benchmark-1": "takes minutes to an hour",
    "development-1": "rewrites files of the checkout and runs the whole test suite",
    "development-2": "needs the development gold outside this repository",
}

RUN = [e for e in EXAMPLES if e.not_run is None]
SHELL = [e for e in RUN if e.language != "python"]
PYTHON = [e for e in RUN if e.language == "python"]

MY_QUERY = """PREFIX kg: <https://w3id.org/kgbuild/ns#>
SELECT ?e ?action WHERE { ?e a kg:Event ; kg:action ?action } LIMIT 5
"""

WIRE = ("KYIV, June 12, 2023 (Reuters) - Ukrainian forces shelled Russian positions near "
        "Bakhmut on Monday, the general staff said.\n")


def kgbuild(*args: str, cwd: Path) -> None:
    subprocess.run([str(BIN / "kgbuild"), "-q", *args], cwd=cwd, check=True)


@pytest.fixture(scope="session")
def workdir_template(tmp_path_factory) -> Path:
    """The files the examples name: the sample corpus as `examples/corpus`, `news/` and
    `news.jsonl`/`more.jsonl` (its texts and its JSON Lines), `report.txt`, `my-query.rq`,
    `wires/` (an undated wire with a dateline),
    and what earlier examples write: `out/graph.ttl` (as `make demo`), `graph.ttl`,
    `events.jsonl`, `edited.ndjson`, `kg.store`, `events.csv`, `events.parquet`."""
    work = tmp_path_factory.mktemp("readme") / "work"
    shutil.copytree(SAMPLE, work / "examples" / "corpus")
    (work / "news").mkdir()
    for text in SAMPLE.glob("*.txt"):
        shutil.copy(text, work / "news" / text.name)
    shutil.copy(SAMPLE / "wire.jsonl", work / "news.jsonl")
    shutil.copy(SAMPLE / "wire.jsonl", work / "more.jsonl")
    shutil.copy(SAMPLE / "baltic-deployment.txt", work / "report.txt")
    (work / "wires").mkdir()
    (work / "wires" / "kyiv.txt").write_text(WIRE, encoding="utf-8")
    (work / "my-query.rq").write_text(MY_QUERY, encoding="utf-8")
    (work / "out").mkdir()
    kgbuild("build", "examples/corpus", "-o", "out/graph.ttl", cwd=work)
    shutil.copy(work / "out" / "graph.ttl", work / "graph.ttl")
    kgbuild("extract", "examples/corpus", "-o", "events.jsonl", cwd=work)
    lines = (work / "events.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (work / "edited.ndjson").write_text("".join(lines[1:]), encoding="utf-8")
    kgbuild("build", "events.jsonl", "--store", "kg.store", cwd=work)
    kgbuild("export", "graph.ttl", "-o", "events.csv", cwd=work)
    kgbuild("export", "graph.ttl", "-o", "events.parquet", cwd=work)
    return work


@pytest.fixture
def workdir(workdir_template, tmp_path) -> Path:
    work = tmp_path / "work"
    shutil.copytree(workdir_template, work)
    return work


# -- what a shell line writes ------------------------------------------------------------

def check_graph(path: Path) -> None:
    import kgbuild
    assert kgbuild.graph_stats(kgbuild.load_graph(path))["events"] > 0


def check_network(path: Path) -> None:
    import networkx as nx
    read = nx.read_gexf if path.suffix == ".gexf" else nx.read_graphml
    assert read(path).number_of_nodes() > 0


def check_table(path: Path, mentions: bool) -> None:
    import kgbuild
    table = kgbuild.read_table(path)
    assert len(table) > 0
    wanted = {c for c, mention_only in table_columns(README).items() if mentions or not mention_only}
    assert wanted <= set(table.columns), wanted - set(table.columns)
    codes = table["cameo_code"].dropna()
    assert all(re.fullmatch(r"\d{2,4}", code) for code in codes), list(codes)


def check_geojson(path: Path) -> None:
    collection = json.loads(path.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection" and collection["features"]
    for feature in collection["features"]:
        assert feature["geometry"]["type"] == "Point" and feature["properties"]["event_id"]


def check_events_jsonl(path: Path) -> list[dict]:
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert records
    for record in records:
        assert {"doc", "sentence", "actor", "action", "document"} <= set(record)
    return records


def check_written(path: Path, command: str) -> None:
    """The file a line wrote exists and reads back as what its suffix says."""
    assert path.exists(), f"{path.name} was not written"
    suffix = path.suffix
    if path.is_dir():
        check_graph(path)
    elif suffix in (".ttl", ".nt", ".jsonld", ".trig", ".nq"):
        check_graph(path)
    elif suffix in (".graphml", ".gexf"):
        check_network(path)
    elif suffix in (".csv", ".tsv", ".parquet"):
        check_table(path, mentions="--rows mentions" in command or "extract" in command)
    elif suffix == ".geojson":
        check_geojson(path)
    elif suffix == ".jsonl":
        records = check_events_jsonl(path)
        if "--min-confidence 0.8" in command:
            assert all(r["confidence"] >= 0.8 for r in records)
    elif suffix == ".html":
        assert path.read_text(encoding="utf-8").lower().startswith("<!doctype html")
    elif suffix == ".png":
        assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    elif suffix == ".svg":
        assert ElementTree.parse(path).getroot().tag.endswith("svg")
    else:
        raise AssertionError(f"no check for a {suffix} file: add one to tests/test_readme.py")


def outputs_of(command: str) -> list[str]:
    """The files a line writes: `-o FILE`, `> FILE`, and the `--store` of a build."""
    words = list(shlex.shlex(command, posix=True, punctuation_chars=True))  # no comment
    names = ["-o", ">"] + (["--store"] if words[:2] == ["kgbuild", "build"] else [])
    return [after for word, after in zip(words, words[1:]) if word in names and after != "-"]


# -- what a shell line prints ------------------------------------------------------------

def saved_query_names() -> list[str]:
    from importlib import resources
    return sorted(p.name[:-3] for p in resources.files("kgbuild.query.saved").iterdir()
                  if p.name.endswith(".rq"))


def check_claims(command: str, work: Path) -> None:
    """Claims the README's prose makes of a line."""
    import kgbuild
    if command.startswith("kgbuild build events.jsonl -o graph.ttl"):
        # "The graph equals the one a direct `kgbuild build` of the same text makes"
        assert isomorphic(kgbuild.load_graph(work / "graph.ttl"),
                          kgbuild.load_graph(work / "out" / "graph.ttl"))
    if command.startswith("kgbuild build wires/") and "--date-from-text" in command:
        from rdflib import XSD, Literal

        from kgbuild.graph.namespace import KG
        graph = kgbuild.load_graph(work / "graph.ttl")   # "dates from datelines"
        assert set(graph.objects(None, KG.published)) == {Literal("2023-06-12", datatype=XSD.date)}


def check_printed(command: str, out: str, err: str) -> None:
    """What the README says a line prints on stdout (or stderr, for a build)."""
    lines = out.splitlines()
    if command == "kgbuild query --list":
        assert all(name in out for name in saved_query_names())
    elif command.startswith("kgbuild query") and "--format csv" in command:
        rows = list(csv.reader(io.StringIO(out)))
        assert len(rows) > 1, out
    elif command.startswith("kgbuild query") and "--format json" in command:
        assert json.loads(out)["results"]["bindings"]
    elif command.startswith("kgbuild query"):
        rows = [line for line in lines[2:] if not re.fullmatch(r"\(\d+ rows\)", line)]
        assert rows, out                # after a header and its rule
        if "COUNT(*)" in command:
            assert int(rows[0]) > 0, out
        if "-p place Kaliningrad" in command:
            assert all(row.startswith("Kaliningrad ") for row in rows), out
    elif command.startswith("kgbuild stats") and "--format json" in command:
        assert json.loads(out)["events"] > 0
    elif command.startswith("kgbuild stats"):
        assert re.search(r"^events\s+[1-9]", out, re.M), out
        assert re.search(r"^documents\s+[1-9]", out, re.M), out
    elif command.startswith("kgbuild extract") and "--format table" in command:
        header = lines[0].split("\t")
        assert header[:9] == ["doc", "actor", "action", "target", "recipient", "location",
                              "modality", "cameo", "confidence"], header
        assert len(lines) > 1 and all(len(line.split("\t")) == len(header) for line in lines)
        if "--explain" in command:
            assert header[-1] == "explanation" and all("rule=" in line for line in lines[1:])
    elif "kgbuild extract" in command and " -o " not in command:
        records = [json.loads(line) for line in lines]
        assert records, err
        if "--statements" in command:
            assert any(r["event_type"] and r["event_type"]["code"] == "010" for r in records)
        if "--min-confidence 0.8" in command:
            assert all(r["confidence"] >= 0.8 for r in records)
    elif "--format nt" in command and "| head" in command:
        from rdflib import Graph
        assert len(lines) == 10 and len(Graph().parse(data=out, format="nt")) == 10
    elif "--rows mentions -o - | head" in command:
        assert "mention_id" in lines[0].split("\t") and len(lines) == 10
    elif command.startswith("kgbuild build") and "--store" in command and "more.jsonl" in command:
        assert re.search(r"\b6 skipped as already stored", err), err   # news/ was stored
    elif command.startswith("kgbuild build") and "--replace" in command:
        assert re.search(r"\b[1-9]\d* replaced", err), err


def test_every_example_is_run_or_named_with_its_reason():
    ids = [e.id for e in EXAMPLES]
    assert len(ids) == len(set(ids)), ids
    marked = {e.id: e.not_run for e in EXAMPLES if e.not_run is not None}
    assert marked == NOT_RUN
    assert len(RUN) >= 15, [e.id for e in RUN]


@pytest.mark.parametrize("example", SHELL, ids=[e.id for e in SHELL])
def test_shell_example_runs_and_does_what_the_readme_says(example, workdir):
    env = {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}"}
    built: set[Path] = set()
    for command in example.commands():
        for output in map(workdir.joinpath, outputs_of(command)):
            if output.is_file():
                output.unlink()
            elif output.is_dir() and output not in built:  # the example's first build makes it
                shutil.rmtree(output)
            built.add(output)
        done = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=workdir, env=env,
                              capture_output=True, text=True, timeout=600)
        where = f"README.md line {example.line}, {example.id}: {command}\n{done.stderr}"
        if "| head" in command:   # head closes the pipe early: the writer may see SIGPIPE
            assert done.returncode in (0, 141), where
        else:
            assert done.returncode == 0, where
        for output in outputs_of(command):
            check_written(workdir / output, command)
        check_printed(command, done.stdout, done.stderr)
        check_claims(command, workdir)
        if example.language == "console":
            shown = [line.rstrip() for line in example.console_output() if line != "…"]
            printed = [line.rstrip() for line in done.stdout.splitlines()]
            assert printed[0] == shown[0] and set(shown) <= set(printed), (shown, printed)


# -- python examples ---------------------------------------------------------------------

def run_python(source: str, namespace: dict):
    """Run `source` in `namespace`; the value of its last line when that is an expression."""
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "README.md", "exec"), namespace)
    if last is not None:
        return eval(compile(ast.Expression(last.value), "README.md", "eval"), namespace)
    return None


def cli_graph(template: Path):
    import kgbuild
    return kgbuild.load_graph(template / "graph.ttl")


def russia_deploys(events) -> bool:
    return any(e.actor.label == "Russia" and e.action.lemma == "deploy" for e in events)


def check_extract_text(ns, value, out, work, template):
    assert russia_deploys(value)        # the comment: Event(actor=…'Russia'…, lemma='deploy')


def check_build(ns, value, out, work, template):
    assert isomorphic(ns["graph"], cli_graph(template))   # "what `kgbuild build` does"
    mentions, events = map(int, out.split())
    assert mentions >= events > 0


def check_step_by_step(ns, value, out, work, template):
    import kgbuild
    assert isomorphic(kgbuild.load_graph(work / "graph.ttl"), cli_graph(template))
    assert out.startswith("[[")         # the timeline of RUS has rows
    assert ns["net"].number_of_nodes() > 0
    assert kgbuild.graph_stats(ns["graph"])["events"] > 0   # events_graph of events.jsonl


def check_own_pipeline(ns, value, out, work, template):
    assert russia_deploys(value)


def check_dataframes(ns, value, out, work, template):
    assert len(value) > 0                                     # the dyads as a DataFrame
    assert ns["events"]["cameo_code"].dropna().map(type).eq(str).all()


def check_read_csv(ns, value, out, work, template):
    codes = ns["events"]["cameo_code"].dropna()
    assert len(codes) and all(re.fullmatch(r"\d{2,4}", c) for c in codes), list(codes)


#: What each python example is checked for, beyond running.
PYTHON_CHECKS = {
    "library-1": check_extract_text,
    "library-2": check_build,
    "library-3": check_step_by_step,
    "library-4": check_own_pipeline,
    "event-table-2": check_dataframes,
    "event-table-3": check_read_csv,
}


def test_every_python_check_names_a_python_example():
    assert set(PYTHON_CHECKS) <= {e.id for e in PYTHON}, [e.id for e in PYTHON]


@pytest.mark.parametrize("example", PYTHON, ids=[e.id for e in PYTHON])
def test_python_example_runs_and_does_what_the_readme_says(example, workdir, workdir_template,
                                                           monkeypatch, capsys):
    monkeypatch.chdir(workdir)
    namespace: dict = {"__name__": "readme_example"}
    value = run_python(example.text, namespace)
    out = capsys.readouterr().out
    check = PYTHON_CHECKS.get(example.id)
    if check is not None:
        check(namespace, value, out, workdir, workdir_template)
