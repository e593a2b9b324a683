"""`kgbuild serve` under hostile or heavy use (issue 26, items 2, 3, 11-14, 16): who may ask
(Host names, other origins, in headless Chromium too), and what one client may take (time
to check, bytes of answer, connections, threads). Real servers on 127.0.0.x, real clients."""
import functools
import http.server
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from click.testing import CliRunner
from test_viz import CHROMIUM_FLAGS

from kgbuild import Action, Entity, Event, EventType, Sentence, build_graph, load_graph, save_graph
from kgbuild.cli import cli
from kgbuild.query import check_query, run_query, saved_queries
from kgbuild.serve.limits import Limits
from kgbuild.serve.server import make_server
from kgbuild.stores import open_store

EXE = shutil.which("kgbuild", path=os.path.dirname(sys.executable))
CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"
FORM = "application/x-www-form-urlencoded"


def event(doc: str, actor: str, target: str) -> Event:
    return Event(doc=doc, sentence=Sentence(f"{actor} attacked {target}.", 0, 20),
                 actor=Entity(actor, actor, "Country", key=f"actor/{actor}", start=0, end=len(actor)),
                 action=Action("attacked", "attack", 7, 15),
                 target=Entity(target, target, "Country", key=f"actor/{target}"),
                 event_type=EventType("190", "Use conventional military force", "19",
                                      goldstein=-10.0, quad_class=4),
                 explanation="hand-built", doc_date="2024-05-01")


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory):
    """A small kgbuild graph (three documents, no spaCy) as Turtle."""
    path = tmp_path_factory.mktemp("limits") / "g.ttl"
    save_graph(build_graph([event("d1", "Russia", "Ukraine"), event("d2", "Nato", "Poland"),
                            event("d3", "Iran", "Israel")]), path)
    return path


@pytest.fixture
def endpoint(graph_file):
    """`endpoint(host=..., allow_hosts=..., **limits)`: a server over the graph on a free
    port, serving in a thread; all stopped at the end."""
    started = []
    store_context = open_store(graph_file)
    store = store_context.__enter__()

    def start(host="127.0.0.1", allow_hosts=(), **limits):
        server = make_server(store, host=host, port=0, name=str(graph_file),
                             limits=Limits(**limits), allow_hosts=allow_hosts)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.shutdown()
        server.server_close()
    store_context.__exit__(None, None, None)


def ask(url, data=None, headers=None, method=None, timeout=30):
    """(status, body) of one request; HTTP errors are answers too."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def query_url(server, text, **params):
    return server.url + "query?" + urllib.parse.urlencode({"query": text, **params})


def count(server, text=CARTESIAN.replace("*", "(COUNT(*) AS ?n)")) -> int:
    status, body = ask(query_url(server, text))
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


class Executed:
    """The store of a server, recording the text of every query it runs."""

    def __init__(self, store):
        self.store, self.texts = store, []

    def query(self, text, *args, **kwargs):
        self.texts.append(text)
        return self.store.query(text, *args, **kwargs)

    def __len__(self):
        return len(self.store)


# -- item 2: requests from pages of other origins --------------------------------------
ASK = "ASK { FILTER(true) }"


@pytest.mark.parametrize("method, headers", [
    ("POST-form", {"Origin": "http://evil.example"}),
    ("POST-form", {"Origin": "null"}),
    ("POST-form", {"Origin": "http://127.0.0.1:1", "Sec-Fetch-Site": "same-site"}),
    ("POST-query", {"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"}),
    ("GET", {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"}),
    ("GET", {"Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "navigate"}),
    ("GET", {"Origin": "http://evil.example", "Sec-Fetch-Mode": "cors"}),
], ids=["form-other-origin", "form-null-origin", "form-other-port", "sparql-post-cross-site",
        "no-cors-get", "navigation-to-query", "cors-get"])
def test_requests_from_other_origins_are_refused(endpoint, method, headers):
    """Issue 26 item 2: what a page elsewhere can send without a CORS preflight (a form
    post, a no-cors fetch, a link) gets 403 before the query is checked or run."""
    server = endpoint()
    server.store = Executed(server.store)
    if method == "GET":
        status, body = ask(query_url(server, ASK), headers=headers)
    else:
        kind, data = ((FORM, urllib.parse.urlencode({"query": ASK}).encode()) if method == "POST-form"
                      else ("application/sparql-query", ASK.encode()))
        status, body = ask(server.url + "query", data, {"Content-Type": kind, **headers})
    assert status == 403 and b"cross-origin request refused" in body, body
    assert len(body.splitlines()) == 1
    assert server.store.texts == []


def test_requests_from_this_origin_and_other_clients_are_answered(endpoint):
    """The control: the form's own post, a typed URL, a link from elsewhere to the landing
    page, and clients that are not browsers (no Origin, no Sec-Fetch-*)."""
    server = endpoint()
    origin = server.url.rstrip("/")
    form = urllib.parse.urlencode({"query": ASK}).encode()
    assert ask(server.url + "query", form, {"Content-Type": FORM, "Origin": origin,
                                            "Sec-Fetch-Site": "same-origin"})[0] == 200
    assert ask(query_url(server, ASK), headers={"Sec-Fetch-Site": "none"})[0] == 200
    assert ask(server.url, headers={"Sec-Fetch-Site": "cross-site",
                                    "Sec-Fetch-Mode": "navigate"})[0] == 200
    assert ask(server.url + "form?saved=dyads", headers={"Sec-Fetch-Site": "cross-site"})[0] == 200
    assert ask(query_url(server, ASK))[0] == 200


ATTACK = """<!DOCTYPE html><html><body>
<iframe name="sink"></iframe>
<form id="f" method="post" action="ENDPOINT" target="sink">
<input type="hidden" name="query" value="ASK { FILTER('probe-form' != '') }"></form>
<script>
document.getElementById("f").submit();
fetch("ENDPOINT", {method: "POST", mode: "no-cors",
  headers: {"Content-Type": "application/x-www-form-urlencoded"},
  body: "query=" + encodeURIComponent("ASK { FILTER('probe-post' != '') }")});
