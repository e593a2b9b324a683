"""Issue 26, item 10: what a remote server answers is read up to --max-answer bytes, never
whole: an endless answer or a Content-Length of 10^12 is a one-line error, and reading stops
(real local TCP servers on 127.0.0.1)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time

import pytest
from click.testing import CliRunner

from kgbuild import save_graph
from kgbuild.cli import cli
from kgbuild.remote import MAX_ANSWER, EndpointError, remote_query

EXE = shutil.which("kgbuild", path=os.path.dirname(sys.executable))
pytestmark = pytest.mark.usefixtures("no_credentials")

JSON = b"Content-Type: application/sparql-results+json\r\n"
ANSWERS = {  # head of the answer; an endless body follows it
    "endless": b"HTTP/1.1 200 OK\r\n" + JSON + b"Connection: close\r\n\r\n",
    "endless-chunked": b"HTTP/1.1 200 OK\r\n" + JSON + b"Transfer-Encoding: chunked\r\n\r\n",
    "huge-length": b"HTTP/1.1 200 OK\r\n" + JSON + b"Content-Length: 1000000000000\r\n\r\n",
    "endless-error": b"HTTP/1.1 500 Oops\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n",
}


class Endless:
    """A TCP server that reads a request (headers and body), sends `head`, then a body of
    spaces without end until the client goes away; it counts what it sent."""

    def __init__(self, head: bytes):
        self.head, self.sent, self.requests = head, 0, 0
        self.done = threading.Event()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        self.sock.settimeout(0.2)
        while not self.done.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                self.answer(conn)

    def answer(self, conn):
        data = b""
        while b"\r\n\r\n" not in data:
            piece = conn.recv(65536)
            if not piece:
                return
            data += piece
        head, body = data.split(b"\r\n\r\n", 1)
        length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                       if line.lower().startswith(b"content-length:")), 0)
        while len(body) < length:
            body += conn.recv(65536)
        self.requests += 1
        chunked = b"chunked" in self.head
        piece = b" " * 65536
        if chunked:
            piece = b"%x\r\n%s\r\n" % (len(piece), piece)
        conn.sendall(self.head)
        while not self.done.is_set():
            try:
                conn.sendall(piece)
            except OSError:
                return
            self.sent += len(piece)

    def stop(self):
        self.done.set()
        self.sock.close()


@pytest.fixture
def endless():
    started: list[Endless] = []

    def start(kind: str) -> Endless:
        started.append(Endless(ANSWERS[kind]))
        return started[-1]

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def graph_file(tmp_path, one_event_graph):
    path = tmp_path / "g.ttl"
    save_graph(one_event_graph, path)
    return path


COMMANDS = {
    "query": ["query", "--endpoint", "URL/query", "SELECT * WHERE { ?s ?p ?o }"],
    "push-gsp": ["push", "GRAPH", "--endpoint", "URL/store"],
    "push-update": ["push", "GRAPH", "--endpoint", "URL/update", "--protocol", "update"],
}


@pytest.mark.parametrize("kind", ["endless", "endless-chunked", "huge-length"])
@pytest.mark.parametrize("command", COMMANDS)
def test_an_endless_or_huge_answer_stops_at_max_answer(endless, graph_file, command, kind):
    server = endless(kind)
    args = [a.replace("URL", server.url).replace("GRAPH", str(graph_file)) for a in COMMANDS[command]]
    start = time.monotonic()
    result = CliRunner().invoke(cli, args + ["--max-answer", "1M", "--timeout", "30"])
    assert time.monotonic() - start < 10
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    said = "says it is 1,000,000,000,000 bytes long" if kind == "huge-length" else \
        "is longer than 1,048,576 bytes"
    assert lines[0].startswith(f"Error: {server.url}/") and f"the answer {said} (--max-answer" in lines[0]
    assert server.requests == 1
    time.sleep(0.5)
    sent = server.sent
    time.sleep(0.5)
    assert server.sent == sent < 40 * 2**20  # it stopped: socket buffers, not the answer


def test_an_endless_error_answer_is_read_only_at_its_start(endless):
    server = endless("endless-error")
    with pytest.raises(EndpointError, match="HTTP 500 Oops") as err:
        remote_query(f"{server.url}/query", "SELECT * WHERE { ?s ?p ?o }", timeout=30)
    assert len(str(err.value)) < 400
    time.sleep(0.5)
    assert server.sent < 40 * 2**20


def test_default_cap_bounds_the_memory_of_a_real_query(endless):
    """The installed command against an endless answer, with the default --max-answer."""
    server = endless("endless")
    proc = subprocess.Popen([EXE, "query", "--endpoint", f"{server.url}/query", "ASK {}"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    stderr = proc.stderr.read()
    assert os.waitstatus_to_exitcode(status) == 1, stderr
    assert f"is longer than {MAX_ANSWER:,} bytes (--max-answer" in stderr and "Traceback" not in stderr
    assert usage.ru_maxrss * 1024 < 1024**3  # kilobytes on Linux
    assert MAX_ANSWER == 256 * 2**20  # as --help and the README say


@pytest.mark.parametrize("value", ["0", "12x", "-5", "1.5M", "k"])
def test_max_answer_must_be_a_size(value):
    result = CliRunner().invoke(cli, ["query", "--endpoint", "http://127.0.0.1:1/q", "ASK {}",
                                      "--max-answer", value])
    assert result.exit_code == 2 and "is not a size" in result.output


@pytest.fixture
def accepting():
    """A local HTTP server that accepts every push after a short pause (204)."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_PUT(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            time.sleep(0.2)
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_POST = do_PUT

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("limits", [["--timeout", "0"], ["--deadline", "0"],
                                    ["--timeout", "0", "--deadline", "0"]])
def test_push_timeout_0_means_no_limit_as_for_query(accepting, graph_file, limits):
    """Issue 26, item 17: `push --timeout 0` was a usage error, `query --timeout 0` no limit."""
    result = CliRunner().invoke(cli, ["push", str(graph_file), "--endpoint", f"{accepting}/store", *limits])
    assert result.exit_code == 0, result.output
    for command in (["push", str(graph_file), "--endpoint", f"{accepting}/store"],
                    ["query", "--endpoint", f"{accepting}/query", "ASK {}"]):
        result = CliRunner().invoke(cli, [*command, "--timeout", "-1"])
        assert result.exit_code == 2 and "'--timeout': -1.0 is not in the range x>=0" in result.output
