"""The interactive actor network: one self-contained HTML page (cytoscape.js inlined).

The page makes no request when it is viewed: the vendored cytoscape.js, the page's own
script and style, and the data (a `<script type="application/json">` block) are all
inline, and a Content-Security-Policy of `default-src 'none'` blocks anything else.
Text from the news is only ever put into the page with `textContent`, never as markup.
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import asdict
from importlib import resources

from .errors import GraphError
from .viz import QUAD_CLASSES, TYPE_COLOURS, Network

CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"
VENDORED_JS = "vendor/cytoscape.min.js"
#: Colours for "colour by country" (cycled; nodes without a country are grey).
COUNTRY_PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
                   "#ff9da7", "#9c755f", "#1f77b4", "#17becf", "#bcbd22", "#8c564b", "#7f7f7f")


def script_json(value: object) -> str:
    """JSON that is safe inside a `<script>` element: `<`, `>` and `&` are written as
    `\\u003c`-style escapes, so no text can close the element or open a comment."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def _inline_js(text: str) -> str:
    """Script text that cannot end its `<script>` element early."""
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.I)


def vendored_script() -> str:
    """The vendored cytoscape.js (see kgbuild/vendor/README.md)."""
    try:
        return resources.files("kgbuild").joinpath(VENDORED_JS).read_text("utf-8")
    except (FileNotFoundError, OSError) as err:
        raise GraphError(f"the vendored {VENDORED_JS} is missing ({err}); "
                         "reinstall kgbuild") from None


def page_data(network: Network, title: str) -> dict:
    """The JSON the page draws: nodes, aggregated edges, events and their mentions."""
    ids = {key: f"n{i}" for i, key in enumerate(network.most_active(None))}
    countries = sorted({a["country"] for a in network.nodes.values() if a.get("country")})
    events = []
    for e in network.events:
        row = asdict(e)
        row["actor"], row["other"] = ids[e.actor], ids.get(e.other) if e.other else None
        events.append(row)
    return {
        "title": title,
        "nodes": [{"id": ids[key], "iri": key, "label": a["label"], "type": a["type"],
                   "country": a.get("country", ""), "role": a.get("role", ""),
                   "activity": a["activity"], "events": a["events"]}
                  for key, a in network.nodes.items()],
        "edges": [{"id": f"e{i}", "source": ids[u], "target": ids[v], "quad": quad, "events": evs}
                  for i, ((u, v, quad), evs) in enumerate(network.edges.items())],
        "events": events,
        "quads": {str(q): {"name": name, "colour": colour}
                  for q, (name, colour) in QUAD_CLASSES.items()},
        "typeColours": TYPE_COLOURS,
        "countryColours": {c: COUNTRY_PALETTE[i % len(COUNTRY_PALETTE)]
                           for i, c in enumerate(countries)},
    }


def render_html(network: Network, title: str) -> str:
    """The page for `network` (see `kgbuild.viz.write_html`), as text."""
    parts = {"TITLE": html.escape(title), "CSP": html.escape(CSP), "STYLE": STYLE,
             "DATA": script_json(page_data(network, title)),
             "LIB": _inline_js(vendored_script()), "APP": _inline_js(APP)}
    # one pass, so that text inside the data can never be taken for a placeholder
    return re.sub(r"@(TITLE|CSP|STYLE|DATA|LIB|APP)@", lambda m: parts[m.group(1)], PAGE)


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="@CSP@">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="kgbuild">
<title>@TITLE@</title>
<style>@STYLE@</style>
</head>
<body>
<header>
  <h1>@TITLE@</h1>
  <div class="controls">
    <input id="kg-search" type="search" placeholder="Search nodes…" aria-label="Search nodes">
    <label>From <input id="kg-from" type="date"></label>
    <label>to <input id="kg-to" type="date"></label>
    <label>Quad class <select id="kg-quad"><option value="">all</option></select></label>
    <label>CAMEO root <select id="kg-root"><option value="">all</option></select></label>
    <label>Actor <select id="kg-actor"><option value="">all</option></select></label>
    <label>Colour by <select id="kg-colour"><option value="type">type</option>
      <option value="country">country</option></select></label>
    <button id="kg-reset" type="button">Reset</button>
  </div>
  <div id="kg-status"><span id="kg-node-count">0</span> nodes,
    <span id="kg-edge-count">0</span> edges, <span id="kg-event-count">0</span> events shown
    <span id="kg-message"></span></div>
