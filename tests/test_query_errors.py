"""Issue 26, item 15: a store query that fails is one line (no `RuntimeError: …
PyQuerySolutions is unsendable` after it), and an --offset or --limit too large to page is a
usage error, not an islice error."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from kgbuild import QueryError, build_graph, run_query, save_graph
from kgbuild.cli import cli
from kgbuild.query.result import MAX_ROWS

EXE = shutil.which("kgbuild", path=os.path.dirname(sys.executable))
#: Oxigraph refuses this SERVICE while evaluating (port 9 is reserved), without any network.
FAILING = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def graphs(tmp_path_factory, one_event_graph):
    """A hand-built graph as a Turtle file and as a finished store."""
    from kgbuild.stores.oxigraph import GraphStore

    folder = tmp_path_factory.mktemp("graphs")
    save_graph(one_event_graph, folder / "g.ttl")
    with GraphStore(folder / "kg.store") as store:
        store.add(one_event_graph)
        store.finalize()
    return {"file": folder / "g.ttl", "store": folder / "kg.store"}


@pytest.mark.parametrize("args", [
    ["--allow-service", FAILING],
    ["who-did-what", "--offset", str(10**20)],
], ids=["evaluation-error", "huge-offset"])
def test_a_failing_store_query_is_one_line(graphs, args):
    proc = subprocess.run([EXE, "query", str(graphs["store"]), *args], capture_output=True, text=True,
                          timeout=120)
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode in (1, 2) and lines[-1].startswith("Error: "), proc.stderr
    assert "unsendable" not in proc.stderr and "RuntimeError" not in proc.stderr
    assert [line for line in lines if line.startswith("Error")] == [lines[-1]]


@pytest.mark.parametrize("target", ["file", "store"])
@pytest.mark.parametrize("option", ["--offset", "--limit"])
@pytest.mark.parametrize("value", [str(10**20), str(MAX_ROWS + 1)])
def test_too_large_offset_or_limit_is_a_usage_error(graphs, target, option, value):
    result = CliRunner().invoke(cli, ["query", str(graphs[target]), "who-did-what", option, value])
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '{option}': {value} is more than {MAX_ROWS:,}" in result.output
    assert "islice" not in result.output


@pytest.mark.parametrize("target", ["file", "store"])
def test_largest_offset_and_limit_still_page(graphs, target):
    result = CliRunner().invoke(cli, ["query", str(graphs[target]), "who-did-what", "--offset",
                                      str(MAX_ROWS), "--limit", str(MAX_ROWS)])
    assert result.exit_code == 0, result.output
    assert "(0 rows)" in result.output


@pytest.mark.parametrize("page", [{"offset": 10**20}, {"limit": MAX_ROWS + 1}, {"offset": -1}])
def test_library_refuses_a_page_it_cannot_take(graphs, page):
    from kgbuild.stores.oxigraph import GraphStore

    with pytest.raises(QueryError, match=f"from 0 to {MAX_ROWS}"):
        run_query(build_graph([]), "who-did-what", **page)
    with GraphStore(graphs["store"], read_only=True) as store:
        with pytest.raises(QueryError, match=f"from 0 to {MAX_ROWS}"):
            run_query(store, "who-did-what", **page)


ADHOC = "SELECT ?a WHERE { ?a rdfs:label ?actor }"


@pytest.mark.parametrize("name, hint", [("actor) (?x", ""), ("?actor", " (give it without the '?')"),
                                        ("a b", ""), ("", "")])
@pytest.mark.parametrize("target", ["file", "store", "endpoint"])
def test_parameter_names_must_be_sparql_variable_names(graphs, target, name, hint):
    """Issue 26, item 17: `-p 'actor) (?x' RUS` was silently ignored (every row came back)."""
    where = ["--endpoint", "http://127.0.0.1:1/query"] if target == "endpoint" else [str(graphs[target])]
    result = CliRunner().invoke(cli, ["query", *where, ADHOC, "-p", name, "RUS"])
    assert result.exit_code == 1, result.output
    assert result.output.strip() == (f"Error: cannot bind '{name}': a parameter name is a SPARQL "
                                     f"variable name, letters, digits and _ only{hint}")


@pytest.mark.parametrize("target", ["file", "store"])
@pytest.mark.parametrize("name", ["actor", "act·or", "ação", "_1"])
def test_variable_names_sparql_allows_bind(graphs, target, name):
    query = ADHOC.replace("?actor", f"?{name}")
    result = CliRunner().invoke(cli, ["query", str(graphs[target]), query, "-p", name, "Ukraine"])
    assert result.exit_code == 0, result.output
    assert "(1 rows)" in result.output and "actor/Ukraine" in result.output


@pytest.mark.parametrize("content, mode, message", [
    ("machine 127.0.0.1 login bob password s3cret\n", 0o644,
     "Error: ~/.netrc can be read by other users, so it is not used: make it yours alone (chmod 600 ~/.netrc)"),
    ("machine 127.0.0.1 login bob password s3cret\ns3cret machine x\n", 0o600,
     "Error: ~/.netrc is not in netrc syntax near line 2 (machine … login … password …): fix it"),
])
def test_netrc_problems_say_what_is_wrong(no_credentials, content, mode, message):
    """Issue 26, item 17: a ~/.netrc of mode 644 said `cannot be read (line None)`."""
    netrc = no_credentials / ".netrc"
    netrc.write_text(content)
    netrc.chmod(mode)
    result = CliRunner().invoke(cli, ["query", "--endpoint", "http://127.0.0.1:1/query", "ASK {}"])
    assert result.exit_code == 1
    assert result.output.strip() == message and "s3cret" not in result.output
