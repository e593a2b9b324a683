"""Security and hang regressions of issue 15, against real local HTTP servers (127.0.0.1).

Items: 1 SERVICE/UPDATE decided on the parsed query, 2 credentials validated and never
printed, 3 spreadsheet formulas neutralized, 6 redirects never drop a push, 11 deadlines
and Ctrl-C for queries and pushes.
"""
import csv
import io
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

EXE = shutil.which("kgbuild", path=os.path.dirname(sys.executable))
SECRET = "tok-SECRET"
EMPTY_RESULTS = b'{"head": {"vars": ["s"]}, "results": {"bindings": []}}'


#: No credentials from the developer's environment or ~/.netrc leak into these tests.
pytestmark = pytest.mark.usefixtures("no_credentials")


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
    from kgbuild.stores.oxigraph import GraphStore

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


@pytest.mark.parametrize("target, spelling", [("file", "lowercase"), ("store", "lowercase"),
                                              ("endpoint", "escaped")])
def test_service_is_fetched_only_with_allow_service(serve, graph_file, store_dir, target, spelling):
    """The control for the test above: the same servers do see the request when it is
    allowed (Oxigraph, which answers files and stores, reads \\u escapes only inside strings
    and IRIs, so they get the plain spelling; the escaped one is a syntax error there)."""
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
    from kgbuild.stores.oxigraph import GraphStore

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
    header, *rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines(), delimiter="\t"))
    assert header[1] == "actor" and header[3] == "target"
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


# -- 2. Credentials: validated before use, never printed --------------------------------
BAD_CREDENTIALS = {
    "token-newline": {"KGBUILD_ENDPOINT_TOKEN": SECRET + "\n"},
    "token-header-injection": {"KGBUILD_ENDPOINT_TOKEN": SECRET + "\r\nX-Admin: yes"},
    "token-space": {"KGBUILD_ENDPOINT_TOKEN": "Bearer " + SECRET},
    "token-control": {"KGBUILD_ENDPOINT_TOKEN": SECRET + "\x01"},
    "password-newline": {"KGBUILD_ENDPOINT_USER": "alice", "KGBUILD_ENDPOINT_PASSWORD": SECRET + "\n"},
    "password-escape": {"KGBUILD_ENDPOINT_USER": "alice", "KGBUILD_ENDPOINT_PASSWORD": SECRET + "\x1b[2J"},
    "user-colon": {"KGBUILD_ENDPOINT_USER": "alice:" + SECRET, "KGBUILD_ENDPOINT_PASSWORD": "x"},
}
ENDPOINT_COMMANDS = {
    "push-gsp": ["push", "GRAPH", "--endpoint", "URL/store"],
    "push-update": ["push", "GRAPH", "--endpoint", "URL/update", "--protocol", "update"],
    "query": ["query", "--endpoint", "URL/query", "SELECT * WHERE { ?s ?p ?o }"],
}


def endpoint_args(command: str, graph, url: str) -> list[str]:
    return [a.replace("GRAPH", str(graph)).replace("URL", url) for a in ENDPOINT_COMMANDS[command]]


@pytest.mark.parametrize("command", ENDPOINT_COMMANDS)
@pytest.mark.parametrize("case", BAD_CREDENTIALS, ids=list(BAD_CREDENTIALS))
def test_unusable_credentials_are_refused_before_any_request(serve, graph_file, monkeypatch, case,
                                                             command):
    """Issue 15 item 2: a token or password with a line break or control character (or a
    user name with ':') is a one-line error that names the variable, never its value; the
    server sees nothing."""
    server = serve()
    env = BAD_CREDENTIALS[case]
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    line = one_line_error(CliRunner().invoke(cli, endpoint_args(command, graph_file, server.url)))
    named = {"token": "KGBUILD_ENDPOINT_TOKEN", "password": "KGBUILD_ENDPOINT_PASSWORD",
             "user": "KGBUILD_ENDPOINT_USER"}[case.split("-")[0]]
    assert named in line
    assert SECRET not in line and "alice" not in line
    assert server.hits == []


