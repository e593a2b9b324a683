"""Issue 26, item 17: `serve FILE` killed with SIGKILL leaves nothing behind in the temp
folder — a graph file is served from a store in memory (`kgbuild.stores.open_store`)."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

import pytest

from kgbuild import save_graph
from kgbuild.stores import open_store

EXE = shutil.which("kgbuild", path=os.path.dirname(sys.executable))


@pytest.fixture
def graph_file(tmp_path, one_event_graph):
    path = tmp_path / "g.ttl"
    save_graph(one_event_graph, path)
    return path


def test_a_killed_serve_of_a_file_leaves_no_folder(graph_file, tmp_path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    proc = subprocess.Popen([EXE, "serve", str(graph_file), "--port", "0"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "TMPDIR": str(tmp)})
    line = proc.stderr.readline()
    if "serving" not in line:
        proc.kill()
        pytest.fail(line + proc.stderr.read())
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert list(tmp.iterdir()) == []  # nothing written that a SIGKILL could leave


def test_a_file_store_is_in_memory_and_answers(graph_file, tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    before = set(tmp_path.iterdir())
    with open_store(graph_file) as store:
        assert len(store) > 0 and set(tmp_path.iterdir()) == before
