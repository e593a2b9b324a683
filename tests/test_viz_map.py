"""Issue 13 item 4: the map view — the page in real headless Chromium (one point per event
with coordinates, filters, click-through, no request leaving the page), the PNG/SVG
picture, and `kgbuild viz --map`."""
from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from rdflib import Graph
from test_viz import (
    CHROMIUM_FLAGS,
    PROBE,
    driven,
    page_json,
    probe_report,
    render,
    span,
    with_scripts,
)

from kgbuild import GraphError, save_graph
from kgbuild.cli import cli
from kgbuild.viz import write_map
from kgbuild.viz.network import build_network


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


# --- issue 28 item 1: a map that reads --------------------------------------------------

PATH_POINT = re.compile(r"[ML](-?[\d.]+),(-?[\d.]+)|Z")


def path_segments(d: str) -> list[tuple[float, float, float, float]]:
    """The straight segments an SVG path of M/L/Z commands draws, closing ones included."""
    segments, start, last = [], None, None
    for match in PATH_POINT.finditer(d):
        if match.group(0) == "Z":
            if last and start:
                segments.append((*last, *start))
            last = start
            continue
        point = (float(match.group(1)), float(match.group(2)))
        if match.group(0)[0] == "M":
            start = point
        elif last is not None:
            segments.append((*last, *point))
        last = point
    return segments


def test_map_outline_is_cut_at_the_antimeridian():
    """Issue 28 item 1: Russia and Fiji were drawn edge to edge (bands across the Arctic
    and near 20°S); no drawn segment may span more than 180° of longitude."""
    from kgbuild.viz.atlas import ANTARCTICA, country_shapes, drawn_shapes
    from kgbuild.viz.map import outline_paths

    crossing = {s.name for s in country_shapes() if s.numeric != ANTARCTICA
                for polygon in s.polygons for ring in polygon
                if any(abs(b[0] - a[0]) > 180 for a, b in zip(ring, ring[1:]))}
    assert {"Russia", "Fiji"} <= crossing  # the vendored outline has rings that cross
    paths = outline_paths()
    assert len(paths) == len(drawn_shapes()) == len([s for s in country_shapes()
                                                     if s.numeric != ANTARCTICA])
    longest = max(abs(x1 - x0) for d in paths for x0, _, x1, _ in path_segments(d))
    assert longest <= 180
    for shape in drawn_shapes():
        if shape.name in ("Russia", "Fiji"):
            lons = [lon for polygon in shape.polygons for lon, _ in polygon[0]]
            assert min(lons) == -180 and max(lons) == 180  # both sides still drawn


MAP_SIZE = "--window-size=1400,900"
#: The map at one size in both runs: Chromium's viewport differs between --dump-dom and
#: --screenshot, so the pixels the DOM run computes hold in the screenshot only so.
FIXED_LAYOUT = "<style>body{height:880px}#kg-map{flex:none;width:900px;height:560px}</style>"
READ_MAP = """<script>
  function probe() {
    var box = document.getElementById("kg-svg").getBoundingClientRect(), v = window.kgbuild.view;
    function pixel(lat, lon) {
      return [Math.round(box.left + (lon + 180 - v.x) * v.k + box.width / 2),
              Math.round(box.top + (90 - lat - v.y) * v.k + box.height / 2)];
    }
    var texts = Array.prototype.filter.call(document.querySelectorAll("#kg-svg text"),
      function (t) { return t.style.display !== "none"; }).map(function (t) {
        var r = t.getBoundingClientRect();
        return { text: t.textContent, cls: t.getAttribute("class"), x: r.left, y: r.top, w: r.width, h: r.height };
      });
    var longest = 0;
    document.querySelectorAll("#kg-land path").forEach(function (p) {
      var last = null, start = null;
      (p.getAttribute("d").match(/[MLZ][^MLZ]*/g) || []).forEach(function (cmd) {
        var point = cmd[0] === "Z" ? start : cmd.slice(1).split(",").map(Number);
        if (cmd[0] === "M") { start = point; } else if (last) { longest = Math.max(longest, Math.abs(point[0] - last[0])); }
        last = point;
      });
    });
    return { texts: texts, longest: longest, points: window.kgbuild.points(),
             pacific: pixel(-16.4, -140), norwegianSea: pixel(69.3, 2), atlantic: pixel(66.5, -25),
             places: window.kgbuild.data.places.map(function (p) { return { label: p.label, at: pixel(p.lat, p.lon) }; }) };
  }
  window.kgbuild.fit([{ x: 0, y: 5 }, { x: 360, y: 150 }]);
  var out = { world: probe() };
  @MORE@
  var pre = document.createElement("pre"), box = document.createElement("div");
  pre.id = "kg-test"; box.hidden = true;  // the page keeps its layout for the screenshot
  pre.textContent = JSON.stringify(out); box.appendChild(pre); document.body.appendChild(box);
</script>"""