def test_netrc_password_with_a_control_character_is_refused(serve, graph_file, no_credentials):
    server = serve()
    netrc = no_credentials / ".netrc"
    netrc.write_text(f"machine 127.0.0.1 login bob password {SECRET}\x07\n")
    netrc.chmod(0o600)
    line = one_line_error(CliRunner().invoke(cli, endpoint_args("query", graph_file, server.url)))
    assert "the password of the ~/.netrc entry for 127.0.0.1" in line and SECRET not in line
    assert server.hits == []


def test_issue_command_with_a_token_ending_in_a_newline(serve, graph_file):
    """The command of the issue through the installed CLI: one line, no traceback, no token."""
    server = serve()
    env = {**os.environ, "KGBUILD_ENDPOINT_TOKEN": SECRET + "\n"}
    proc = subprocess.run([EXE, "push", str(graph_file), "--endpoint", f"{server.url}/store"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        "Error: KGBUILD_ENDPOINT_TOKEN holds a line break, so it is no bearer token (letters, "
        "digits and -._~+/, then = padding); set it to the bare token"]
    assert SECRET not in proc.stdout + proc.stderr and server.hits == []


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/é", "http://127.0.0.1:9/a b", "http://127.0.0.1:9/a\nb",
                                 "http://127.0.0.1:99999/x", f"http://alice:{SECRET}@[::1/x",
                                 f"http://alice:{SECRET}@127.0.0.1:x/"])
@pytest.mark.parametrize("command", ENDPOINT_COMMANDS)
def test_urls_http_cannot_send_are_one_line_errors(graph_file, url, command):
    """Audit for item 2: no URL ends in a traceback, and a password in one is never shown."""
    args = [a.replace("URL/store", url).replace("URL/update", url).replace("URL/query", url)
            .replace("GRAPH", str(graph_file)) for a in ENDPOINT_COMMANDS[command]]
    line = one_line_error(CliRunner().invoke(cli, args))
    assert SECRET not in line


def echo_authorization(kind: str):
    """Server answers that repeat the Authorization header back, in various places."""

    def reply(hit):
        auth = hit["headers"].get("Authorization", "")
        secret = auth.split(" ", 1)[-1]
        if kind == "error-body":
            return 500, {"Content-Type": "text/plain"}, f"no: {auth} / {secret}".encode()
        if kind == "bad-answer":
            return 200, {"Content-Type": "text/turtle"}, f"<a> <b> {auth} {secret} .".encode()
        if kind == "bad-status-line":
            return f"HTTP/1.1 {secret} OK\r\n\r\n".encode()
        if kind == "redirect":
            return 302, {"Location": f"http://elsewhere.example/?t={secret}"}, b""
        raise AssertionError(kind)

    return reply


@pytest.mark.parametrize("auth", ["token", "basic"])
@pytest.mark.parametrize("kind", ["error-body", "bad-answer", "bad-status-line", "redirect"])
def test_no_message_repeats_a_credential_the_server_echoes(serve, monkeypatch, kind, auth):
    """Whatever a server sends back — error pages, unreadable answers, broken status lines,
    redirects — is redacted before it reaches a message."""
    import base64

    server = serve(echo_authorization(kind))
    if auth == "token":
        monkeypatch.setenv("KGBUILD_ENDPOINT_TOKEN", SECRET)
        secrets = [SECRET]
    else:
        monkeypatch.setenv("KGBUILD_ENDPOINT_USER", "alice")
        monkeypatch.setenv("KGBUILD_ENDPOINT_PASSWORD", SECRET)
        secrets = [SECRET, base64.b64encode(f"alice:{SECRET}".encode()).decode()]
    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    result = CliRunner().invoke(cli, ["query", "--endpoint", f"{server.url}/query", query])
    line = one_line_error(result)
    assert server.hits and all(s not in result.output for s in secrets), line


# -- 6. Redirects never make a push look done ---------------------------------------------
def redirecting(code: int, location: str):
    """Answers every request to /store or /update with a redirect; records and accepts the
    ones that arrive at /moved."""

    def reply(hit):
        if hit["path"].startswith("/moved"):
            return 204, {}, b""
        return code, {"Location": location}, b""

    return reply