fetch("ENDPOINT?query=" + encodeURIComponent("ASK { FILTER('probe-get' != '') }"), {mode: "no-cors"});
</script></body></html>"""


def test_chromium_page_of_another_origin_cannot_run_queries(endpoint, chromium, tmp_path):
    """Issue 26 item 2, in a real browser: a page on another port of 127.0.0.1 (same site,
    another origin) auto-submits a form and sends no-cors fetches (POST and GET) to the
    endpoint; the server receives all three and runs none. The control, the same browser
    opening a query URL directly, is run."""
    server = endpoint()
    server.store = Executed(server.store)
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "attack.html").write_text(ATTACK.replace("ENDPOINT", server.url + "query"))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    seen = []

    class Seen(logging.Handler):
        def emit(self, record):
            seen.append(record.getMessage())

    logger, hook = logging.getLogger("kgbuild"), Seen()
    level = logger.level
    logger.addHandler(hook)
    logger.setLevel(logging.INFO)
    try:
        for page in (f"http://127.0.0.1:{site.server_address[1]}/attack.html",
                     query_url(server, "ASK { FILTER('probe-typed' != '') }", format="html")):
            subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
                            "--virtual-time-budget=5000", "--dump-dom", page],
                           capture_output=True, text=True, timeout=180, check=True)
    finally:
        logger.removeHandler(hook)
        logger.setLevel(level)
        site.shutdown()
        site.server_close()
    refused = [line for line in seen if '/query' in line and '" 403 ' in line]
    assert len(refused) == 3, seen
    assert [t for t in server.store.texts if "probe" in t] == [
        "ASK { FILTER('probe-typed' != '') }"]


# -- item 3: the Host check on every bind address ---------------------------------------
def test_host_check_holds_on_any_bind_address(endpoint):
    """Issue 26 item 3: on 127.0.0.2 (Linux routes all of 127/8 to the loopback), a Host
    that is not the bound address, a loopback name or an --allow-host name gets 403."""
    server = endpoint(host="127.0.0.2", allow_hosts=("kg.example", "KG2.Example."))
    port = server.server_port
    assert server.url == f"http://127.0.0.2:{port}/"
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.3", "kg.example.evil.example", ""):
        status, body = ask(server.url, headers={"Host": host})
        assert status == 403 and b"is not this server" in body and b"--allow-host" in body, host
    for host in (f"127.0.0.2:{port}", "localhost", f"[::1]:{port}", "kg.example", "KG.EXAMPLE:80",
                 "kg2.example"):
        assert ask(server.url, headers={"Host": host})[0] == 200, host


def test_installed_kgbuild_serve_takes_allow_host(graph_file):
    proc = subprocess.Popen([EXE, "serve", str(graph_file), "--host", "127.0.0.2", "--port", "0",
                             "--allow-host", "kg.example"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = [proc.stderr.readline() for _ in range(2)]
        assert "--allow-host" in lines[0] and "serving" in lines[1], lines
        url = lines[1].split(" at ", 1)[1].split(";", 1)[0]
        assert ask(url, headers={"Host": "kg.example"})[0] == 200
        assert ask(url, headers={"Host": "evil.example"})[0] == 403
    finally:
        proc.terminate()
        proc.communicate(timeout=30)


# -- item 11: answers bounded ------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_cartesian_answer_stops_at_the_cap(endpoint, fmt):
    """Issue 26 item 11: an answer over `max_answer` bytes is stopped there with one line
    (507), and the server answers the next query."""
    server = endpoint(max_answer=20_000)
    assert count(server) > 500  # the cartesian product has many rows; its count is small
    status, body = ask(query_url(server, CARTESIAN, format=fmt))
    assert status == 507 and len(body.splitlines()) == 1
    assert b"larger than 20,000 bytes and was stopped" in body and b"--max-answer" in body
    status, body = ask(query_url(server, CARTESIAN + " LIMIT 3", format=fmt))
    assert status == 200 and len(body) < 20_000


def test_cartesian_construct_stops_at_the_cap(endpoint):
    server = endpoint(max_answer=20_000)
    text = "CONSTRUCT { ?a ?b ?f } WHERE { ?a ?b ?c . ?d ?e ?f }"
    status, body = ask(query_url(server, text), headers={"Accept": "application/n-triples"})
    assert status == 507 and b"was stopped" in body


def test_html_table_of_a_cartesian_answer_is_marked_as_cut(endpoint):
    """In a browser, the rows that fit are shown, and the page says the answer was cut."""
    server = endpoint(max_answer=20_000)
    status, body = ask(query_url(server, CARTESIAN, format="html"))
    page = body.decode("utf-8")
    assert status == 200 and "<strong>Cut:</strong> the first" in page
    shown = page.count("<tr>") - 1
    assert 10 < shown < count(server)
    assert f"the first {shown:,} rows only" in page
    assert "Cut:" not in ask(query_url(server, CARTESIAN + " LIMIT 3", format="html"))[1].decode()


# -- item 12: the check bounded ----------------------------------------------------------
def long_sum(terms: int) -> str:
    return "SELECT ?x WHERE { BIND(" + " + ".join(["1"] * terms) + " AS ?x) }"


def test_long_expression_check_is_stopped_by_the_timeout(endpoint):
    """Issue 26 item 12: the check of a 48 kB `1 + 1 + ...` (seconds of rdflib parsing) is
    stopped at --timeout with a one-line 503, and the next query is checked at once."""
    server = endpoint(timeout=1)
    text = long_sum(12_000)
    assert 47_000 < len(text) < 49_000
    status, body = ask(server.url + "query", text.encode(), {"Content-Type": "application/sparql-query"})
    assert status == 503 and len(body.splitlines()) == 1, body
    assert body.startswith(b"checking the query took longer than 1 s and was stopped")
    assert count(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(?s != <urn:x:12>) }") > 0


def test_query_text_over_max_query_is_refused_before_the_check(endpoint):
    server = endpoint()
    text = long_sum(30_000)  # about 120,000 characters, over the default 100,000
    form = urllib.parse.urlencode({"query": text}).encode()
    status, body = ask(server.url + "query", form, {"Content-Type": FORM})
    assert status == 413 and len(body.splitlines()) == 1
    assert f"the query has {len(text):,} characters; this endpoint checks at most 100,000".encode() in body


def test_check_query_timeout_in_the_library():
    from kgbuild import QueryTimeoutError

    with pytest.raises(QueryTimeoutError, match="checking the query took longer than 0.5 s"):
        check_query(long_sum(12_001), timeout=0.5)
    assert check_query("SELECT ?y WHERE { BIND(2 AS ?y) }", timeout=5).algebra.name == "SelectQuery"


def test_query_command_check_is_bounded_by_its_timeout(tmp_path, one_event_graph):
    """`kgbuild query FILE --timeout` bounds the check as serve does (issue 26 item 12)."""
    from click.testing import CliRunner

    from kgbuild.cli import cli

    path = tmp_path / "g.ttl"
    one_event_graph.serialize(path, format="turtle")
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["query", str(path), long_sum(12_003), "--timeout", "0.5"])
    assert result.exit_code != 0 and "longer than 0.5 s" in result.output
    assert time.monotonic() - started < 30 and "Traceback" not in result.output


# -- item 13: connections bounded --------------------------------------------------------
def read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def test_half_sent_request_is_answered_408_and_closed(endpoint):
    """Issue 26 item 13: a request whose headers never end is closed at the request timeout."""
    server = endpoint(request_timeout=1)
    with socket.create_connection(("127.0.0.1", server.server_port), timeout=20) as sock:
        sock.sendall(b"GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n")
        answer = read_all(sock)
    assert answer.startswith(b"HTTP/1.0 408 ") and b"did not arrive within 1 s" in answer


def test_dripped_request_is_closed_at_the_request_timeout(endpoint):
    """A client sending a byte every 0.2 s (each read is quick) is cut off at the request's
    deadline, not after the whole request: the deadline is for the request, not a read."""
    server = endpoint(request_timeout=1)
    request = b"POST /query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 40\r\n\r\n" + b"q" * 40
    sent = 0
    with socket.create_connection(("127.0.0.1", server.server_port), timeout=20) as sock:
        try:
            for byte in request:
                sock.sendall(bytes([byte]))
                sent += 1
                time.sleep(0.2)
        except OSError:
            pass  # the server closed it
    assert sent < len(request) // 2, "the server waited for the whole drip"


def test_connections_over_the_cap_get_503_and_threads_stay_bounded(endpoint):
    """Idle connections hold one thread each until the request timeout; more than
    `max_connections` at once get 503 without a thread; once they are closed the
    server answers again."""
    server = endpoint(request_timeout=2, max_connections=3)
    before = threading.active_count()
    idle = [socket.create_connection(("127.0.0.1", server.server_port), timeout=20) for _ in range(3)]
    try:
        time.sleep(0.3)
        extra = [socket.create_connection(("127.0.0.1", server.server_port), timeout=20)
                 for _ in range(5)]
        for sock in extra:
            assert read_all(sock).startswith(b"HTTP/1.0 503 "), "over the cap"
            sock.close()
        assert threading.active_count() - before <= 3
        for sock in idle:
            assert read_all(sock) == b""  # closed at the request timeout, nothing sent
    finally:
        for sock in idle:
            sock.close()
    assert ask(query_url(server, ASK))[0] == 200


# -- item 14: concurrent checks ----------------------------------------------------------
def test_sixteen_concurrent_distinct_queries_all_answer(graph_file):
    """Issue 26 item 14: rdflib's grammar was not thread-safe; two checks at once broke it
    for good. A fresh `kgbuild serve` (no parse done before) gets 16 distinct queries at
    once; each answers its own value, and a saved query still works afterwards."""
    proc = subprocess.Popen([EXE, "serve", str(graph_file), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        url = line.split(" at ", 1)[1].split(";", 1)[0] + "query"
        barrier, answers = threading.Barrier(16), {}

        def one(i):
            text = (f"SELECT ?v WHERE {{ ?e a kg:Event . BIND(({i} * 7 + 3) AS ?v) "
                    f"FILTER(?v > -{i} && STRLEN(STR(?e)) > {i % 3} || REGEX(STR(?e), 'x{i}')) }} LIMIT 1")
            barrier.wait()
            answers[i] = ask(url + "?" + urllib.parse.urlencode({"query": text}))

        threads = [threading.Thread(target=one, args=(i,)) for i in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        for i in range(16):
            status, body = answers[i]
            assert status == 200, (i, body)
            assert json.loads(body)["results"]["bindings"][0]["v"]["value"] == str(i * 7 + 3)
        saved = saved_queries()["who-did-what"] + "\n# asked after the 16\n"
        status, body = ask(url + "?" + urllib.parse.urlencode({"query": saved}))
        assert status == 200, body
        rows = json.loads(body)["results"]["bindings"]
        assert len(rows) == len(run_query(load_graph(graph_file), "who-did-what", limit=None).rows) > 0
    finally:
        proc.terminate()
        proc.communicate(timeout=30)


# -- item 16: long basic graph patterns --------------------------------------------------
BGP_150 = ("SELECT (COUNT(*) AS ?n) WHERE { ?e a kg:Event . "
           + " . ".join(f"?e kg:action ?a{i}" for i in range(149)) + " . }")


def test_basic_graph_pattern_of_150_triples_is_answered(endpoint, graph_file):
    """Issue 26 item 16: 150 `.`-separated triple patterns (rdflib's grammar recursed per
    pattern and ran out of stack at about 100) are checked, served and queried."""
    assert BGP_150.count(" . ") == 150
    server = endpoint()
    assert count(server, BGP_150) == 3  # one row per event: each has one action
    result = CliRunner().invoke(cli, ["query", str(graph_file), BGP_150, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["n", "3"]
