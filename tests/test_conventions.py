"""One spelling per idea on the command line, and a notebook user's first ten minutes (#16)."""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from kgbuild.cli import cli

EXE = shutil.which("kgbuild", path=os.path.dirname(sys.executable))


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory, sample_graph):
    path = tmp_path_factory.mktemp("conventions") / "graph.ttl"
    sample_graph.serialize(path, format="turtle")
    return path


@pytest.fixture
def runner():
    return CliRunner()


READING_COMMANDS = ["query", "stats", "export", "validate", "viz", "push"]


@pytest.mark.parametrize("command", READING_COMMANDS)
def test_reading_commands_name_graph_or_store_in_their_help(runner, command):
    result = runner.invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert f" {command} [OPTIONS] GRAPH_OR_STORE" in result.output


@pytest.mark.parametrize("command, rest", [
    ("query", ["dyads"]), ("stats", []), ("export", ["--format", "nt"]), ("validate", []),
    ("viz", ["-o", "x.html"]),
])
@pytest.mark.parametrize("guess", ["--store", "--graph"])
def test_a_store_option_guess_names_the_argument_form(runner, graph_file, command, rest, guess):
    result = runner.invoke(cli, [command, guess, str(graph_file), *rest])
    assert result.exit_code == 2
    assert "GRAPH_OR_STORE argument" in result.output
    assert f"kgbuild {command} {graph_file}" in result.output


@pytest.mark.parametrize("args", [
    ["stats", "{graph}", "-q"],
    ["-q", "stats", "{graph}"],
    ["export", "{graph}", "--format", "nt", "-o", "{out}", "-q"],
    ["validate", "{graph}", "--quiet"],
])
def test_quiet_is_accepted_before_and_after_the_command(runner, graph_file, tmp_path, args):
    args = [a.format(graph=graph_file, out=tmp_path / "g.nt") for a in args]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "kgbuild: wrote" not in result.stderr


def test_quiet_after_extract_silences_the_summary(runner, sample_dir, nlp):
    loud = runner.invoke(cli, ["extract", str(sample_dir / "baltic-deployment.txt")])
    quiet = runner.invoke(cli, ["extract", str(sample_dir / "baltic-deployment.txt"), "-q"])
    assert loud.exit_code == quiet.exit_code == 0
    assert "event mentions" in loud.stderr
    assert quiet.stderr == ""
    assert quiet.stdout == loud.stdout


@pytest.mark.parametrize("spelling", ["--format", "--to"])
def test_export_format_and_its_alias_to_write_stdout(runner, graph_file, spelling):
    result = runner.invoke(cli, ["export", str(graph_file), spelling, "nt", "-o", "-"])
    assert result.exit_code == 0, result.output
    back = Graph().parse(data=result.stdout, format="nt")
    assert isomorphic(back, Graph().parse(graph_file))


def test_export_graphml_to_stdout_loads_in_networkx(runner, graph_file):
    result = runner.invoke(cli, ["export", str(graph_file), "--format", "graphml"])
    assert result.exit_code == 0, result.output
    net = nx.read_graphml(io.BytesIO(result.stdout_bytes))
    assert net.number_of_edges() > 0