@pytest.mark.parametrize("protocol", ["gsp", "update"])
@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_push_redirects_to_the_same_server(serve, graph_file, code, protocol):
    """Issue 15 item 6: 307/308 on the same server are followed with method and body (the
    data arrives, exit 0); 301/302/303 would turn the PUT/POST into a bodiless GET, so they
    are an error and nothing is called a success."""
    server = serve(redirecting(code, "/moved"))
    path = "/store" if protocol == "gsp" else "/update"
    args = ["push", str(graph_file), "--endpoint", server.url + path, "--protocol", protocol]
    result = CliRunner().invoke(cli, args)
    moved = [h for h in server.hits if h["path"].startswith("/moved")]
    if code in (307, 308):
        assert result.exit_code == 0, result.output
        first = [h for h in server.hits if h["path"].startswith(path)]
        assert len(moved) == len(first) > 0
        assert [(h["method"], h["body"]) for h in moved] == [(h["method"], h["body"]) for h in first]
        assert all(h["body"] for h in moved)
        assert f"HTTP {code} redirect to {server.url}/moved" in result.stderr
    else:
        line = one_line_error(result)
        assert f"HTTP {code} redirect to {server.url}/moved" in line
        assert "without its data; not followed, so nothing was sent there" in line
        assert moved == [] and "triples" not in result.output


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_push_never_follows_a_redirect_to_another_server(serve, graph_file, code):
    other = serve(lambda hit: (204, {}, b""))
    port = other.url.rsplit(":", 1)[1]
    server = serve(redirecting(code, f"http://localhost:{port}/store"))
    for protocol in ("gsp", "update"):
        args = ["push", str(graph_file), "--endpoint", f"{server.url}/x", "--protocol", protocol]
        line = one_line_error(CliRunner().invoke(cli, args))
        assert f"HTTP {code} redirect to another server (http://localhost:{port}/store)" in line
    assert other.hits == []


def test_remote_query_follows_a_307_on_the_same_server(serve):
    def reply(hit):
        if hit["path"] == "/query":
            return 307, {"Location": "/sparql"}, b""
        assert hit["method"] == "POST" and b"SELECT" in hit["body"]
        return sparql_json(hit)

    server = serve(reply)
    from kgbuild.remote import remote_query

    result = remote_query(f"{server.url}/query", "SELECT ?s WHERE { ?s ?p ?o }")
    assert result.kind == "SELECT" and result.rows == []
    assert [h["path"] for h in server.hits] == ["/query", "/sparql"]


# -- 11. Time limits and Ctrl-C ---------------------------------------------------------------
EXPENSIVE = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
             "?m ?n2 ?o . ?q ?r ?t }")  # a cartesian product: hours on any graph of this size


class Dripper:
    """A local TCP server that reads a request, then sends `answer` one byte per `every`
    seconds (up to `limit` seconds, then closes): no single read ever waits long."""

    def __init__(self, answer: bytes, every: float = 0.2, limit: float = 20.0):
        self.requests = 0
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.answer, self.every, self.limit = answer, every, limit
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        self.sock.settimeout(0.2)
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self.drip, args=(conn,), daemon=True).start()

    def drip(self, conn):
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            self.requests += 1
            end = time.monotonic() + self.limit
            for byte in self.answer:
                if self.stopping.is_set() or time.monotonic() > end:
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return
                time.sleep(self.every)

    def stop(self):
        self.stopping.set()
        self.thread.join(timeout=10)
        self.sock.close()


DRIPPED_RESULTS = (b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                   b"Content-Length: %d\r\n\r\n%s" % (len(EMPTY_RESULTS), EMPTY_RESULTS))
#: Headers at once, then a body without a length (ended by closing): a cut-off answer
#: must not pass for a whole one.
DRIPPED_BODY = (b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                b"Connection: close\r\n\r\n" + EMPTY_RESULTS)


@pytest.fixture
def dripper():
    started = []

    def start(answer: bytes = DRIPPED_RESULTS, **kwargs) -> Dripper:
        started.append(Dripper(answer, **kwargs))
        return started[-1]

    yield start
    for server in started:
        server.stop()


