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
                status, headers, body = reply(hit)
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


def event(doc: str, actor: str = "Russia", target: str = "Ukraine", goldstein: float = -7.2) -> Event:
    return Event(doc=doc, sentence=Sentence(f"{actor} attacked {target}.", 0, 20),
                 actor=Entity(actor, actor, "Country", key=f"actor/{actor}", start=0, end=len(actor)),
                 action=Action("attacked", "attack", 7, 15),
                 target=Entity(target, target, "Country", key=f"actor/{target}"),
                 event_type=EventType("190", "Use conventional military force", "19",
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
