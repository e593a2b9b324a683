"""`kgbuild serve` (issue 14, item 4): a read-only SPARQL endpoint, started on a free port
by a fixture and asked by real clients (`kgbuild query --endpoint`, urllib)."""
import csv
import io
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from kgbuild.cli import cli
from kgbuild.query import run_query, saved_queries
from kgbuild.remote import remote_query
from kgbuild.serve.server import Limits, ServeError, make_server, negotiate, serve_graph
from kgbuild.stores import load_graph, open_store, save_graph

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CONSTRUCT = "CONSTRUCT { ?e kg:action ?a } WHERE { ?e a kg:Event ; kg:action ?a }"


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory, sample_graph):
    path = tmp_path_factory.mktemp("serve") / "graph.ttl"
    save_graph(sample_graph, path)
    return path


@pytest.fixture(scope="module")
def server(graph_file):
    """The endpoint over the sample graph on a free port of 127.0.0.1, stopped at the end."""
    with open_store(graph_file) as store:
        srv = make_server(store, port=0, name=str(graph_file))
        thread = threading.Thread(target=srv.serve_forever, daemon=True)
        thread.start()
        yield srv
        srv.shutdown()
        srv.server_close()
        thread.join(10)
    assert store.store is None  # the file's store, in memory, is dropped (nothing on disk)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", srv.server_port), timeout=2)