@pytest.mark.parametrize("answer", [DRIPPED_RESULTS, DRIPPED_BODY], ids=["status-line", "body"])
@pytest.mark.parametrize("command", ENDPOINT_COMMANDS)
def test_a_dripping_server_cannot_hold_push_or_endpoint_queries(dripper, graph_file, command, answer):
    """Issue 15 item 11: one byte every 0.2 s never trips a per-read timeout; the whole
    exchange still ends at --timeout."""
    server = dripper(answer)
    args = endpoint_args(command, graph_file, server.url) + ["--timeout", "1"]
    start = time.monotonic()
    line = one_line_error(CliRunner().invoke(cli, args))
    assert time.monotonic() - start < 6
    assert f"{server.url}/" in line and "no complete answer within 1 s (--timeout)" in line
    assert server.requests == 1


def test_push_deadline_bounds_the_whole_push(serve, tmp_path):
    """Each request answers in 0.3 s, well within --timeout, but ten of them overrun --deadline."""
    def slow(hit):
        time.sleep(0.3)
        return 204, {}, b""

    server = serve(slow)
    path = tmp_path / "ten.ttl"
    save_graph(build_graph([event(f"doc{i}") for i in range(10)]), path)
    start = time.monotonic()
    line = one_line_error(CliRunner().invoke(cli, ["push", str(path), "--endpoint", f"{server.url}/store",
                                                   "--deadline", "1"]))
    assert time.monotonic() - start < 2.5
    assert "not finished within 1 s (--deadline)" in line
    assert 2 <= len(server.hits) <= 5


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


# -- Issue 26 item 1: engines that disagree on where a string ends ----------------------
#: SERVICE inside what rdflib (escapes expanded first) reads as strings and Oxigraph, which
#: reads `\u0022` as a character of a string, as code: the store fetched the URL.
HIDDEN_SERVICE = {
    name: r'SELECT * WHERE { BIND("Q AS ?a) BIND(CONCAT(" AS ?b) SERVICE <URL> { ?s ?p ?o } '
          r'BIND((", Q") AS ?c) }'.replace("Q", escape)
    for name, escape in (("u0022", r"\u0022"), ("U00000022", r"\U00000022"),
                         ("u-with-8-digits", r"\u00000022"))}
HIDDEN_SERVICE["u0027"] = HIDDEN_SERVICE["u0022"].replace('"', "'").replace("u0022", "u0027")
HIDDEN_SERVICE["long-string"] = (
    r'SELECT * WHERE { BIND("""\u0022\u0022\u0022 AS ?a) BIND(CONCAT(""" AS ?b) SERVICE <URL> '
    r'{ ?s ?p ?o } BIND((""", \u0022\u0022\u0022""") AS ?c) }')


@pytest.fixture
def endpoint(graph_file):
    """`kgbuild serve` of the graph file (its temporary store) on a free port: its query URL."""
    from kgbuild.serve.server import make_server
    from kgbuild.stores import open_store

    with open_store(graph_file) as store:
        server = make_server(store, port=0, name=str(graph_file))
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield server.url + "query"
        server.shutdown()
        server.server_close()
        thread.join(10)


