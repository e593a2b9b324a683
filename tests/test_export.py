"""RDF formats read back as the same graph; GraphML loads in networkx; writes are atomic."""
import networkx as nx
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kgbuild import GraphError, load_graph, save_graph, to_networkx, write_graphml
from kgbuild.graph.namespace import KG


@pytest.mark.parametrize("fmt, suffix", [("turtle", ".ttl"), ("nt", ".nt"), ("jsonld", ".jsonld")])
def test_rdf_round_trip_is_isomorphic(sample_graph, tmp_path, fmt, suffix):
    path = save_graph(sample_graph, tmp_path / f"g{suffix}")
    assert isomorphic(load_graph(path), sample_graph)


@pytest.mark.parametrize("fmt, suffix", [("trig", ".trig"), ("nquads", ".nq")])
def test_quad_formats_parse_back(sample_graph, tmp_path, fmt, suffix):
    path = save_graph(sample_graph, tmp_path / f"g{suffix}", fmt)
    ds = Dataset()
    ds.parse(path, format={"trig": "trig", "nquads": "nquads"}[fmt])
    merged = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        merged.add((s, p, o))
    assert isomorphic(merged, sample_graph)


def test_jsonld_uses_the_shipped_context(sample_graph, tmp_path):
    text = (save_graph(sample_graph, tmp_path / "g.jsonld")).read_text(encoding="utf-8")
    assert '"@context"' in text and str(KG) in text


def test_graphml_loads_in_networkx_with_actor_nodes_and_event_edges(sample_graph, tmp_path):
    path = write_graphml(sample_graph, tmp_path / "g.graphml")
    net = nx.read_graphml(path, force_multigraph=True)
    expected = to_networkx(sample_graph)
    assert net.number_of_nodes() == expected.number_of_nodes() > 5
    assert net.number_of_edges() == expected.number_of_edges() > 5
    labels = {d["label"] for _, d in net.nodes(data=True)}
    assert {"Russia", "Iskander missiles"} <= labels
    edge = next(d for u, v, d in net.edges(data=True)
                if net.nodes[u]["label"] == "Russia" and d["action"] == "deploy"
                and net.nodes[v]["label"] == "Iskander missiles")
    assert edge["event_code"].startswith("15") and edge["count"] >= 1
    for _, data in net.nodes(data=True):
        assert all(isinstance(v, (str, int, float, bool)) for v in data.values())
    for _, _, data in net.edges(data=True):
        assert all(isinstance(v, (str, int, float, bool)) for v in data.values())


def test_save_is_atomic_on_failure(sample_graph, tmp_path, monkeypatch):
    target = tmp_path / "g.ttl"
    target.write_text("old content", encoding="utf-8")

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr("kgbuild.stores.files.oxigraph_serialize", boom)  # Turtle's writer
    with pytest.raises(RuntimeError):
        save_graph(sample_graph, target)
    assert target.read_text(encoding="utf-8") == "old content"
    assert [p.name for p in tmp_path.iterdir()] == ["g.ttl"]


def test_unknown_format_and_bad_rdf_are_clear_errors(tmp_path, sample_graph):
    with pytest.raises(GraphError, match="unknown RDF format 'xml'"):
        save_graph(sample_graph, tmp_path / "g.ttl", "xml")
    with pytest.raises(GraphError, match="cannot tell the RDF format"):
        save_graph(sample_graph, tmp_path / "g.dat")
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is <not turtle", encoding="utf-8")
    with pytest.raises(GraphError, match="bad.ttl: not valid turtle RDF"):
        load_graph(bad)
    with pytest.raises(GraphError, match="no such graph file"):
        load_graph(tmp_path / "missing.ttl")


def test_trig_has_one_named_graph_per_document(sample_graph, tmp_path):
    from rdflib import RDF

    from kgbuild.graph.datasets import to_dataset

    ds = to_dataset(sample_graph)
    names = {str(g.identifier) for g in ds.graphs() if len(g)}
    docs = {str(d) for d in sample_graph.subjects(RDF.type, KG.Document)}
    per_doc = {n for n in names if "/graph/" in n}
    assert len(per_doc) == len(docs) >= 5
    # every mention lives in its document's graph, every event in the default graph
    default = ds.graph(ds.default_graph.identifier) if hasattr(ds, "default_graph") else ds.default_context
    assert all((e, RDF.type, KG.Event) in default for e in sample_graph.subjects(RDF.type, KG.Event))
    for g in ds.graphs():
        if "/graph/" in str(g.identifier):
            doc_id = str(g.identifier).rsplit("/graph/", 1)[1]
            assert all(f"/doc/{doc_id}/mention/" in str(m) for m in g.subjects(RDF.type, KG.Mention))


@pytest.mark.parametrize("shape", ["actors", "events"])
def test_graphml_loads_in_igraph(sample_graph, tmp_path, shape):
    import igraph

    path = write_graphml(sample_graph, tmp_path / f"{shape}.graphml", shape=shape)
    g = igraph.Graph.Read_GraphML(str(path))
    net = to_networkx(sample_graph, shape)
    assert g.vcount() == net.number_of_nodes() and g.ecount() == net.number_of_edges()
    assert "label" in g.vs.attributes() and "Russia" in g.vs["label"]