def screenshot(chromium: str, page: Path, tmp_path: Path) -> Image.Image:
    shot = tmp_path / f"{page.stem}.png"
    proc = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'shot-profile'}",
                           MAP_SIZE, "--virtual-time-budget=5000", f"--screenshot={shot}",
                           page.as_uri()], capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0 and shot.exists(), proc.stderr[-3000:]
    return Image.open(shot).convert("RGB")


def no_overlaps(texts: list[dict]) -> bool:
    return not any(a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and
                   a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]
                   for i, a in enumerate(texts) for b in texts[i + 1:])


def test_map_screenshot_has_labels_points_and_no_band_across_the_map(chromium, sample_graph,
                                                                    map_html, tmp_path):
    """Issue 28 item 1, in headless Chromium: at the world view nothing crosses the map
    (the open Pacific near 16°S and the seas off Norway and Greenland are sea in the
    screenshot, where Fiji's and Russia's rings drew land across the map), the busiest
    places and the big countries are named and no label covers another; zoomed in on
    Europe, smaller countries are named too."""
    events = placed(sample_graph)
    mentions: dict[str, int] = {}
    for e in events:
        mentions[e.location] = mentions.get(e.location, 0) + e.count
    busiest = max(mentions, key=lambda name: (mentions[name], name))
    more = """window.kgbuild.fit([{ x: 180 + 2, y: 90 - 58 }, { x: 180 + 28, y: 90 - 46 }]);
      out.europe = probe();"""
    page = with_scripts(map_html, tmp_path / "labels.html", head=FIXED_LAYOUT,
                        body=READ_MAP.replace("@MORE@", more))
    dom, _ = render(chromium, page, tmp_path, [MAP_SIZE])
    out = driven(dom)
    world, europe = out["world"], out["europe"]
    assert world["longest"] <= 180 and world["points"] == len(events)
    place_labels = {t["text"] for t in world["texts"] if t["cls"] == "place-label"}
    countries = {t["text"] for t in world["texts"] if t["cls"] == "country-label"}
    assert busiest in place_labels and len(place_labels) >= 5
    assert {"Russia", "Canada", "Brazil", "Australia"} <= countries
    assert "Estonia" not in countries and "Estonia" in {t["text"] for t in europe["texts"]}
    assert no_overlaps(world["texts"]) and no_overlaps(europe["texts"])
    world_page = with_scripts(map_html, tmp_path / "world.html", head=FIXED_LAYOUT,
                              body=READ_MAP.replace("@MORE@", ""))
    assert driven(render(chromium, world_page, tmp_path, [MAP_SIZE])[0]) == {"world": world}
    image = screenshot(chromium, world_page, tmp_path)
    ocean, land = (0xEE, 0xF4, 0xF8), (0xE4, 0xE1, 0xD8)
    for probe in ("pacific", "norwegianSea", "atlantic"):
        assert image.getpixel(tuple(world[probe])) == ocean, probe
    colours = {image.getpixel(tuple(p["at"])) for p in world["places"]}
    assert not colours & {ocean, land}  # a point is drawn at every place


