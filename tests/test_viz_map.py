"""Issue 13 item 4: the map view — the page in real headless Chromium (one point per event
with coordinates, filters, click-through, no request leaving the page), the PNG/SVG
picture, and `kgbuild viz --map`."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from rdflib import Graph

from kgbuild import GraphError, save_graph
from kgbuild.cli import cli
from kgbuild.viz import write_map
from kgbuild.viz.network import build_network
from test_viz import PROBE, chromium, driven, page_json, probe_report, render, span, with_scripts  # noqa: F401


@pytest.fixture(scope="module")
def map_html(sample_graph, tmp_path_factory) -> Path:
    return write_map(sample_graph, tmp_path_factory.mktemp("map") / "map.html")


def placed(graph) -> list:
    return [e for e in build_network(graph).events if e.lat is not None]


def test_map_draws_one_point_per_event_with_coordinates(chromium, sample_graph, map_html, tmp_path):
    events = placed(sample_graph)
    assert len(events) >= 10 and len({e.place for e in events}) >= 5
    data = page_json(map_html)
    assert sum(len(p["events"]) for p in data["places"]) == len(events)
    assert len(data["outline"]) > 150  # the countries of the atlas, Antarctica left out
    driver = """<script>
      var out = { drawn: document.querySelectorAll("#kg-points circle.kg-point").length,
                  visible: window.kgbuild.points(), k: window.kgbuild.view.k,
                  count: document.getElementById("kg-point-count").textContent,
                  places: document.getElementById("kg-place-count").textContent };
      document.getElementById("kg-quad").value = "4";
      window.kgbuild.applyFilters();
      out.quad4 = window.kgbuild.points();
      out.quad4Count = document.getElementById("kg-point-count").textContent;
      var pre = document.createElement("pre"); pre.id = "kg-test";
      pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
    </script>"""
    dom, log = render(chromium, with_scripts(map_html, tmp_path / "driven.html", body=driver), tmp_path)
    out = driven(dom)
    assert out["drawn"] == out["visible"] == len(events)
    assert int(out["count"]) == len(events)
    assert int(out["places"]) == len({e.place for e in events})
    assert int(out["quad4"]) == int(out["quad4Count"]) == sum(1 for e in events if e.quad == 4)
    assert out["k"] > 2  # zoomed to the events, not the whole world (about 2.5 px/degree)
    assert span(dom, "kg-message") == "" and 'data-kg-ready="true"' in dom


def test_map_click_shows_the_sentences_and_documents(chromium, sample_graph, map_html, tmp_path):
    events = placed(sample_graph)
    kaliningrad = next(e for e in events if e.location == "Kaliningrad")
    driver = """<script>
      var c = document.querySelector('#kg-points circle[data-event]');
      var target = Array.prototype.filter.call(document.querySelectorAll("#kg-points circle"),
        function (x) { var ev = window.kgbuild.data.events[Number(x.getAttribute("data-event"))];
                       return ev.location === "Kaliningrad"; })[0];
      target.dispatchEvent(new MouseEvent("click", { bubbles: true }));
      var out = { details: document.getElementById("kg-details").textContent };
      document.getElementById("kg-search").value = "kaliningrad";
      out.hits = window.kgbuild.search().length;
      var pre = document.createElement("pre"); pre.id = "kg-test";
      pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
    </script>"""
    dom, _ = render(chromium, with_scripts(map_html, tmp_path / "click.html", body=driver), tmp_path)
    out = driven(dom)
    assert out["details"].startswith("Kaliningrad")
    assert kaliningrad.mentions[0].sentence in out["details"]
    assert kaliningrad.mentions[0].doc in out["details"]
    assert out["hits"] == sum(1 for e in events if e.location == "Kaliningrad")


def test_map_page_makes_no_request(chromium, map_html, tmp_path):
    text = map_html.read_text(encoding="utf-8")
    assert 'http-equiv="Content-Security-Policy"' in text and "default-src &#x27;none&#x27;" in text
    assert text.count("</script>") == 2  # data, app
    dom, log = render(chromium, with_scripts(map_html, tmp_path / "probed.html", head=PROBE), tmp_path)
    assert probe_report(dom) == {"blocked": [], "resources": []}
    assert "Content Security Policy" not in log and "net::ERR_" not in log


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_map_picture(sample_graph, tmp_path, suffix):
    path = write_map(sample_graph, tmp_path / f"map{suffix}")
    if suffix == ".png":
        with Image.open(path) as image:
            assert image.format == "PNG" and image.width > 800
            assert len(image.convert("RGB").getcolors(1 << 24)) > 50  # outline, points, legend
    else:
        assert "Kaliningrad" in path.read_text(encoding="utf-8")


def test_map_errors(sample_graph, tmp_path):
    with pytest.raises(GraphError, match="no event has a place with coordinates"):
        write_map(Graph(), tmp_path / "empty.html")
    with pytest.raises(GraphError, match="cannot write a map"):
        write_map(sample_graph, tmp_path / "map.pdf")
    assert not list(tmp_path.iterdir())


def test_cli_viz_map(sample_graph, tmp_path):
    graph_file = save_graph(sample_graph, tmp_path / "g.ttl")
    for name in ("map.html", "map.png"):
        result = CliRunner().invoke(cli, ["viz", str(graph_file), "-o", str(tmp_path / name), "--map"])
        assert result.exit_code == 0, result.output
    assert len(page_json(tmp_path / "map.html")["places"]) == len({e.place for e in placed(sample_graph)})