def test_bipartite_event_graph_links_events_to_their_roles(sample_graph):
    from rdflib import RDF

    net = to_networkx(sample_graph, "events")
    events = [n for n, d in net.nodes(data=True) if d["type"] == "Event"]
    assert len(events) == len(set(sample_graph.subjects(RDF.type, KG.Event)))
    roles = {d["role"] for _, _, d in net.edges(data=True)}
    assert {"actor", "target", "location"} <= roles
    assert all(net.out_degree(e) >= 1 for e in events)  # every event has its actor


def test_gexf_loads_in_networkx(sample_graph, tmp_path):
    from kgbuild.viz.graphml import write_network

    path = write_network(sample_graph, tmp_path / "g.gexf", "gexf")
    net = nx.read_gexf(path)
    assert net.number_of_nodes() == to_networkx(sample_graph).number_of_nodes()
    assert any(d.get("label") == "Russia" for _, d in net.nodes(data=True))


def test_outputs_get_normal_file_permissions(sample_graph, tmp_path):
    import os

    umask = os.umask(0o022)
    try:
        path = save_graph(sample_graph, tmp_path / "g.ttl")
    finally:
        os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o644


# --- issue 28 item 5: GeoJSON ------------------------------------------------------------

@pytest.mark.parametrize("rows", ["events", "mentions"])
def test_geojson_export_is_read_by_a_geojson_reader(sample_graph, tmp_path, rows):
    """Issue 28 item 5: `export --format geojson`, one Feature per located event (or
    report), properties as in the event table, valid by the `geojson` package's checks."""
    import geojson
    from click.testing import CliRunner

    from kgbuild.cli import cli
    from kgbuild.tables.rows import columns, graph_rows

    graph_file = save_graph(sample_graph, tmp_path / "g.ttl")
    out = tmp_path / "events.geojson"
    result = CliRunner().invoke(cli, ["export", str(graph_file), "--rows", rows, "-o", str(out)])
    assert result.exit_code == 0, result.output
    with open(out, encoding="utf-8") as fh:
        collection = geojson.load(fh)
    assert isinstance(collection, geojson.FeatureCollection)
    assert collection.is_valid, collection.errors()
    table = [r for r in graph_rows(sample_graph, rows) if r["place_lat"] is not None]
    assert len(table) >= 10 and len(collection["features"]) == len(table)
    assert len(table) < len(graph_rows(sample_graph, rows))  # unplaced events left out
    id_column = "mention_id" if rows == "mentions" else "event_id"
    assert len({f["id"] for f in collection["features"]}) == len(table)
    for want, got in zip(table, collection["features"]):
        assert isinstance(got, geojson.Feature) and isinstance(got["geometry"], geojson.Point)
        assert got["geometry"]["coordinates"] == [want["place_lon"], want["place_lat"]]
        assert got["id"] == want[id_column]
        assert list(got["properties"]) == [c.name for c in columns(rows)]
        assert dict(got["properties"]) == want


def test_geojson_to_stdout_and_rows_without_a_place_on_the_globe(sample_graph):
    import json

    from click.testing import CliRunner

    from kgbuild.cli import cli
    from kgbuild.tables.geojson import feature

    result = CliRunner().invoke(cli, ["export", "-", "--format", "geojson"],
                                input=sample_graph.serialize(format="turtle"))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["type"] == "FeatureCollection"
    row = {"event_id": "e", "place_lat": float("nan"), "place_lon": 20.5, "goldstein": float("inf")}
    assert feature(row) is None
    assert feature(row | {"place_lat": 95.0}) is None
    placed = feature(row | {"place_lat": 54.7})
    assert placed["properties"]["goldstein"] is None and json.dumps(placed, allow_nan=False)


# --- issue 28 item 7: Gephi's Geo Layout on the actor network ----------------------------

@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_country_nodes_carry_their_point_for_geo_layout(sample_events, sample_graph, tmp_path, fmt):
    """Issue 28 item 7: a country that is only an actor had no lat/lon on its node (the
    graph of the seed article had none on any node); now it carries its representative
    point, the one the graph gives the country as a place."""
    from rdflib import RDF, URIRef

    from kgbuild import build_graph
    from kgbuild.graph.namespace import WGS
    from kgbuild.viz.atlas import country_point
    from kgbuild.viz.graphml import write_network

    read = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    seed = build_graph([e for e in sample_events if e.doc == "baltic-deployment"])
    net = read(write_network(seed, tmp_path / f"seed.{fmt}", fmt))
    countries = [d for _, d in net.nodes(data=True) if d["type"] == "Country"]
    assert countries and all("lat" in d and "lon" in d for d in countries)
    net = read(write_network(sample_graph, tmp_path / f"sample.{fmt}", fmt))
    for key, data in net.nodes(data=True):
        if (URIRef(key), RDF.type, KG.Country) in sample_graph:
            code = str(sample_graph.value(URIRef(key), KG.countryCode))
            assert (float(data["lat"]), float(data["lon"])) == country_point(code), data
    russia = next(d for _, d in net.nodes(data=True) if d["label"] == "Russia")
    assert (float(russia["lat"]), float(russia["lon"])) == country_point("RUS")
    placed = [n for n in sample_graph.subjects(WGS.lat, None) if str(n) in net]
    assert placed and all("lat" in net.nodes[str(n)] for n in placed)