def ask_endpoint(url: str, query: str) -> tuple[int, bytes]:
    import urllib.error
    import urllib.parse
    import urllib.request

    try:
        with urllib.request.urlopen(url + "?" + urllib.parse.urlencode({"query": query}),
                                    timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


@pytest.mark.parametrize("target", ["file", "store", "endpoint", "serve"])
@pytest.mark.parametrize("spelling", HIDDEN_SERVICE, ids=list(HIDDEN_SERVICE))
def test_escaped_quote_cannot_hide_service(serve, graph_file, store_dir, endpoint, target,
                                           spelling):
    """Issue 26 item 1: an escaped quote, which rdflib and Oxigraph read differently, is
    refused with one line before anything runs or is fetched: by `query` on a graph file,
    a store and an endpoint, and by `serve`."""
    remote, server = serve(), serve()
    query = HIDDEN_SERVICE[spelling].replace("URL", f"{remote.url}/x")
    if target == "serve":
        status, body = ask_endpoint(endpoint, query)
        assert status == 400 and b"refused" in body and len(body.splitlines()) == 1
    else:
        args = {"file": ["query", str(graph_file), query], "store": ["query", str(store_dir), query],
                "endpoint": ["query", "--endpoint", f"{server.url}/query", query]}[target]
        line = one_line_error(CliRunner().invoke(cli, args))
        assert "as \\u" in line or "as \\U" in line, line
        assert "refused" in line and "write the character itself" in line
    assert remote.hits == [] and server.hits == []


@pytest.mark.parametrize("spelling", HIDDEN_SERVICE, ids=list(HIDDEN_SERVICE))
def test_service_keyword_scan_finds_hidden_service_without_rdflib(spelling):
    """The second check, on the text as Oxigraph reads it (escapes not expanded), finds
    every hidden SERVICE by itself; and it finds no SERVICE in strings, IRIs or comments."""
    from kgbuild.query.sparql import service_keyword

    assert service_keyword(HIDDEN_SERVICE[spelling].replace("URL", "http://127.0.0.1:9/x"))
    for text in ['SELECT * WHERE { ?s ?p "SERVICE <http://x/> { }" }',
                 "SELECT * WHERE { ?s <http://example.org/x#SERVICE> ?o }",
                 "SELECT ?service WHERE { ?service ?p 'customer service ?' } # SERVICE <x> {}",
                 'SELECT * WHERE { ?s ?p """a\nSERVICE <http://x/> { }\n""" }']:
        assert not service_keyword(text), text


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { ?s <http://x/#a> ?o SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?a FILTER(?a<'>') SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }",
    r"SELECT * WHERE { ?s ?p ex:a\# . SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }",
    'SELECT * WHERE { ?s ?p "x"SERVICE<http://127.0.0.1:9/x>{ ?s ?p ?o } }',
], ids=["hash-in-iri", "less-than-apostrophe", "escaped-hash-in-name", "no-space"])
def test_service_keyword_scan_reads_iris_names_and_operators(text):
    from kgbuild.query.sparql import service_keyword

    assert service_keyword(text)


@pytest.mark.parametrize("text, value", [
    (r'SELECT ?v WHERE { BIND("caf\u00e9" AS ?v) }', "café"),
    (r'SELECT ?v WHERE { BIND("\u0041\U00000042" AS ?v) }', "AB"),
    (r"SELECT ?v WHERE { BIND('\u4e2d' AS ?v) }", "中"),
])
def test_escapes_of_letters_still_work(graph_file, store_dir, text, value):
    for path in (graph_file, store_dir):
        result = CliRunner().invoke(cli, ["query", str(path), text, "--format", "csv"])
        assert result.exit_code == 0, result.output
        assert result.output.splitlines() == ["v", value]


@pytest.mark.parametrize("target", ["store", "serve"])
def test_lateral_marker_cannot_move_where_a_string_ends(serve, store_dir, endpoint, target):
    """Issue 26 item 1: the `{ #@lateral` marker dropped the rest of its line, quotes and
    all, after the check; so the store ran a SERVICE the check had read inside a string.
    Now both engines read the string that the check read, and nothing is fetched."""
    remote = serve()
    query = ("SELECT ?c WHERE { BIND(\"\"\"{ #@lateral \"\"\" AS ?a)\n"
             "BIND(''' \"\"\" AS ?b) SERVICE <URL> { ?s ?p ?o } BIND(''' AS ?c) # ''' AS ?d)\n}"
             ).replace("URL", f"{remote.url}/x")
    if target == "serve":
        status, body = ask_endpoint(endpoint, query)
        assert status == 200, body
        assert b"AS ?b) SERVICE <http" in body  # the string, as the check read it
    else:
        result = CliRunner().invoke(cli, ["query", str(store_dir), query, "--format", "csv"])
        assert result.exit_code == 0, result.output
        assert "AS ?b) SERVICE <http" in result.output
    assert remote.hits == []
