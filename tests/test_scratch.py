"""Issue 26, item 17: the temporary store of `serve FILE` killed with SIGKILL is removed by
the next kgbuild that makes one (`kgbuild.stores.scratch`)."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

import pytest

from kgbuild import save_graph
from kgbuild.stores import open_store
from kgbuild.stores.scratch import OWNER_NAME, PREFIX, remove_stale, scratch_store

EXE = shutil.which("kgbuild", path=os.path.dirname(sys.executable))


@pytest.fixture
def graph_file(tmp_path, one_event_graph):
    path = tmp_path / "g.ttl"
    save_graph(one_event_graph, path)
    return path


def scratch_folders(parent):
    return sorted(p.name for p in parent.glob(PREFIX + "*"))


def start_serve(graph_file, tmp):
    """`kgbuild serve FILE` with its own temp folder; returns it once it serves."""
    proc = subprocess.Popen([EXE, "serve", str(graph_file), "--port", "0"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "TMPDIR": str(tmp)})
    line = proc.stderr.readline()
    if "serving" not in line:
        proc.kill()
        pytest.fail(line + proc.stderr.read())
    return proc


def test_a_killed_serve_leaves_a_folder_the_next_start_removes(graph_file, tmp_path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    first = start_serve(graph_file, tmp)
    killed = scratch_folders(tmp)
    assert len(killed) == 1
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    assert scratch_folders(tmp) == killed  # nothing could clean up after SIGKILL
    second = start_serve(graph_file, tmp)
    try:
        running = scratch_folders(tmp)
        assert len(running) == 1 and running != killed  # the stale one went, its own is there
        third = start_serve(graph_file, tmp)  # a live server's store is never taken
        assert set(running) < set(scratch_folders(tmp)) and len(scratch_folders(tmp)) == 2
        third.send_signal(signal.SIGINT)
        third.wait(timeout=30)
        assert scratch_folders(tmp) == running
    finally:
        second.send_signal(signal.SIGINT)
        second.wait(timeout=30)
    assert scratch_folders(tmp) == []


def test_remove_stale_keeps_live_and_foreign_folders(graph_file, tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
    foreign = tmp_path / f"{PREFIX}old"  # an older kgbuild's folder: no owner file
    foreign.mkdir()
    dead = tmp_path / f"{PREFIX}dead"
    dead.mkdir()
    (dead / OWNER_NAME).write_text("")  # nobody holds its lock
    with open_store(graph_file) as store:
        assert store.path.parent.parent == tmp_path and len(store) > 0
        assert not dead.exists() and foreign.exists()  # removed when the store was made
        assert remove_stale(tmp_path) == [] and store.path.exists()
    assert scratch_folders(tmp_path) == [foreign.name]
    with scratch_store() as where:
        assert not where.exists() and where.parent.name.startswith(PREFIX)
    assert not where.parent.exists()
