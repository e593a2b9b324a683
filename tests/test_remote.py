"""Pushing to and querying a real Oxigraph server; errors and credentials over HTTP."""
import base64
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner
from rdflib import RDF, Literal
from rdflib.compare import isomorphic

from kgbuild import QueryError, run_query, save_graph
from kgbuild.cli import cli
from kgbuild.graph.namespace import KG
from kgbuild.remote import EndpointConnectionError, EndpointHTTPError, push, remote_query

SECRET = "s3cret-Pa55"
UNION = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


#: No credentials from the developer's environment or ~/.netrc leak into these tests.
pytestmark = pytest.mark.usefixtures("no_credentials")


@pytest.fixture
def oxigraph(tmp_path):
    """A real Oxigraph server (the `oxigraph` PyPI package) on a free port; its base URL."""
    exe = shutil.which("oxigraph", path=os.path.dirname(sys.executable)) or shutil.which("oxigraph")
    if exe is None:
        pytest.fail("the oxigraph server is not installed: pip install -r requirements/test.txt")
    port = free_port()
    proc = subprocess.Popen([exe, "serve", "--location", str(tmp_path / "oxigraph"),
                             "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=2):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"oxigraph serve did not start (exit code {proc.poll()})")
            time.sleep(0.1)
    yield base
    proc.terminate()
    proc.wait(timeout=30)


def count(endpoint: str, query: str = UNION) -> int:
    return int(remote_query(endpoint, query).rows[0][0])


def everything(base: str):
    """The union of all graphs on the server, as one rdflib graph."""
    return remote_query(f"{base}/query?union-default-graph", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").graph


def documents(graph) -> int:
    return sum(1 for _ in graph.subjects(RDF.type, KG.Document))


@pytest.mark.parametrize("protocol", ["gsp", "update"])
def test_push_and_remote_select_count_events_like_the_local_graph(oxigraph, sample_graph, protocol):
    url = f"{oxigraph}/store" if protocol == "gsp" else f"{oxigraph}/update"
    summary = push(sample_graph, url, protocol=protocol, chunk_size=300)
    assert summary.triples == len(sample_graph) and summary.graphs == documents(sample_graph)
    assert summary.requests > (summary.graphs if protocol == "gsp" else 3)
    events = "SELECT (COUNT(?e) AS ?n) WHERE { ?e a kg:Event }"
    local = int(run_query(sample_graph, events).rows[0][0])
    assert local > 20
    assert count(f"{oxigraph}/query", events) == local  # events sit in the default graph
    graphs = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert count(f"{oxigraph}/query", graphs) == documents(sample_graph)
    assert count(f"{oxigraph}/query?union-default-graph") == len(sample_graph)
    assert isomorphic(everything(oxigraph), sample_graph)


@pytest.mark.parametrize("protocol", ["gsp", "update"])
def test_pushing_again_replaces_documents_without_duplicates(oxigraph, sample_graph, protocol):
    url = f"{oxigraph}/store" if protocol == "gsp" else f"{oxigraph}/update"
    stale = sample_graph.__class__()
    for triple in sample_graph:
        stale.add(triple)
    mention = next(stale.subjects(RDF.type, KG.Mention))
    stale.add((mention, KG.rule, Literal("stale rule")))
    event = next(stale.subjects(KG.mention, mention))
    stale.set((event, KG.mentionCount, Literal(99)))
    push(stale, url, protocol=protocol)
    push(sample_graph, url, protocol=protocol)
    push(sample_graph, url, protocol=protocol)
    assert count(f"{oxigraph}/query?union-default-graph") == len(sample_graph) + (protocol == "gsp")
    assert count(f"{oxigraph}/query?union-default-graph",
                 'SELECT (COUNT(*) AS ?n) WHERE { ?m kg:rule "stale rule" }') == 0
    if protocol == "update":  # the default graph's aggregates are replaced too
        assert isomorphic(everything(oxigraph), sample_graph)


def test_remote_query_with_bindings_matches_local_and_stays_safe(oxigraph, sample_graph):
    push(sample_graph, f"{oxigraph}/store")
    endpoint = f"{oxigraph}/query?union-default-graph"
    local = run_query(sample_graph, "timeline", bindings={"actor": "RUS"})
    remote = remote_query(endpoint, "timeline", bindings={"actor": "RUS"})
    assert remote.variables == local.variables and len(remote.rows) == len(local.rows) > 0
    assert sorted(list(map(str, r)) for r in remote.rows) == sorted(list(map(str, r)) for r in local.rows)
    sneaky = remote_query(endpoint, "timeline", bindings={"actor": 'RUS" } } ; DROP ALL ; #'})
    assert sneaky.rows == []
    assert count(endpoint) == len(sample_graph)
    ask = remote_query(endpoint, "ASK { ?e kg:actor ?a . ?a kg:countryCode ?c }", bindings={"c": "RUS"})
    assert ask.kind == "ASK" and ask.boolean is True


def test_remote_query_refuses_updates_and_service_before_sending():
    closed = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(QueryError, match="read-only"):
        remote_query(closed, "DROP ALL")
    with pytest.raises(QueryError, match="SERVICE"):
        remote_query(closed, "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }")
    with pytest.raises(QueryError, match="syntax error at line 1"):
        remote_query(closed, "SELECT ?x WHERE { ?x ?y")


def test_cli_push_file_and_store_then_query_endpoint(oxigraph, sample_graph, tmp_path):
    from kgbuild.stores.oxigraph import GraphStore

    runner = CliRunner()
    ttl = tmp_path / "g.ttl"
    save_graph(sample_graph, ttl)
    result = runner.invoke(cli, ["push", str(ttl), "--endpoint", f"{oxigraph}/store"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and "document graphs" in result.stderr
    with GraphStore(tmp_path / "kg.store") as store:
        store.add(sample_graph)
        store.finalize()
    result = runner.invoke(cli, ["push", str(tmp_path / "kg.store"), "--endpoint",
                                 f"{oxigraph}/update", "--protocol", "update"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["query", "--endpoint", f"{oxigraph}/query?union-default-graph",
                                 UNION, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"n\n{len(sample_graph)}\n"
    result = runner.invoke(cli, ["query", "--endpoint", f"{oxigraph}/query?union-default-graph",
                                 "timeline", "-p", "actor", "RUS"])
    assert result.exit_code == 0 and "deploy" in result.stdout
    result = runner.invoke(cli, ["query", "--endpoint", f"{oxigraph}/query", "--infer", "dyads"])
    assert result.exit_code == 2


def test_http_errors_are_one_line_with_status(oxigraph, sample_graph):
    with pytest.raises(EndpointHTTPError, match=r"/nowhere\?graph=.*: HTTP 404 Not Found") as err:
        push(sample_graph, f"{oxigraph}/nowhere")
    assert err.value.status == 404 and "\n" not in str(err.value)
    result = CliRunner().invoke(cli, ["query", "--endpoint", f"{oxigraph}/nowhere", UNION])
    assert result.exit_code == 1 and "HTTP 404" in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("command", [["push", "GRAPH", "--endpoint", "URL/store"],
                                     ["query", "--endpoint", "URL/query", "who-did-what"]])
def test_connection_refused_is_a_one_line_error(command, sample_graph, tmp_path):
    ttl = tmp_path / "g.ttl"
    save_graph(sample_graph, ttl)
    url = f"http://127.0.0.1:{free_port()}"
    args = [a.replace("GRAPH", str(ttl)).replace("URL", url) for a in command]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: cannot reach {args[args.index('--endpoint') + 1]}: " \
                                    "connection refused; is the server running, and is the URL right?"
    assert "Traceback" not in result.output
    with pytest.raises(EndpointConnectionError):
        push(sample_graph, f"{url}/store")


@pytest.fixture
def recorder():
    """A local HTTP server that records Authorization headers and answers 401, echoing a secret."""
    seen: list = []

    class Handler(BaseHTTPRequestHandler):
        def answer(self):
            seen.append(self.headers.get("Authorization"))
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = f"denied: wrong password {SECRET}".encode()
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="kg"')
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = answer

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def test_credentials_from_env_go_as_basic_auth_and_never_into_output(recorder, sample_graph, tmp_path,
                                                                     monkeypatch):
    base, seen = recorder
    monkeypatch.setenv("KGBUILD_ENDPOINT_USER", "alice")
    monkeypatch.setenv("KGBUILD_ENDPOINT_PASSWORD", SECRET)
    ttl = tmp_path / "g.ttl"
    save_graph(sample_graph, ttl)
    runner = CliRunner()
    encoded = base64.b64encode(f"alice:{SECRET}".encode()).decode()
    for args in (["push", str(ttl), "--endpoint", f"{base}/store"],
                 ["push", str(ttl), "--endpoint", f"{base}/update", "--protocol", "update"],
                 ["query", "--endpoint", f"{base}/query", UNION]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 1
        assert "HTTP 401" in result.output and "KGBUILD_ENDPOINT_USER" in result.output
        assert SECRET not in result.output and encoded not in result.output
        assert len(result.output.strip().splitlines()) == 1
    assert seen == [f"Basic {encoded}"] * 3
    result = runner.invoke(cli, ["query", "--endpoint", f"http://alice:{SECRET}@127.0.0.1:1/query", UNION])
    assert result.exit_code == 1 and "not belong in the URL" in result.output
    assert SECRET not in result.output and len(seen) == 3


def test_bearer_token_and_netrc_credentials(recorder, no_credentials, monkeypatch):
    base, seen = recorder
    (no_credentials / ".netrc").write_text(f"machine 127.0.0.1 login bob password {SECRET}\n")
    (no_credentials / ".netrc").chmod(0o600)
    with pytest.raises(EndpointHTTPError, match="HTTP 401") as err:
        remote_query(f"{base}/query", UNION)
    assert SECRET not in str(err.value)
    monkeypatch.setenv("KGBUILD_ENDPOINT_TOKEN", "tok-123")
    with pytest.raises(EndpointHTTPError):
        remote_query(f"{base}/query", UNION)
    assert seen == ["Basic " + base64.b64encode(f"bob:{SECRET}".encode()).decode(), "Bearer tok-123"]


def test_insecure_warns_on_stderr(oxigraph, sample_graph, tmp_path):
    ttl = tmp_path / "g.ttl"
    save_graph(sample_graph, ttl)
    result = CliRunner().invoke(cli, ["push", str(ttl), "--endpoint", f"{oxigraph}/store", "--insecure"])
    assert result.exit_code == 0, result.output
    assert "TLS certificate verification is off" in result.stderr