def test_export_takes_the_format_from_the_suffix(runner, graph_file, tmp_path):
    out = tmp_path / "net.gexf"
    result = runner.invoke(cli, ["export", str(graph_file), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert nx.read_gexf(out).number_of_nodes() > 0


def test_stdout_without_a_format_is_a_usage_error(runner, graph_file):
    for args in (["export", str(graph_file)], ["viz", str(graph_file), "-o", "-"]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 2
        assert "give --format" in result.output


def test_viz_format_writes_svg_to_stdout_and_png_whatever_the_suffix(runner, graph_file, tmp_path):
    svg = runner.invoke(cli, ["viz", str(graph_file), "--format", "svg", "-o", "-"])
    assert svg.exit_code == 0, svg.output
    assert svg.stdout_bytes.lstrip().startswith(b"<?xml") and b"<svg" in svg.stdout_bytes
    out = tmp_path / "picture.out"
    png = runner.invoke(cli, ["viz", str(graph_file), "--format", "png", "-o", str(out)])
    assert png.exit_code == 0, png.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("command", ["stats", "query", "validate"])
def test_errors_mention_no_option_the_command_lacks(runner, tmp_path, command):
    odd = tmp_path / "graph.xyz"
    odd.write_text("<a> <b> <c> .\n")
    args = [command, str(odd)] + (["dyads"] if command == "query" else [])
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert "cannot tell the RDF format" in result.output
    assert "--format" not in result.output


def test_stats_format_json_is_json_json_flag_the_same(runner, graph_file):
    by_format = runner.invoke(cli, ["stats", str(graph_file), "--format", "json"])
    by_flag = runner.invoke(cli, ["stats", str(graph_file), "--json"])
    assert by_format.exit_code == by_flag.exit_code == 0
    counts = json.loads(by_format.stdout)
    assert counts == json.loads(by_flag.stdout)
    assert counts["events"] <= counts["mentions"]


def test_graph_on_stdin_as_dash(runner, graph_file):
    turtle = graph_file.read_text(encoding="utf-8")
    from_file = runner.invoke(cli, ["stats", str(graph_file), "--json"])
    from_stdin = runner.invoke(cli, ["stats", "-", "--json"], input=turtle)
    assert from_stdin.exit_code == 0, from_stdin.output
    assert json.loads(from_stdin.stdout) == json.loads(from_file.stdout)
    empty = runner.invoke(cli, ["stats", "-"], input="")
    assert empty.exit_code == 1 and "standard input is empty" in empty.output


def test_graph_on_stdin_through_the_real_command(graph_file):
    nt = Graph().parse(graph_file).serialize(format="nt")
    piped = subprocess.run([EXE, "query", "-", "dyads", "--format", "csv"], input=nt,
                           capture_output=True, text=True, timeout=300)
    direct = subprocess.run([EXE, "query", str(graph_file), "dyads", "--format", "csv"],
                            capture_output=True, text=True, timeout=300)
    assert piped.returncode == 0, piped.stderr
    # rows tied in the query's order may come in any order
    assert sorted(piped.stdout.splitlines()) == sorted(direct.stdout.splitlines())
    assert piped.stdout.count("\n") > 1


def test_build_summary_counts_mentions_merged_into_events(runner, sample_dir, tmp_path, nlp):
    out = tmp_path / "g.ttl"
    result = runner.invoke(cli, ["build", str(sample_dir), "-o", str(out)])
    assert result.exit_code == 0, result.output
    line = result.stderr.strip().splitlines()[-1]
    counts = json.loads(runner.invoke(cli, ["stats", str(out), "--json"]).stdout)
    assert (f"{counts['mentions']} event mentions merged into {counts['events']} events, "
            f"{counts['triples']} triples") in line


def test_library_build_is_what_the_command_builds(runner, sample_dir, tmp_path, nlp):
    import kgbuild

    out = tmp_path / "cli.ttl"
    assert runner.invoke(cli, ["build", str(sample_dir), "-o", str(out)]).exit_code == 0
    result = kgbuild.build([sample_dir], nlp=nlp)
    assert isinstance(result, kgbuild.BuildResult) and result.output is None
    assert isomorphic(result.graph, Graph().parse(out))
    from rdflib import RDF

    from kgbuild.graph.namespace import KG

    assert result.events == len(set(result.graph.subjects(RDF.type, KG.Event))) > 0
    assert result.mentions >= result.events and result.documents > 1
    written = kgbuild.build([sample_dir], nlp=nlp, output=tmp_path / "lib.nt")
    assert written.graph is None and isomorphic(Graph().parse(written.output), result.graph)


def test_library_build_checks_the_output_before_the_work(tmp_path):
    import kgbuild

    with pytest.raises(kgbuild.GraphError, match="cannot tell the RDF format"):
        kgbuild.build([tmp_path / "missing.txt"], output=tmp_path / "out.xyz")


FIRST_TEN_MINUTES = """
import sys, kgbuild
names = set(kgbuild.__all__)
events = kgbuild.extract_text("Moscow will deploy Iskander missiles in Kaliningrad. "
                              "NATO condemned the move.", date="2024-03-04")
assert "extract_text" in names and events and events[0].actor.country == "RUS", events
graph = kgbuild.build_graph(events)
rows = kgbuild.run_query(graph, "who-did-what").rows
assert any("Russia" in map(str, row) for row in rows), rows
kgbuild.write_graphml(graph, sys.argv[1])
assert set(dir(kgbuild)) == names
print(len(events))
"""


def test_a_notebook_users_first_ten_minutes_without_click(tmp_path):
    out = tmp_path / "net.graphml"
    proc = subprocess.run([sys.executable, "-c", FIRST_TEN_MINUTES, str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout) >= 2
    assert nx.read_graphml(out).number_of_edges() >= 1


def test_no_library_module_imports_click():
    import ast
    from pathlib import Path

    import kgbuild

    package = Path(kgbuild.__file__).parent
    offenders = []
    for path in package.rglob("*.py"):
        if path.name == "cli.py" or "cli" in path.relative_to(package).parts[:-1]:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n == "click" or n.startswith("click.") for n in names):
                offenders.append(str(path.relative_to(package)))
    assert offenders == []


def test_graph_side_runs_without_click_loaded():
    code = ("import sys, kgbuild; from kgbuild import build_graph, run_query, to_networkx; "
            "import kgbuild.stores.files, kgbuild.query.run, kgbuild.stores.oxigraph, kgbuild.viz, kgbuild.jobs.workflow; "
            "run_query(build_graph([]), 'dyads'); "
            "sys.exit(1 if 'click' in sys.modules else 0)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
