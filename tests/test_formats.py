"""Issue 27 item 3: one format registry (`kgbuild.formats`) that build, export, viz,
read_table, serve and push consult; writers take a format argument."""
import subprocess
import sys
import xml.etree.ElementTree as ET

import pyoxigraph
import pytest
from click.testing import CliRunner
from rdflib.compare import isomorphic

from kgbuild import load_graph, save_graph
from kgbuild.cli import cli
from kgbuild.formats import (
    FORMATS,
    GRAPH,
    NETWORK,
    RESULTS,
    TABLE,
    VIEW,
    by_media_type,
    by_name,
    by_suffix,
    formats,
    get,
    names,
)
from kgbuild.serve.answer import GRAPH_TYPES, RESULT_TYPES, negotiate
from kgbuild.stores.files import format_for
from kgbuild.tables.read import table_format
from kgbuild.viz import write_map, write_picture


def test_rdf_formats_are_pyoxigraphs():
    """Label, first suffix and media type of every RDF / results format come from pyoxigraph."""
    for fmt in formats(GRAPH):
        assert isinstance(fmt.oxigraph, pyoxigraph.RdfFormat)
        assert (fmt.label, fmt.suffix, fmt.media_type) == (
            fmt.oxigraph.name, "." + fmt.oxigraph.file_extension, fmt.oxigraph.media_type)
        assert pyoxigraph.RdfFormat.from_media_type(fmt.media_type) == fmt.oxigraph
    for fmt in formats(RESULTS):
        if fmt.oxigraph is not None:
            assert fmt.media_type == fmt.oxigraph.media_type.split(";")[0]


def test_every_suffix_and_media_type_names_one_format_per_kind():
    for kind in (GRAPH, RESULTS, NETWORK, TABLE, VIEW):
        suffixes = [s for f in formats(kind) for s in f.suffixes]
        media = [m for f in formats(kind) for m in f.media_types]
        assert len(suffixes) == len(set(suffixes)) and len(media) == len(set(media)), kind
        for fmt in formats(kind):
            assert all(by_suffix(f"x{s.upper()}", kind) == fmt for s in fmt.suffixes)
            assert all(by_media_type(m + "; charset=utf-8", kind) == fmt for m in fmt.media_types)
            assert by_name(fmt.name.upper(), kind) == fmt == get(fmt.name, kind)
    assert by_suffix("graph.xyz", GRAPH) is None and by_suffix("graph", GRAPH) is None
    with pytest.raises(KeyError):
        get("gif", VIEW)


@pytest.mark.parametrize("fmt", names(GRAPH, files=True))
def test_every_graph_file_format_round_trips_by_name_and_suffix(sample_graph, tmp_path, fmt):
    """save_graph and load_graph find a format by any of its registered suffixes."""
    for suffix in get(fmt, GRAPH).suffixes:
        path = tmp_path / f"g{suffix}"
        assert format_for(path) == fmt
        save_graph(sample_graph, path)
        assert isomorphic(load_graph(path), sample_graph), suffix


def test_cli_choices_and_module_tables_come_from_the_registry():
    from kgbuild.cli.base import GRAPH_FORMATS, NETWORK_FORMATS, TABLE_FORMATS, VIEW_FORMATS
    from kgbuild.tables.read import READ_FORMATS
    from kgbuild.viz import HTML_SUFFIXES, PICTURE_SUFFIXES

    assert GRAPH_FORMATS == ("turtle", "nt", "jsonld", "trig", "nquads")  # rdfxml: answers only
    assert (NETWORK_FORMATS, TABLE_FORMATS, VIEW_FORMATS) == (
        names(NETWORK), names(TABLE), names(VIEW))
    assert READ_FORMATS == ("csv", "tsv", "parquet")
    assert HTML_SUFFIXES + PICTURE_SUFFIXES == tuple(s for f in formats(VIEW) for s in f.suffixes)
    assert table_format("events.tab") == "tsv" and table_format("events.pq") == "parquet"
    assert {f.name for f in FORMATS} >= {"turtle", "json", "graphml", "parquet", "svg"}


def test_serve_offers_what_the_registry_lists():
    """Every offered media type is written by a registered pyoxigraph format (or the HTML
    table); the `format` parameter takes names and aliases."""
    for media in RESULT_TYPES + GRAPH_TYPES:
        fmt = by_media_type(media, RESULTS, GRAPH)
        assert fmt is not None and (fmt.oxigraph is not None or media == "text/html")
    assert negotiate("CONSTRUCT", None, "ttl") == "text/turtle"
    assert negotiate("CONSTRUCT", None, "jsonld") == "application/ld+json"
    assert negotiate("CONSTRUCT", None, "trig") is None  # a CONSTRUCT answer is one graph
    assert negotiate("SELECT", None, "TSV") == "text/tab-separated-values"


def test_writers_take_the_format_not_the_suffix(sample_graph, tmp_path):
    """No temporary file: a picture is written as the format asked for, whatever the name."""
    path = write_picture(sample_graph, tmp_path / "picture.png", fmt="svg")
    assert path == tmp_path / "picture.png"
    assert ET.parse(path).getroot().tag.endswith("svg")
    assert write_map(sample_graph, tmp_path / "map.svg", fmt="png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.svg", "picture.png"]


def test_viz_to_stdout_writes_the_asked_format(graph_file_of):
    result = CliRunner().invoke(cli, ["viz", str(graph_file_of), "--format", "svg", "-o", "-", "--top", "3"])
    assert result.exit_code == 0, result.output
    assert ET.fromstring(result.stdout_bytes).tag.endswith("svg")
    done = subprocess.run([sys.executable, "-m", "kgbuild", "viz", str(graph_file_of), "--map",
                           "--format", "png", "-o", "-"], capture_output=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def graph_file_of(sample_graph, tmp_path):
    path = tmp_path / "g.ttl"
    save_graph(sample_graph, path)
    return path
