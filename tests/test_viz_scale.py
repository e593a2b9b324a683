"""Issue 28 items 2 and 3: the network page on a graph of more than 1,000 events (labels
that never overlap, a first view of the busiest dyads with "show all", a seeded layout) and
the actor timeline page, all in real headless Chromium."""
from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_viz import driven, page_json, render, span, with_scripts

from kgbuild import build_graph, save_graph
from kgbuild.cli import cli
from kgbuild.extract.lexicon import event_types
from kgbuild.model import Action, Entity, Event, Sentence, TimeRef
from kgbuild.viz import write_html
from kgbuild.viz.network import build_network

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from synth import countries  # noqa: E402

EVENTS = 1300
TOP = 40
WINDOW = ["--window-size=1400,900"]  # a laptop screen
LIST_ROWS = 200  # the rows of the event list beside the map and the timeline


def synthetic_events(n: int, *, seed: int = 0) -> list[Event]:
    """`n` events between the countries of the actor table, the busiest few far more active
    than the rest (weights 1/rank, as news has it), of about 60 CAMEO types over the year 2023."""
    rng = random.Random(seed)
    table = countries()[:150]
    weights = [1 / (rank + 1) for rank in range(len(table))]
    typed = [t for code, t in sorted(event_types().items()) if len(code) == 3 and t.quad_class]
    types = typed[::max(1, len(typed) // 60)]  # from every quad class
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


# --- issue 28 item 3: the timeline page -------------------------------------------------

TIMELINE_VIEW = """<script>
  var k = window.kgbuild, $ = function (id) { return document.getElementById(id); };
  function circles() {
    return Array.prototype.filter.call(document.querySelectorAll("#kg-points circle.kg-point"),
      function (c) { return c.style.display !== "none"; }).map(function (c) {
        return { i: Number(c.getAttribute("data-event")), x: Number(c.getAttribute("cx")),
                 y: Number(c.getAttribute("cy")), r: Number(c.getAttribute("r")) }; });
  }
  function list() {
    return Array.prototype.map.call(document.querySelectorAll("#kg-list .list-row"), function (r) {
      return { i: Number(r.getAttribute("data-event")), text: r.textContent }; });
  }
  var out = { points: circles(), list: list(), heading: $("kg-heading").textContent,
              count: $("kg-point-count").textContent, undated: $("kg-undated-count").textContent,
              rows: Array.prototype.map.call(document.querySelectorAll(".tl-row-label"),
                                             function (t) { return t.textContent; }) };
  var first = document.querySelector("#kg-points circle.kg-point");
  first.dispatchEvent(new MouseEvent("click", { bubbles: true }));
  out.clicked = Number(first.getAttribute("data-event"));
  out.details = $("kg-details").textContent;
  $("kg-quad").value = "%(quad)s";
  k.applyFilters();
  out.quadPoints = circles();
  out.quadList = list().length;
  $("kg-quad").value = "";
  $("kg-from").value = "%(start)s";
  $("kg-to").value = "%(end)s";
  k.applyFilters();
  out.rangePoints = circles();
  var pre = document.createElement("pre"); pre.id = "kg-test";
  pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
</script>"""


def timeline_view(chromium, page: Path, tmp_path: Path, *, quad: int, start: str, end: str) -> dict:
    driver = TIMELINE_VIEW % {"quad": quad, "start": start, "end": end}
    dom, _ = render(chromium, with_scripts(page, tmp_path / f"driven-{page.name}", body=driver),
                    tmp_path, WINDOW)
    assert span(dom, "kg-message") == "" and 'data-kg-ready="true"' in dom
    return driven(dom)


def test_timeline_page_draws_the_actors_events_by_date_and_quad_class(chromium, big_graph, tmp_path):
    from kgbuild.viz import write_timeline
    from kgbuild.viz.network import actor_events

    events = actor_events(big_graph, "AFG")
    assert len(events) > 100 and all(e.actor_label == "Afghanistan" for e in events)
    page = write_timeline(big_graph, "afg", tmp_path / "afg.html")
    data = page_json(page)
    assert [e["iri"] for e in data["events"]] == [e.iri for e in events]
    out = timeline_view(chromium, page, tmp_path, quad=2, start="2023-04-01", end="2023-06-30")
    assert out["heading"] == "Events of afg (Afghanistan acting)"
    points = {p["i"]: p for p in out["points"]}
    assert len(points) == int(out["count"]) == len(events) and out["undated"] == "0"
    # x follows the date; each quad class has its own row, none over another
    by_date = sorted(points, key=lambda i: (events[i].start, i))
    assert [points[i]["x"] for i in by_date] == sorted(points[i]["x"] for i in by_date)
    rows = [q for q in (4, 3, 2, 1, 0) if any(e.quad == q for e in events)]
    assert len(out["rows"]) == len(rows) >= 3
    band = {q: [points[i]["y"] for i in points if events[i].quad == q] for q in rows}
    assert all(max(band[a]) < min(band[b]) for a, b in zip(rows, rows[1:]))
    # the list beside it: the events by date (the first 200)
    assert [row["i"] for row in out["list"]] == sorted(
        range(len(events)), key=lambda i: (events[i].start, i))[:LIST_ROWS]
    assert events[out["list"][0]["i"]].mentions[0].sentence in out["list"][0]["text"]
    # a click shows the event's sentence and document
    clicked = events[out["clicked"]]
    assert clicked.mentions[0].sentence in out["details"] and clicked.mentions[0].doc in out["details"]
    # the filters of the map page
    assert {p["i"] for p in out["quadPoints"]} == {i for i, e in enumerate(events) if e.quad == 2}
    assert out["quadList"] == len(out["quadPoints"])
    assert {p["i"] for p in out["rangePoints"]} == {
        i for i, e in enumerate(events) if "2023-04-01" <= e.start <= "2023-06-30"}


def test_timeline_page_of_a_dyad(chromium, big_graph, tmp_path):
    graph_file = save_graph(big_graph, tmp_path / "big.ttl")
    out = tmp_path / "dyad.html"
    result = CliRunner().invoke(cli, ["viz", str(graph_file), "-o", str(out), "--timeline", "AFG",
                                      "--with", "angola"])
    assert result.exit_code == 0, result.output
    events = page_json(out)["events"]
    pairs = {(e["actor_label"], e["target"]) for e in events}
    assert pairs == {("Afghanistan", "Angola"), ("Angola", "Afghanistan")}
    network = build_network(big_graph)
    ends = {k for k, a in network.nodes.items() if a["label"] in ("Afghanistan", "Angola")}
    assert len(events) == len(next(ev for pair, ev in network.dyads() if set(pair) == ends))
    view = timeline_view(chromium, out, tmp_path, quad=1, start="2023-01-01", end="2023-12-31")
    assert len(view["points"]) == len(events) and view["heading"].startswith("Events between AFG and angola")


def test_timeline_page_of_a_cameo_actor_code_with_undated_events(chromium, sample_graph, tmp_path):
    from kgbuild.graph.namespace import KG
    from kgbuild.viz import write_timeline
    from kgbuild.viz.network import actor_events

    coded = {str(s) for s in sample_graph.subjects(KG.cameoActorCode, None)
             if "TURGOV" in map(str, sample_graph.objects(s, KG.cameoActorCode))}
    events = actor_events(sample_graph, "turgov")
    assert events and {e.actor for e in events} <= coded
    russia = actor_events(sample_graph, "RUS")
    assert any(not e.start for e in russia) and any(e.start for e in russia)
    page = write_timeline(sample_graph, "RUS", tmp_path / "rus.html")
    out = timeline_view(chromium, page, tmp_path, quad=3, start="2024-01-01", end="2024-12-31")
    assert int(out["count"]) == sum(1 for e in russia if e.start)
    assert int(out["undated"]) == sum(1 for e in russia if not e.start)
    assert len(out["list"]) == len(russia)  # the undated ones are listed, last
    assert all(not russia[r["i"]].start for r in out["list"][int(out["count"]):])


@pytest.mark.parametrize("args, code, message", [
    (["--with", "UKR"], 2, "--with names the other actor of a --timeline ACTOR"),
    (["--timeline", "RUS", "--with", "Atlantis"], 1, "Error: no events between 'RUS' and 'Atlantis'"),
    (["--timeline", "RUS", "--top", "3"], 2, "--top draws a network picture"),
])
def test_cli_timeline_page_errors(sample_graph, tmp_path, args, code, message):
    graph_file = save_graph(sample_graph, tmp_path / "g.ttl")
    out = tmp_path / "t.html"
    result = CliRunner().invoke(cli, ["viz", str(graph_file), "-o", str(out), *args])
    assert result.exit_code == code, result.output
    assert message in result.output and not out.exists()
