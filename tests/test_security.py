"""Security and hang regressions of issue 15, against real local HTTP servers (127.0.0.1).

Items: 1 SERVICE/UPDATE decided on the parsed query, 2 credentials validated and never
printed, 3 spreadsheet formulas neutralized, 6 redirects never drop a push, 11 deadlines
and Ctrl-C for queries and pushes.
"""
import csv
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgbuild import Action, Entity, Event, EventType, Sentence, build_graph, save_graph
from kgbuild.cli import cli
from kgbuild.namespace import KG

EXE = shutil.which("kgbuild", path=os.path.dirname(sys.executable))
SECRET = "tok-SECRET"
EMPTY_RESULTS = b'{"head": {"vars": ["s"]}, "results": {"bindings": []}}'


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch, tmp_path):
    """No credentials from the developer's environment or ~/.netrc leak into a test."""
    for name in ("KGBUILD_ENDPOINT_USER", "KGBUILD_ENDPOINT_PASSWORD", "KGBUILD_ENDPOINT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    return home


class Recorder:
    """A local HTTP server that records every request (method, path, headers, body) and
    answers each with `reply(hit) -> (status, headers, body)`."""

    def __init__(self, reply):
        self.hits: list[dict] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                hit = {"method": self.command, "path": self.path, "headers": dict(self.headers),
                       "body": self.rfile.read(length)}
                recorder.hits.append(hit)
                answer = reply(hit)
                if isinstance(answer, bytes):  # a raw (possibly broken) answer
                    self.wfile.write(answer)
                    self.close_connection = True
                    return
                status, headers, body = answer
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


def sparql_json(hit):
    return 200, {"Content-Type": "application/sparql-results+json"}, EMPTY_RESULTS


@pytest.fixture
def serve():
    """Start recording servers: `serve(reply)` -> Recorder; all stopped afterwards."""
    started: list[Recorder] = []

    def start(reply=sparql_json) -> Recorder:
        started.append(Recorder(reply))
        return started[-1]

    yield start
    for recorder in started:
        recorder.stop()


def event(doc: str, actor: str = "Russia", target: str = "Ukraine", goldstein: float = -7.2,
          code: str = "190") -> Event:
    return Event(doc=doc, sentence=Sentence(f"{actor} attacked {target}.", 0, 20),
                 actor=Entity(actor, actor, "Country", key=f"actor/{actor}", start=0, end=len(actor)),
                 action=Action("attacked", "attack", 7, 15),
                 target=Entity(target, target, "Country", key=f"actor/{target}"),
                 event_type=EventType(code, "Use conventional military force", "19",
                                      goldstein=goldstein, quad_class=4),
                 explanation="hand-built", doc_date="2024-05-01")


@pytest.fixture
def graph_file(tmp_path):
    """A small kgbuild graph (two documents, no spaCy) as Turtle."""
    path = tmp_path / "g.ttl"
    save_graph(build_graph([event("d1"), event("d2", "Nato", "Poland", 3.4)]), path)
    return path


@pytest.fixture
def store_dir(tmp_path, graph_file):
    from kgbuild import load_graph
    from kgbuild.store import GraphStore

    path = tmp_path / "kg.store"
    with GraphStore(path) as store:
        store.add(load_graph(graph_file))
        store.finalize()
    return path


def one_line_error(result, code: int = 1) -> str:
    """The CLI failed with `code`, printing exactly one `Error:` line and no traceback."""
    assert result.exit_code == code, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert "Traceback" not in result.output
    return lines[0]


# -- 1. SERVICE and UPDATE decided on the parsed query -------------------------------
SERVICE_SPELLINGS = {
    "escaped": r"SELECT * WHERE { \u0053ERVICE <URL> { ?s ?p ?o } }",
    "escaped-lowercase": r"SELECT * WHERE { \u0073ervice <URL> { ?s ?p ?o } }",
    "escaped-middle": r"SELECT * WHERE { SERV\u0049CE SILENT <URL> { ?s ?p ?o } }",
    "long-escape": r"SELECT * WHERE { \U00000053ERVICE <URL> { ?s ?p ?o } }",
    "lowercase": "select * where { service <URL> { ?s ?p ?o } }",
    "comment-and-newlines": "SELECT * WHERE {\n  SERVICE # fetch\n\n  <URL>\n  { ?s ?p ?o } }",
    "in-optional": "SELECT * WHERE { ?a ?b ?c OPTIONAL { SERVICE <URL> { ?s ?p ?o } } }",
    "in-exists": "SELECT * WHERE { ?a ?b ?c FILTER EXISTS { SERVICE <URL> { ?s ?p ?o } } }",
    "in-subquery": "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <URL> { ?s ?p ?o } } } }",
    "ask": r"ASK { \u0053ERVICE <URL> { ?s ?p ?o } }",
    "construct": r"CONSTRUCT { ?s ?p ?o } WHERE { \u0053ERVICE <URL> { ?s ?p ?o } }",
}


@pytest.mark.parametrize("target", ["file", "store", "endpoint"])
@pytest.mark.parametrize("spelling", SERVICE_SPELLINGS, ids=list(SERVICE_SPELLINGS))
def test_service_refused_in_any_spelling_and_nothing_fetched(serve, graph_file, store_dir, target,
                                                             spelling):
    """Issue 15 item 1: a SERVICE clause written with \\u escapes, in lower case or split by
    comments is refused before anything is fetched, for files, stores and endpoints."""
    remote = serve()
    endpoint = serve()
    query = SERVICE_SPELLINGS[spelling].replace("URL", f"{remote.url}/x")
    args = {"file": ["query", str(graph_file), query], "store": ["query", str(store_dir), query],
            "endpoint": ["query", "--endpoint", f"{endpoint.url}/query", query]}[target]
    line = one_line_error(CliRunner().invoke(cli, args))
    assert "SERVICE clauses are refused" in line and "--allow-service" in line
    assert remote.hits == [] and endpoint.hits == []


@pytest.mark.parametrize("target, spelling", [("file", "escaped"), ("store", "lowercase"),
                                              ("endpoint", "escaped")])
def test_service_is_fetched_only_with_allow_service(serve, graph_file, store_dir, target, spelling):
    """The control for the test above: the same servers do see the request when it is
    allowed (Oxigraph reads \\u escapes only inside strings and IRIs, so the store gets the
    plain spelling; the escaped one is a syntax error there)."""
    remote = serve()
    query = SERVICE_SPELLINGS[spelling].replace("URL", f"{remote.url}/x")
    if target == "endpoint":
        args = ["query", "--endpoint", f"{remote.url}/query", query, "--allow-service"]
    else:
        args = ["query", str(graph_file if target == "file" else store_dir), query, "--allow-service"]
    CliRunner().invoke(cli, args)
    assert remote.hits, "the request never arrived: the refusal test above proves nothing"


def test_issue_command_refuses_escaped_service(serve, graph_file):
    """The command of the issue, through the installed CLI."""
    remote = serve()
    query = r"SELECT * WHERE { \u0053ERVICE <URL> { ?s ?p ?o } }".replace("URL", f"{remote.url}/x")
    proc = subprocess.run([EXE, "query", str(graph_file), query], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.strip().splitlines() == [
        "Error: SERVICE clauses are refused (they fetch remote URLs); use --allow-service"]
    assert remote.hits == []


UPDATE_SPELLINGS = {
    "escaped-delete": r"\u0044ELETE WHERE { ?s ?p ?o }",
    "escaped-insert": r"\u0049NSERT DATA { <http://a/s> <http://a/p> <http://a/o> }",
    "comment-first": "# clean up\nDROP ALL",
    "prefix-then-lowercase": "PREFIX a: <http://a/>\n# note\ninsert data { a:s a:p a:o }",
    "escaped-drop": r"DR\u004FP SILENT GRAPH <http://a/g>",
}


@pytest.mark.parametrize("target", ["file", "store", "endpoint"])
@pytest.mark.parametrize("spelling", UPDATE_SPELLINGS, ids=list(UPDATE_SPELLINGS))
def test_update_refused_in_any_spelling(serve, graph_file, store_dir, target, spelling):
    """Issue 15 item 1: updates are recognised by parsing (escapes expanded), not by a regex."""
    from kgbuild.store import GraphStore

    endpoint = serve()
    query = UPDATE_SPELLINGS[spelling]
    before = graph_file.read_bytes()
    with GraphStore(store_dir, read_only=True) as store:
        quads = len(store)
    args = {"file": ["query", str(graph_file), query], "store": ["query", str(store_dir), query],
            "endpoint": ["query", "--endpoint", f"{endpoint.url}/query", query]}[target]
    line = one_line_error(CliRunner().invoke(cli, args))
    assert line == "Error: SPARQL updates are not allowed here; kgbuild query is read-only"
    assert endpoint.hits == [] and graph_file.read_bytes() == before
    with GraphStore(store_dir, read_only=True) as store:
        assert len(store) == quads


def test_service_check_walks_the_algebra_not_the_text():
    """The word SERVICE in a string or an IRI is no SERVICE clause; the algebra decides."""
    from kgbuild.query import check_query

    check_query('SELECT * WHERE { ?s ?p "SERVICE <http://x/> { }" }')
    check_query("SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }")


# -- 3. Spreadsheet formulas ------------------------------------------------------------
FORMULAS = ['=HYPERLINK("http://evil.example/","x")', "@ZorgMilitia", "+cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", "=1+1"]
NUMBERS = ["-7.2", "+3", "-5", "0.5", "1e-3", "-.5", "-"]  # and the table's empty-slot mark


@pytest.mark.parametrize("value", FORMULAS + NUMBERS)
def test_spreadsheet_cell_neutralizes_formulas_and_keeps_numbers(value):
    from kgbuild.tabular import spreadsheet_cell

    expected = value if value in NUMBERS else "'" + value
    assert spreadsheet_cell(value) == expected


def test_tsv_cells_cannot_start_a_column_or_row_with_a_formula():
    from kgbuild.tabular import tsv_cell

    assert tsv_cell("Front\t=HYPERLINK(1)\n@x") == "Front =HYPERLINK(1) @x"
    assert tsv_cell("\t=1") == " =1" and tsv_cell("=1\t") == "'=1 "


@pytest.fixture
def formula_graph(tmp_path):
    """Actors named like formulas, events with negative and positive Goldstein values."""
    path = tmp_path / "formulas.ttl"
    events = [event(f"d{i}", actor=label, target="Poland", goldstein=g, code=f"19{i}")
              for i, (label, g) in enumerate(zip(FORMULAS, [-7.2, 3.4, -10.0, 0.0, 1.0, -2.5, 7.0]))]
    save_graph(build_graph(events), path)
    return path


def test_query_csv_neutralizes_formulas_but_keeps_negative_numbers(formula_graph):
    """Issue 15 item 3: `query --format csv` cells never start a formula; -7.2 stays a number."""
    query = "SELECT ?actor ?g WHERE { ?e kg:actor/rdfs:label ?actor ; kg:eventType/kg:goldstein ?g }"
    result = CliRunner().invoke(cli, ["query", str(formula_graph), query, "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["actor", "g"] and len(rows) == len(FORMULAS) + 1
    assert sorted(r[0] for r in rows[1:]) == sorted("'" + f for f in FORMULAS)
    assert "-7.2" in [r[1] for r in rows[1:]] and "-10.0" in [r[1] for r in rows[1:]]
    for row in rows[1:]:
        assert all(not cell.startswith(("=", "@", "\t", "\r")) for cell in row)
        assert not row[0].startswith(("+", "-"))


def test_extract_table_neutralizes_formula_actor_names(tmp_path, nlp):
    """Issue 15 item 3: `extract --format table` (tab-separated) is safe to open too."""
    actors = tmp_path / "actors.tsv"
    actors.write_text("alias\tlabel\ttype\tcountry\trole\twikidata\tvalid_from\tvalid_to\n"
                      "Zorg Militia\t@ZorgMilitia\tGroup\t\tREB\t\t\t\n"
                      'Hyper Front\t=HYPERLINK("http://evil.example/","x")\tGroup\t\tREB\t\t\t\n',
                      encoding="utf-8")
    text = tmp_path / "zorg.txt"
    text.write_text("The Zorg Militia attacked the Hyper Front near Kharkiv on Monday.", encoding="utf-8")
    out = tmp_path / "events.tsv"
    proc = subprocess.run([EXE, "extract", str(text), "--actors", str(actors), "--format", "table",
                           "-o", str(out)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines(), delimiter="\t"))
    assert rows and rows[0][1] == "'@ZorgMilitia" and rows[0][3] == "'=HYPERLINK(\"http://evil.example/\",\"x\")"
    for row in rows:
        assert all(not cell.startswith(FORMULA_FIRST) or is_number(cell) or cell == "-" for cell in row)


FORMULA_FIRST = ("=", "+", "-", "@", "\t", "\r")


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


# -- 11. Time limits and Ctrl-C ---------------------------------------------------------------
EXPENSIVE = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
             "?m ?n2 ?o . ?q ?r ?t }")  # a cartesian product: hours on any graph of this size


@pytest.mark.parametrize("target", ["file", "store"])
def test_query_timeout_stops_an_expensive_query(graph_file, store_dir, target):
    """Issue 15 item 11: --timeout ends a cartesian product (a subprocess: an Oxigraph
    evaluation cannot be stopped inside a process, only with it)."""
    path = graph_file if target == "file" else store_dir
    start = time.monotonic()
    proc = subprocess.run([EXE, "query", str(path), EXPENSIVE, "--timeout", "1"], capture_output=True,
                          text=True, timeout=60)
    assert time.monotonic() - start < 8
    assert proc.returncode == 1 and proc.stdout == "" and "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == [
        "Error: the query did not finish within 1 s and was stopped; add a LIMIT, make its "
        "patterns more specific, or allow more time (--timeout SECONDS, 0 for no limit)"]


def test_query_timeout_in_the_library_stops_the_rdflib_evaluation(graph_file):
    from kgbuild import QueryTimeoutError, load_graph, run_query

    before = set(threading.enumerate())
    with pytest.raises(QueryTimeoutError):
        run_query(load_graph(graph_file), EXPENSIVE, timeout=0.5)
    started = [t for t in threading.enumerate() if t not in before and t.name == "kgbuild-query"]
    for thread in started:
        thread.join(timeout=5)
    assert not any(t.is_alive() for t in started)


def test_query_default_timeout_is_documented():
    result = CliRunner().invoke(cli, ["query", "--help"])
    assert "--timeout SECONDS" in result.output and "[default: 60" in result.output


def wait_until_running(proc, store: bool) -> None:
    """Until the query is under way: the store is open (Oxigraph's RocksDB threads), or the
    query thread has started; then a little more."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            names = [Path(f"/proc/{proc.pid}/task/{t}/comm").read_text().strip()
                     for t in os.listdir(f"/proc/{proc.pid}/task")]
        except OSError:
            names = []
        if (store and any(n.startswith("rocksdb") for n in names)) or (not store and len(names) >= 2):
            time.sleep(0.7)
            return
        time.sleep(0.05)
    raise AssertionError("the query never started")


@pytest.mark.parametrize("target", ["store", "file"])
def test_ctrl_c_stops_a_query_with_exit_130(graph_file, store_dir, target):
    """Issue 15 item 11: SIGINT stops even an Oxigraph query (native code) at once: exit
    code 130, one line, no traceback."""
    path = store_dir if target == "store" else graph_file
    proc = subprocess.Popen([EXE, "query", str(path), EXPENSIVE, "--timeout", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_until_running(proc, target == "store")
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    finally:
        proc.kill()
    assert time.monotonic() - sent < 5
    assert proc.returncode == 130, err
    assert out == "" and err == "Error: interrupted\n"