def test_map_event_list_follows_the_filters(chromium, sample_graph, map_html, tmp_path):
    """Issue 28 item 1: the events passing the filters are listed beside the map, each with
    its sentence and a link to its document; a click on a row shows its place."""
    events = build_network(sample_graph).events
    driver = """<script>
      function rows() {
        return Array.prototype.map.call(document.querySelectorAll("#kg-list .list-row"), function (r) {
          var a = r.querySelector("a");
          return { event: Number(r.getAttribute("data-event")), text: r.textContent,
                   href: a ? a.getAttribute("href") : null };
        });
      }
      var out = { all: rows() };
      document.getElementById("kg-quad").value = "4";
      window.kgbuild.applyFilters();
      out.quad4 = rows();
      out.heading = document.querySelector("#kg-list h3").textContent;
      var row = document.querySelector("#kg-list .list-row.placed");
      row.dispatchEvent(new MouseEvent("click", { bubbles: true }));
      out.clicked = Number(row.getAttribute("data-event"));
      out.details = document.getElementById("kg-details").textContent;
      var pre = document.createElement("pre"); pre.id = "kg-test";
      pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
    </script>"""
    dom, _ = render(chromium, with_scripts(map_html, tmp_path / "list.html", body=driver), tmp_path)
    out = driven(dom)
    assert len(out["all"]) == min(len(events), 200)
    conflict = [i for i, e in enumerate(events) if e.quad == 4]
    assert sorted(r["event"] for r in out["quad4"]) == conflict
    assert out["heading"].startswith(f"{len(conflict)} events pass the filters")
    for row in out["quad4"]:
        event = events[row["event"]]
        assert event.mentions[0].sentence in row["text"] and event.mentions[0].doc in row["text"]
        assert row["href"] == (event.mentions[0].url or None)
    dates = [events[r["event"]].start for r in out["quad4"] if events[r["event"]].start]
    assert dates == sorted(dates)
    assert out["details"].startswith(events[out["clicked"]].location)


HISTOGRAM = """<script>
  function bars() {
    return Array.prototype.map.call(document.querySelectorAll("#kg-histogram rect.kg-bar"), function (r) {
      return { from: r.getAttribute("data-from"), to: r.getAttribute("data-to"),
               count: Number(r.getAttribute("data-count")), out: r.classList.contains("out") };
    });
  }
  function state() {
    return { bars: bars(), undated: document.getElementById("kg-undated-count").textContent,
             from: document.getElementById("kg-from").value, to: document.getElementById("kg-to").value,
             points: Array.prototype.filter.call(document.querySelectorAll("#kg-points circle"),
               function (c) { return c.style.display !== "none"; }).map(function (c) {
                 return Number(c.getAttribute("data-event")); }),
             rows: Array.prototype.map.call(document.querySelectorAll("#kg-list .list-row"),
               function (r) { return Number(r.getAttribute("data-event")); }) };
  }
  var out = { unit: window.kgbuild.histogram.unit, all: state() };
  @MORE@
  var pre = document.createElement("pre"); pre.id = "kg-test";
  pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
</script>"""

DRAG = """var svg = document.getElementById("kg-histogram-svg"), box = svg.getBoundingClientRect();
  function at(bin) { return box.left + (bin + 0.5) * box.width / out.all.bars.length; }
  function pointer(type, bin) {
    (type === "pointerdown" ? svg : window).dispatchEvent(new PointerEvent(type,
      { bubbles: true, clientX: at(bin), clientY: box.top + box.height / 2 }));
  }
  pointer("pointerdown", @A@); pointer("pointermove", @MID@); pointer("pointermove", @B@);
  pointer("pointerup", @B@);
  out.brushed = state();
  document.getElementById("kg-quad").value = "@QUAD@";
  window.kgbuild.applyFilters();
  out.quad = state();"""


