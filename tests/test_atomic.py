"""Output files: written whole or not at all, with one-line errors (issue 15, item 13)."""
import errno
import os

import pytest

from kgbuild import OutputError
from kgbuild.atomic import atomic_write, check_output


def disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_disk_full_at_fsync_leaves_no_file(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OutputError, match=r"out.ttl: cannot write \(No space left on device\)"):
        with atomic_write(tmp_path / "out.ttl") as fh:
            fh.write("data")
    assert list(tmp_path.iterdir()) == []


def test_disk_full_while_writing_leaves_the_old_file(tmp_path, monkeypatch):
    out = tmp_path / "out.ttl"
    out.write_text("old", encoding="utf-8")
    real = os.fdopen

    class Full:
        def __init__(self, fh):
            self.fh = fh

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.fh, name)

        def __enter__(self):
            self.fh.__enter__()
            return self

        def __exit__(self, *exc):
            return self.fh.__exit__(*exc)

    monkeypatch.setattr(os, "fdopen", lambda *a, **k: Full(real(*a, **k)))
    with pytest.raises(OutputError, match="No space left on device"):
        with atomic_write(out) as fh:
            fh.write("new")
    assert out.read_text(encoding="utf-8") == "old" and [p.name for p in tmp_path.iterdir()] == ["out.ttl"]


def test_save_graph_on_a_full_disk_is_an_output_error(tmp_path, monkeypatch, sample_graph):
    from kgbuild import save_graph

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OutputError, match="No space left on device"):
        save_graph(sample_graph, tmp_path / "g.ttl")
    assert list(tmp_path.iterdir()) == []


def test_errors_of_the_callers_block_are_not_write_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        with atomic_write(tmp_path / "out.txt") as fh:
            fh.write("x")
            open(tmp_path / "missing-input")  # noqa: SIM115
    assert list(tmp_path.iterdir()) == []


def test_check_output_refuses_before_any_work(tmp_path):
    with pytest.raises(OutputError, match="the folder .*nope does not exist"):
        check_output(tmp_path / "nope" / "out.ttl")
    with pytest.raises(OutputError, match="is a folder"):
        check_output(tmp_path)
    source = tmp_path / "news.jsonl"
    source.write_text("{}", encoding="utf-8")
    with pytest.raises(OutputError, match="is also an input"):
        check_output(source, [str(source)])
    check_output(tmp_path / "fine.ttl", [str(source)])
    assert [p.name for p in tmp_path.iterdir()] == ["news.jsonl"]  # the probe is gone
