"""Issue 28 items 2 and 3: the network page on a graph of more than 1,000 events (labels
that never overlap, a first view of the busiest dyads with "show all", a seeded layout) and
the actor timeline page, all in real headless Chromium."""
from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgbuild import build_graph, save_graph
from kgbuild.cli import cli
from kgbuild.extract.lexicon import event_types
from kgbuild.model import Action, Entity, Event, Sentence, TimeRef
from kgbuild.viz import write_html
from kgbuild.viz.network import build_network
from test_viz import chromium, driven, page_json, render, span, with_scripts  # noqa: F401

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from synth import countries  # noqa: E402

EVENTS = 1300
TOP = 40
WINDOW = ["--window-size=1400,900"]  # a laptop screen


def synthetic_events(n: int, *, seed: int = 0) -> list[Event]:
    """`n` events between the countries of the actor table, the busiest few far more active
    than the rest (weights 1/rank, as news has it), of 60 CAMEO types over the year 2023."""
    rng = random.Random(seed)
    table = countries()[:150]
    weights = [1 / (rank + 1) for rank in range(len(table))]
    types = [t for code, t in sorted(event_types().items()) if len(code) == 3 and t.quad_class][:60]
    events = []
    while len(events) < n:
        (a, a_name), (b, b_name) = rng.choices(table, weights, k=2)
        if a == b:
            continue
        etype, i = rng.choice(types), len(events)
        day = f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        text = f"{a_name} did '{etype.label}' to {b_name} (report {i})."
        events.append(Event(
            doc=f"synth-{i // 6:05d}", sentence=Sentence(text=text, start=0, end=len(text)),
            actor=Entity(text=a_name, label=a_name, type="Country", country=a, key=f"country/{a}"),
            action=Action(text="did", lemma="do"),
            target=Entity(text=b_name, label=b_name, type="Country", country=b, key=f"country/{b}"),
            event_type=etype, time=TimeRef(text=day, value=day), doc_date=day))
    return events


@pytest.fixture(scope="module")
def big_graph():
    graph = build_graph(synthetic_events(EVENTS))
    assert len(build_network(graph).events) >= 1000
    return graph


@pytest.fixture(scope="module")
def big_html(big_graph, tmp_path_factory) -> Path:
    return write_html(big_graph, tmp_path_factory.mktemp("scale") / "graph.html")


# Reads what cytoscape drew: the label boxes (its own rendered bounds of each label), the
# visible edges and the node positions, then ticks "show all".
FIRST_VIEW = """<script>
  var k = window.kgbuild, cy = k.cy, visible = function (x) { return x.visible(); };
  var opts = { includeNodes: false, includeEdges: false, includeLabels: true };
  var out = { boxes: k.labelled().map(function (n) {
                var b = n.renderedBoundingBox(opts);
                return { label: n.data("label"), x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 }; }),
              edges: cy.edges().filter(visible).map(function (e) { return e.id(); }),
              nodes: cy.nodes().filter(visible).length,
              positions: cy.nodes().filter(visible).map(function (n) {
                var p = n.position(); return [n.id(), Math.round(p.x), Math.round(p.y)]; }),
              showAllShown: !document.getElementById("kg-show-all-box").hidden,
              showAllText: document.getElementById("kg-show-all-box").textContent,
              noteShown: !document.getElementById("kg-top-note").hidden };
  document.getElementById("kg-show-all").click();
  out.allEdges = cy.edges().filter(visible).length;
  out.allNote = !document.getElementById("kg-top-note").hidden;
  out.allBoxes = k.labelled().map(function (n) {
    var b = n.renderedBoundingBox(opts); return { x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 }; });
  var pre = document.createElement("pre"); pre.id = "kg-test";
  pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
</script>"""


def overlapping(boxes: list[dict]) -> list[tuple]:
    return [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a["x1"] < b["x2"] and b["x1"] < a["x2"] and a["y1"] < b["y2"] and b["y1"] < a["y2"]]


@pytest.fixture(scope="module")
def first_view(chromium, big_html, tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("first-view")
    dom, _ = render(chromium, with_scripts(big_html, tmp / "first.html", body=FIRST_VIEW), tmp, WINDOW)
    assert span(dom, "kg-message") == "" and 'data-kg-ready="true"' in dom
    return driven(dom)


def test_large_network_opens_on_the_top_dyads_with_show_all(big_graph, big_html, first_view):
    data = page_json(big_html)
    network = build_network(big_graph)
    assert data["dyadCount"] > 10 * TOP  # a hairball: hundreds of pairs of countries
    assert len(data["dyads"]) == TOP
    drawn = first_view["edges"]
    assert 0 < len(drawn) <= TOP and all(e.startswith("d") for e in drawn)
    # the busiest pairs, each with every event between the two (either way, any quad class)
    for dyad, ((a, b), events) in zip(data["dyads"], network.dyads()):
        ends = {n["iri"] for n in data["nodes"] if n["id"] in (dyad["source"], dyad["target"])}
        assert ends == {a, b} and dyad["events"] == events
    assert first_view["nodes"] <= 2 * TOP
    assert first_view["showAllShown"] and f"show all {data['dyadCount']} dyads" in " ".join(
        first_view["showAllText"].split())
    assert first_view["noteShown"] and not first_view["allNote"]
    assert first_view["allEdges"] == len(data["edges"]) > 10 * TOP  # every edge is back


def test_large_network_labels_never_overlap(first_view):
    boxes = first_view["boxes"]
    assert len(boxes) >= min(20, first_view["nodes"]), boxes  # the busiest nodes are named
    assert all(b["x2"] > b["x1"] and b["y2"] > b["y1"] for b in boxes)
    assert overlapping(boxes) == []
    assert len(first_view["allBoxes"]) >= 15 and overlapping(first_view["allBoxes"]) == []


def test_large_network_layout_is_seeded(chromium, big_graph, big_html, first_view, tmp_path):
    again = write_html(big_graph, tmp_path / "again.html")
    assert again.read_bytes() == big_html.read_bytes()
    dom, _ = render(chromium, with_scripts(again, tmp_path / "second.html", body=FIRST_VIEW), tmp_path,
                    WINDOW)
    second = driven(dom)
    assert second["positions"] == first_view["positions"]
    assert len({(x, y) for _, x, y in second["positions"]}) == len(second["positions"])


def test_small_network_draws_every_edge_without_show_all(chromium, sample_graph, tmp_path):
    page = write_html(sample_graph, tmp_path / "small.html")
    data = page_json(page)
    assert data["dyadCount"] == len(data["dyads"]) <= TOP
    dom, _ = render(chromium, with_scripts(page, tmp_path / "small-view.html", body=FIRST_VIEW), tmp_path)
    out = driven(dom)
    assert not out["showAllShown"] and not out["noteShown"]
    assert out["edges"] and all(e.startswith("e") for e in out["edges"])
    assert overlapping(out["boxes"]) == []


def test_top_sets_the_number_of_dyads(big_graph, tmp_path):
    assert len(page_json(write_html(big_graph, tmp_path / "g.html", top=5))["dyads"]) == 5