def day_bins(starts: list[str]) -> list[str]:
    first, last = dt.date.fromisoformat(min(starts)), dt.date.fromisoformat(max(starts))
    return [(first + dt.timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]


def test_map_histogram_brush_sets_the_date_range(chromium, sample_graph, map_html, tmp_path):
    """Issue 28 item 1: the time histogram draws one bar per day from the first to the last
    dated event, each with the number of events of that day; dragging across it sets the
    date range, which narrows the event list and the points, and the bars follow the other
    filters."""
    events = build_network(sample_graph).events
    starts = [e.start for e in events if e.start]
    days = day_bins(starts)
    assert len(set(starts)) >= 4 and 2 < len(days) <= 120  # a span that is drawn by day
    dated = sorted(set(starts))
    a, b = days.index(dated[1]), days.index(dated[-2])  # from the second to the last but one
    quad = Counter(e.quad for e in events if e.start).most_common(1)[0][0]
    more = (DRAG.replace("@A@", str(b)).replace("@MID@", str(a + 1)).replace("@B@", str(a))
            .replace("@QUAD@", str(quad)))
    page = with_scripts(map_html, tmp_path / "histogram.html", body=HISTOGRAM.replace("@MORE@", more))
    out = driven(render(chromium, page, tmp_path)[0])
    assert out["unit"] == "day"
    assert [(bar["from"], bar["to"]) for bar in out["all"]["bars"]] == [(d, d) for d in days]
    assert [bar["count"] for bar in out["all"]["bars"]] == [starts.count(d) for d in days]
    assert not any(bar["out"] for bar in out["all"]["bars"])
    assert (out["brushed"]["from"], out["brushed"]["to"]) == (days[a], days[b])
    inside = [i for i, e in enumerate(events) if e.start and e.end >= days[a] and e.start <= days[b]]
    assert 0 < len(inside) < len(starts)
    assert sorted(out["brushed"]["rows"]) == inside
    assert sorted(out["brushed"]["points"]) == [i for i in inside if events[i].lat is not None]
    assert [bar["out"] for bar in out["brushed"]["bars"]] == [not a <= i <= b for i in range(len(days))]
    assert [bar["count"] for bar in out["brushed"]["bars"]] == [starts.count(d) for d in days]
    assert [bar["count"] for bar in out["quad"]["bars"]] == [
        sum(1 for e in events if e.start == d and e.quad == quad) for d in days]
    assert sorted(out["quad"]["rows"]) == [i for i in inside if events[i].quad == quad]


def test_map_histogram_counts_the_undated_events(chromium, sample_graph, map_html, tmp_path):
    """Issue 28 item 1: events without any date are not in the histogram; their number,
    of the events passing the other filters, is given beside it."""
    events = build_network(sample_graph).events
    undated = [e for e in events if not e.start]
    assert undated and len(undated) < len(events)
    quad = Counter(e.quad for e in undated).most_common(1)[0][0]
    more = """document.getElementById("kg-quad").value = "@QUAD@";
      window.kgbuild.applyFilters();
      out.quad = state();
      out.note = document.getElementById("kg-undated-count").parentNode.textContent;""".replace("@QUAD@", str(quad))
    page = with_scripts(map_html, tmp_path / "undated.html", body=HISTOGRAM.replace("@MORE@", more))
    out = driven(render(chromium, page, tmp_path)[0])
    assert int(out["all"]["undated"]) == len(undated)
    assert sum(bar["count"] for bar in out["all"]["bars"]) == len(events) - len(undated)
    assert int(out["quad"]["undated"]) == sum(1 for e in undated if e.quad == quad)
    assert out["note"].startswith(f"{out['quad']['undated']} events without any date")