def _request(url, data=None, headers=None, method=None):
    """(status, content type, body) of one request; HTTP errors are answers too."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get_content_type(), err.read()


def _query_url(server, text, **params):
    return server.url + "query?" + urllib.parse.urlencode({"query": text, **params})


def _rows(result):
    return sorted([("" if v is None else "=" + str(v)) for v in row] for row in result.rows)


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_saved_query_over_the_endpoint_gives_the_local_rows(server, graph_file, name,
                                                            no_credentials):
    bindings = {"timeline": {"actor": "RUS"}, "events-in-country": {"country": "RUS"}}.get(name)
    remote = remote_query(server.url + "query", name, bindings=bindings, limit=None)
    local = run_query(load_graph(graph_file), name, bindings=bindings, limit=None)
    assert remote.variables == local.variables
    assert _rows(remote) == _rows(local)
    assert remote.rows or name in ("at-place", "events-near")  # the sample has these answers


def test_kgbuild_query_endpoint_matches_a_local_query(server, graph_file, no_credentials):
    runner = CliRunner()
    args = ["who-did-what", "--format", "csv", "--limit", "0"]
    remote = runner.invoke(cli, ["query", "--endpoint", server.url + "query", *args])
    local = runner.invoke(cli, ["query", str(graph_file), *args])
    assert remote.exit_code == 0 and local.exit_code == 0, remote.output + local.output
    assert len(remote.stdout.splitlines()) > 10
    assert sorted(remote.stdout.splitlines()) == sorted(local.stdout.splitlines())


@pytest.mark.parametrize("how", ["update-body", "update-as-query", "update-form", "update-get",
                                 "update-path", "put"])
def test_updates_are_refused(server, how):
    insert = "INSERT DATA { <http://x.org/a> <http://x.org/b> <http://x.org/c> }"
    form = urllib.parse.urlencode({"update": insert}).encode()
    status, kind, body = {
        "update-body": lambda: _request(server.url + "query", insert.encode(),
                                        {"Content-Type": "application/sparql-update"}),
        "update-as-query": lambda: _request(server.url + "query", insert.encode(),
                                            {"Content-Type": "application/sparql-query"}),
        "update-form": lambda: _request(server.url + "query", form,
                                        {"Content-Type": "application/x-www-form-urlencoded"}),
        "update-get": lambda: _request(_query_url(server, "DELETE WHERE { ?s ?p ?o }")),
        "update-path": lambda: _request(server.url + "update", form,
                                        {"Content-Type": "application/x-www-form-urlencoded"}),
        "put": lambda: _request(server.url + "query", b"<a:b> <a:c> <a:d> .",
                                {"Content-Type": "application/n-triples"}, method="PUT"),
    }[how]()
    assert status == 403 and kind == "text/plain"
    assert b"read-only" in body
    count = json.loads(_request(_query_url(server, COUNT))[2])
    assert int(count["results"]["bindings"][0]["n"]["value"]) == server.triples


def test_service_clause_is_refused(server):
    text = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    status, _, body = _request(_query_url(server, text))
    assert status == 403 and b"SERVICE" in body


@pytest.mark.parametrize("accept, kind", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
    ("*/*", "application/sparql-results+json"),
])
def test_select_answers_in_the_negotiated_format(server, accept, kind):
    status, got, body = _request(_query_url(server, COUNT), headers={"Accept": accept})
    assert status == 200 and got == kind
    text = body.decode("utf-8")
    n = str(server.triples)
    if "json" in kind:
        assert json.loads(text)["results"]["bindings"][0]["n"]["value"] == n
    elif "xml" in kind:
        ns = "{http://www.w3.org/2005/sparql-results#}"
        assert ElementTree.fromstring(text).find(f".//{ns}literal").text == n
    elif kind == "text/html":
        assert f"<td>{n}</td>" in text
    else:
        rows = list(csv.reader(io.StringIO(text), delimiter="," if kind == "text/csv" else "\t"))
        assert rows[0][0].lstrip("?") == "n" and rows[1][0].split("^^")[0].strip('"') == n


@pytest.mark.parametrize("accept, fmt", [("text/turtle", "turtle"),
                                         ("application/n-triples", "nt")])
def test_construct_answers_turtle_and_ntriples(server, graph_file, accept, fmt):
    status, kind, body = _request(_query_url(server, CONSTRUCT), headers={"Accept": accept})
    assert status == 200 and kind == accept
    answer = Graph().parse(data=body.decode("utf-8"), format=fmt)
    assert len(answer) > 10
    assert isomorphic(answer, run_query(load_graph(graph_file), CONSTRUCT).graph)


def test_post_forms_and_errors(server):
    form = urllib.parse.urlencode({"query": COUNT, "format": "csv"}).encode()
    status, kind, body = _request(server.url + "query", form,
                                  {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and kind == "text/csv" and str(server.triples).encode() in body
    status, _, body = _request(_query_url(server, "SELECT ?x WHERE {"))
    assert status == 400 and b"syntax error" in body
    assert _request(_query_url(server, COUNT), headers={"Accept": "image/png"})[0] == 406
    big = b"#" * (server.limits.max_body + 1)
    assert _request(server.url + "query", big, {"Content-Type": "application/sparql-query"})[0] == 413
    status, _, body = _request(server.url, headers={"Host": "attacker.example"})
    assert status == 403 and b"not this server" in body  # DNS rebinding


def test_landing_page_links_a_form_with_the_saved_queries(server):
    status, kind, page = _request(server.url)
    assert status == 200 and kind == "text/html"
    page = page.decode("utf-8")
    assert all(f'href="/form?saved={name}"' in page for name in saved_queries())
    status, _, form = _request(server.url + "form?saved=dyads")
    form = form.decode("utf-8")
    assert status == 200 and 'action="/query"' in form
    assert "GROUP BY ?source ?other" in form  # the saved text, filled in (escaped)
    for html in (page, form):  # offline: nothing loaded from elsewhere
        assert "<script" not in html and "src=" not in html and 'href="http' not in html
    assert _request(server.url + "form?saved=nope")[0] == 404


def test_negotiate_prefers_the_most_specific_range():
    assert negotiate("SELECT", "text/*;q=0.5, text/csv;q=0.1") == "text/tab-separated-values"
    assert negotiate("SELECT", "application/sparql-results+xml, */*;q=0.1").endswith("xml")
    assert negotiate("CONSTRUCT", None) == "text/turtle"
    assert negotiate("CONSTRUCT", "application/sparql-results+json") is None
    assert negotiate("SELECT", None, "turtle") is None


def test_slow_query_gets_503(graph_file):
    with open_store(graph_file) as store:
        srv = make_server(store, port=0, limits=Limits(timeout=0.05))
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        try:
            slow = "SELECT ?a ?b WHERE { ?a ?p ?x . ?b ?q ?y } LIMIT 5000000"
            status, _, body = _request(_query_url(srv, slow, format="csv"))
        finally:
            srv.shutdown()
            srv.server_close()
    assert status == 503 and b"did not finish within" in body


def test_busy_port_is_a_one_line_error(graph_file):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ServeError, match="the port is in use"):
            make_server(port=port)
        result = CliRunner().invoke(cli, ["serve", str(graph_file), "--port", str(port)])
    assert result.exit_code == 1
    assert result.output.strip() == (f"Error: 127.0.0.1:{port}: the port is in use (another "
                                     "server?); stop it or choose another port with --port")


def test_other_interface_warns_and_cleans_up(graph_file, caplog):
    seen = {}

    def ready(srv):
        seen["store"] = srv.store
        seen["status"] = threading.Thread(target=srv.shutdown)
        seen["status"].start()

    with caplog.at_level(logging.WARNING, logger="kgbuild"):
        serve_graph(graph_file, host="127.0.0.2", port=0, ready=ready)
    assert "every machine that can reach this one" in caplog.text
    assert seen["store"].path == graph_file and seen["store"].store is None  # dropped


def test_installed_kgbuild_serve_answers_then_stops_on_ctrl_c(graph_file):
    exe = shutil.which("kgbuild", path=os.path.dirname(sys.executable))
    proc = subprocess.Popen([exe, "serve", str(graph_file), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        assert "serving" in line, line
        url = line.split(" at ", 1)[1].split(";", 1)[0]
        status, kind, body = _request(url + "query?" + urllib.parse.urlencode({"query": COUNT}))
        assert status == 200 and kind == "application/sparql-results+json"
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "stopped" in err


def test_a_store_folder_is_served_as_it_is(graph_file, tmp_path):
    store_path = tmp_path / "kg.store"
    result = CliRunner().invoke(cli, ["build", "--from-events", "-", "--store", str(store_path)],
                                input="")
    assert result.exit_code == 1 and "<stdin>: the file has no records" in result.output
    assert not store_path.exists()  # checked before the store is made
    from pyoxigraph import NamedNode

    from kgbuild.stores import dyads, timeline
    from kgbuild.stores.oxigraph import GraphStore

    with GraphStore(store_path) as writer:
        writer.add(load_graph(graph_file))
        writer.finalize()
        # the store's own named graphs of precomputed `dyads` rows and timeline entries are served too
        index = sum(len(list(writer.store.quads_for_pattern(None, None, None, NamedNode(graph))))
                    for graph in (dyads.INDEX, timeline.INDEX))
        assert index > 0
    with open_store(store_path) as store:
        srv = make_server(store, port=0)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        try:
            status, _, body = _request(_query_url(srv, COUNT, format="csv"))
        finally:
            srv.shutdown()
            srv.server_close()
    assert status == 200 and body.decode().splitlines()[1] == str(len(load_graph(graph_file)) + index)
    assert store_path.is_dir()  # a store is never removed
