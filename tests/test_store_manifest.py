"""Issue 27 item 4: a store records a manifest (layout, kgbuild and pyoxigraph versions),
written when it is created and checked when it is opened; the store room imports no
spaCy; stores and queries do not import each other both ways."""
import json
import subprocess
import sys

import pyoxigraph
import pytest
from click.testing import CliRunner

import kgbuild
from kgbuild import GraphError, build_graph, run_query
from kgbuild.cli import cli
from kgbuild.errors import StoreVersionError
from kgbuild.stores import manifest
from kgbuild.stores.oxigraph import GraphStore


@pytest.fixture
def small_store(tmp_path, sample_events):
    path = tmp_path / "kg.store"
    with GraphStore(path) as store:
        store.add(build_graph(sample_events))
        store.finalize()
    return path


def _count(path) -> int:
    with GraphStore(path, read_only=True) as store:
        return int(run_query(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0])


def test_a_new_store_records_its_manifest(small_store):
    found = json.loads((small_store / manifest.NAME).read_text(encoding="utf-8"))
    assert found == {"format": "kgbuild-store", "layout": manifest.LAYOUT,
                     "kgbuild": kgbuild.__version__, "pyoxigraph": pyoxigraph.__version__}


def test_a_store_without_a_manifest_opens_and_gets_one(small_store):
    """A store made by a kgbuild from before manifests is read, and given one."""
    expected = _count(small_store)
    (small_store / manifest.NAME).unlink()
    assert _count(small_store) == expected  # read-only: read, and given one where writable
    assert json.loads((small_store / manifest.NAME).read_text())["layout"] == manifest.LAYOUT
    (small_store / manifest.NAME).unlink()
    with GraphStore(small_store) as store:  # a writer gives it one too
        assert len(store) > 0
    assert (small_store / manifest.NAME).is_file()


def _rewrite(path, **fields):
    found = json.loads((path / manifest.NAME).read_text(encoding="utf-8"))
    (path / manifest.NAME).write_text(json.dumps(found | fields), encoding="utf-8")


@pytest.mark.parametrize("change, message", [
    ({"layout": manifest.LAYOUT + 1}, r"in store layout 2; this kgbuild .* reads layouts up to 1: "
                                      r"upgrade kgbuild \(pip install -U kgbuild\), or rebuild"),
    ({"pyoxigraph": "0.4.11"}, r"written by pyoxigraph 0\.4\.11, whose on-disk format pyoxigraph "
                               r".* may not read: use a kgbuild with pyoxigraph 0\.4\.x"),
    ({"layout": "two"}, r"its manifest kgbuild-store\.json is not one kgbuild writes"),
])
def test_a_store_it_cannot_read_is_refused(small_store, change, message):
    _rewrite(small_store, **change)
    for read_only in (True, False):
        with pytest.raises(StoreVersionError, match=message):
            GraphStore(small_store, read_only=read_only)
    assert issubclass(StoreVersionError, GraphError)
    assert not (small_store / "kgbuild.dirty").exists()


def test_cli_refuses_an_unreadable_store_in_one_line(small_store):
    _rewrite(small_store, pyoxigraph="0.6.0")
    for args in (["query", str(small_store), "dyads"], ["stats", str(small_store)],
                 ["export", str(small_store), "--format", "nt"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1, (args, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"Error: {small_store}: written by pyoxigraph 0.6.0")
        assert "rebuild the store from your inputs into a new folder" in lines[0]
    (small_store / manifest.NAME).write_bytes(b"\xff\xfe not json")
    done = subprocess.run([sys.executable, "-m", "kgbuild", "query", str(small_store), "dyads"],
                          capture_output=True, text=True)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"Error: {small_store}: cannot read its manifest kgbuild-store.json")


def test_store_and_query_rooms_import_one_way():
    """`import kgbuild.stores` loads no spaCy and no query module; the query room reads
    the store, not the other way round (issue 27 item 4)."""
    code = ("import sys, kgbuild.stores, kgbuild.stores.oxigraph, kgbuild.stores.dyads; "
            "bad = [m for m in sys.modules if m == 'spacy' or m.startswith(('spacy.', 'kgbuild.query'))]; "
            "sys.exit(str(bad) if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