</header>
<main>
  <div id="kg-cy" aria-label="actor network"></div>
  <aside>
    <div id="kg-legend"></div>
    <div id="kg-details"><p class="hint">Click a node or an edge to see its events.</p></div>
  </aside>
</main>
<div id="kg-tip" hidden></div>
<script type="application/json" id="kg-data">@DATA@</script>
<script>@LIB@</script>
<script>@APP@</script>
</body>
</html>
"""

STYLE = """
*{box-sizing:border-box}body{margin:0;font:14px/1.4 system-ui,sans-serif;color:#222;
display:flex;flex-direction:column;height:100vh}
header{padding:6px 12px;border-bottom:1px solid #ddd}h1{font-size:17px;margin:2px 0 6px}
.controls{display:flex;flex-wrap:wrap;gap:6px 12px;align-items:center}
.controls label{white-space:nowrap}#kg-search{width:14em}#kg-status{color:#555;margin-top:4px}
#kg-message{color:#b00}main{flex:1;display:flex;min-height:0}
#kg-cy{flex:1;min-width:0;min-height:300px}
aside{width:34%;max-width:480px;border-left:1px solid #ddd;overflow:auto;padding:8px 12px}
.legend-row{display:flex;align-items:center;gap:6px;margin:2px 0}.swatch{width:14px;height:14px;
border-radius:50%;border:1px solid #555;flex:none}.line{width:22px;height:4px;flex:none}
h2{font-size:15px;margin:10px 0 4px}h3{font-size:13px;margin:8px 0 2px}.hint{color:#777}
.event{border-top:1px solid #eee;padding:6px 0}.meta{color:#666;font-size:12px}
blockquote{margin:4px 0 2px 8px;padding-left:8px;border-left:3px solid #ccc}
.source{color:#555;font-size:12px;margin-left:16px}
#kg-tip{position:fixed;pointer-events:none;background:#222;color:#fff;padding:3px 7px;
border-radius:4px;font-size:12px;max-width:320px;z-index:10}
"""

APP = r"""
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  function say(text) { $("kg-message").textContent = text; }
  window.addEventListener("error", function (e) { say("Error: " + e.message); });
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function option(select, value, text) {
    var o = el("option", null, text);
    o.value = value;
    select.appendChild(o);
  }
  if (typeof cytoscape !== "function") { say("Error: the graph library did not load."); return; }
  var data = JSON.parse($("kg-data").textContent);
  var events = data.events, byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  var most = Math.max.apply(null, [1].concat(data.nodes.map(function (n) { return n.activity; })));
  function quadName(q) { var d = data.quads[String(q)]; return (q ? q + " " : "") + d.name; }
  function nodeColour(n, mode) {
    if (mode === "country") { return data.countryColours[n.country] || "#cccccc"; }
    return data.typeColours[n.type] || "#cccccc";
  }
  var elements = data.nodes.map(function (n) {
    return { group: "nodes", data: { id: n.id, label: n.label, colour: nodeColour(n, "type"),
      size: 16 + 44 * Math.sqrt(n.activity / most) } };
  }).concat(data.edges.map(function (e) {
    return { group: "edges", data: { id: e.id, source: e.source, target: e.target,
      colour: data.quads[String(e.quad)].colour, width: 1 + 2 * Math.sqrt(e.events.length) } };
  }));
  var cy = cytoscape({
    container: $("kg-cy"), elements: elements, minZoom: 0.05, maxZoom: 6,
    style: [
      { selector: "node", style: { "background-color": "data(colour)", width: "data(size)",
        height: "data(size)", label: "data(label)", "font-size": 11, "text-valign": "bottom",
        "text-margin-y": 2, "border-width": 1, "border-color": "#444", "min-zoomed-font-size": 5,
        "text-background-color": "#fff", "text-background-opacity": 0.6 } },
      { selector: "edge", style: { "line-color": "data(colour)", width: "data(width)",
        "target-arrow-color": "data(colour)", "target-arrow-shape": "triangle",
        "curve-style": "bezier", opacity: 0.8, "arrow-scale": 0.8 } },
      { selector: ".faded", style: { opacity: 0.15 } },
      { selector: ".match", style: { "border-width": 4, "border-color": "#000",
        "font-weight": "bold" } },
      { selector: ":selected", style: { "border-width": 4, "border-color": "#0057b8",
        "line-color": "#0057b8", "target-arrow-color": "#0057b8" } }
    ],
    layout: { name: "cose", animate: false, randomize: true, numIter: 1500,
      nodeRepulsion: function () { return 9000; }, idealEdgeLength: function () { return 70; } }
  });
  var passing = events.map(function () { return true; });

  function controls() {
    return { from: $("kg-from").value, to: $("kg-to").value, quad: $("kg-quad").value,
      root: $("kg-root").value, actor: $("kg-actor").value };
  }
  function passes(ev, c) {
    if (c.from || c.to) {
      if (!ev.start) { return false; }
      if (c.from && ev.end < c.from) { return false; }
      if (c.to && ev.start > c.to) { return false; }
    }
    if (c.quad !== "" && String(ev.quad) !== c.quad) { return false; }
    if (c.root !== "" && ev.root !== c.root) { return false; }
    if (c.actor !== "" && ev.actor !== c.actor && ev.other !== c.actor) { return false; }
    return true;
  }
  function shown(list) { return list.filter(function (i) { return passing[i]; }); }
  function counts() {
    var visible = function (x) { return x.visible(); };
    $("kg-node-count").textContent = String(cy.nodes().filter(visible).length);
    $("kg-edge-count").textContent = String(cy.edges().filter(visible).length);
    $("kg-event-count").textContent = String(passing.filter(Boolean).length);
  }
  function applyFilters() {
    var c = controls(), any = c.from || c.to || c.quad || c.root || c.actor;
    passing = events.map(function (ev) { return passes(ev, c); });
    cy.batch(function () {
      data.edges.forEach(function (e) {
        cy.getElementById(e.id).style("display", shown(e.events).length ? "element" : "none");
      });
      data.nodes.forEach(function (n) {
        var keep = !any || shown(n.events).length > 0;
        cy.getElementById(n.id).style("display", keep ? "element" : "none");
      });
    });
    counts();
  }
  function search() {
    var q = $("kg-search").value.trim().toLowerCase();
    cy.elements().removeClass("faded match");
    if (!q) { return cy.collection(); }
    var hits = cy.nodes().filter(function (n) {
      return n.data("label").toLowerCase().indexOf(q) >= 0;
    });
    cy.elements().not(hits).not(hits.connectedEdges()).addClass("faded");
    hits.addClass("match");
    return hits;
  }

  function eventBlock(ev) {
    var box = el("div", "event");
    var other = ev.recipient || ev.target || ev.location;
    var line = [ev.actor_label, ev.action, other].filter(Boolean).join(" \u2192 ");
    box.appendChild(el("div", null, line));
    var when = ev.date ? ev.date : (ev.reported ? "reported " + ev.reported : "no date");
    var kind = ev.code ? ["CAMEO", ev.code, ev.type_label].filter(Boolean).join(" ")
                       : "no event type";
    var flags = [ev.modality !== "asserted" ? ev.modality : "", ev.negated ? "negated" : "",
                 ev.location ? "at " + ev.location : ""].filter(Boolean).join(", ");
    box.appendChild(el("div", "meta", [when, kind, quadName(ev.quad), flags,
      ev.count + (ev.count === 1 ? " mention" : " mentions")].filter(Boolean).join(" \u00b7 ")));
    ev.mentions.forEach(function (m) {
      box.appendChild(el("blockquote", null, m.sentence));
      var src = [m.doc, m.title, m.published, m.url].filter(Boolean).join(" \u00b7 ");
      box.appendChild(el("div", "source", "\u2014 " + src));
    });
    return box;
  }
  function details(heading, sub, list) {
    var box = $("kg-details"), rows = shown(list);
    box.textContent = "";
    box.appendChild(el("h2", null, heading));
    if (sub) { box.appendChild(el("div", "meta", sub)); }
    box.appendChild(el("h3", null, rows.length + " of " + list.length + " events shown"));
    rows.forEach(function (i) { box.appendChild(eventBlock(events[i])); });
  }
  function showNode(id) {
    var n = byId[id];
    var sub = [n.type, n.country, n.role, n.activity + " events"].filter(Boolean);
    details(n.label, sub.join(" \u00b7 "), n.events);
  }
  var edgeById = {};
  data.edges.forEach(function (e) { edgeById[e.id] = e; });
  function edgeTitle(e) { return byId[e.source].label + " \u2192 " + byId[e.target].label; }
  cy.on("tap", "node", function (evt) { showNode(evt.target.id()); });
  cy.on("tap", "edge", function (evt) {
    var e = edgeById[evt.target.id()];
    details(edgeTitle(e), quadName(e.quad), e.events);
  });
  cy.on("tap", function (evt) {
    if (evt.target === cy) {
      $("kg-details").textContent = "";
      $("kg-details").appendChild(el("p", "hint", "Click a node or an edge to see its events."));
    }
  });
  var tip = $("kg-tip");
  cy.on("mouseover", "node, edge", function (evt) {
    var t = evt.target, text;
    if (t.isNode()) {
      var n = byId[t.id()];
      text = n.label + " (" + n.type + ", " + n.activity + " events)";
    } else {
      var e = edgeById[t.id()];
      text = edgeTitle(e) + ": " + shown(e.events).length + " events, " + quadName(e.quad);
    }
    tip.textContent = text;
    tip.hidden = false;
  });
  cy.on("mousemove", function (evt) {
    var box = $("kg-cy").getBoundingClientRect(), p = evt.renderedPosition || { x: 0, y: 0 };
    tip.style.left = (box.left + p.x + 12) + "px";
    tip.style.top = (box.top + p.y + 12) + "px";
  });
  cy.on("mouseout", "node, edge", function () { tip.hidden = true; });

  function legend(mode) {
    var box = $("kg-legend");
    box.textContent = "";
    box.appendChild(el("h3", null, "Edges: CAMEO quad class"));
    var quads = Object.keys(data.quads).sort(function (a, b) {
      return (a === "0") - (b === "0") || a - b;  // 1 to 4, then "no event type"
    });
    quads.forEach(function (q) {
      var row = el("div", "legend-row"), line = el("span", "line");
      line.style.background = data.quads[q].colour;
      row.appendChild(line);
      row.appendChild(el("span", null, quadName(Number(q))));
      box.appendChild(row);
    });
    box.appendChild(el("h3", null, "Nodes: " + mode + " (size = events)"));
    var seen = {};
    data.nodes.forEach(function (n) {
      var key = mode === "country" ? (n.country || "no country") : n.type;
      seen[key] = (seen[key] || 0) + 1;
    });
    Object.keys(seen).sort().forEach(function (key) {
      var row = el("div", "legend-row"), dot = el("span", "swatch");
      var colours = mode === "country" ? data.countryColours : data.typeColours;
      dot.style.background = colours[key] || "#cccccc";
      row.appendChild(dot);
      row.appendChild(el("span", null, key + " (" + seen[key] + ")"));
      box.appendChild(row);
    });
  }
  function recolour() {
    var mode = $("kg-colour").value;
    cy.batch(function () {
      data.nodes.forEach(function (n) {
        cy.getElementById(n.id).data("colour", nodeColour(n, mode));
      });
    });
    legend(mode);
  }

  [1, 2, 3, 4, 0].forEach(function (q) { option($("kg-quad"), String(q), quadName(q)); });
  var roots = {};
  events.forEach(function (ev) { if (ev.root) { roots[ev.root] = (roots[ev.root] || 0) + 1; } });
  Object.keys(roots).sort().forEach(function (r) {
    option($("kg-root"), r, r + " (" + roots[r] + " events)");
  });
  var actors = {};
  events.forEach(function (ev) { actors[ev.actor] = true; });
  Object.keys(actors).map(function (id) { return byId[id]; })
    .sort(function (a, b) { return a.label.localeCompare(b.label); })
    .forEach(function (n) { option($("kg-actor"), n.id, n.label); });
  var dates = events.map(function (ev) { return ev.start; }).filter(Boolean).sort();
  ["kg-from", "kg-to"].forEach(function (id) {  // the date pickers open on the data's range
    if (dates.length) { $(id).min = dates[0]; $(id).max = dates[dates.length - 1]; }
  });

  ["kg-from", "kg-to", "kg-quad", "kg-root", "kg-actor"].forEach(function (id) {
    $(id).addEventListener("change", applyFilters);
  });
  $("kg-colour").addEventListener("change", recolour);
  $("kg-search").addEventListener("input", search);
  $("kg-search").addEventListener("keydown", function (evt) {
    if (evt.key !== "Enter") { return; }
    var hits = search().filter(function (n) { return n.visible(); });
    if (hits.length) { cy.fit(hits, 80); }
    if (hits.length === 1) { cy.elements().unselect(); hits.select(); showNode(hits[0].id()); }
  });
  $("kg-reset").addEventListener("click", function () {
    ["kg-from", "kg-to", "kg-quad", "kg-root", "kg-actor", "kg-search"].forEach(function (id) {
      $(id).value = "";
    });
    search();
    applyFilters();
    cy.fit(undefined, 30);
  });
  legend("type");
  applyFilters();
  // for scripting the page from the console or a test driver
  window.kgbuild = { cy: cy, data: data, applyFilters: applyFilters, search: search,
                     showNode: showNode };
  document.body.setAttribute("data-kg-ready", "true");
})();
"""
