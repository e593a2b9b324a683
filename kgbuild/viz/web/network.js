/* The actor network page (cytoscape.js); see kgbuild/viz.py write_html. */
(function () {
  "use strict";
  var $ = KG.$, data = KG.data, events = KG.events;
  if (typeof cytoscape !== "function") { KG.say("Error: the graph library did not load."); return; }
  var byId = {}, edgeById = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  data.edges.concat(data.dyads).forEach(function (e) { edgeById[e.id] = e; });
  /* A large network opens on its busiest dyads, one edge each (`data.dyads`); the "show
     all" box draws every edge, one per direction and quad class. */
  var aggregates = data.dyadCount > data.dyads.length;
  var most = Math.max.apply(null, [1].concat(data.nodes.map(function (n) { return n.activity; })));
  /* Labels: up to LABELS at the first view, more as one zooms in, placed most active
     first where the label covers no other (`placeLabels`); every label is drawn 11-16 px
     high on screen whatever the zoom. */
  var LABELS = 30, zoom0 = 1, FONT = "Helvetica, Arial, sans-serif", LABEL_WIDTH = 160;
  function nodeColour(n, mode) {
    if (mode === "country") { return data.countryColours[n.country] || "#cccccc"; }
    return data.typeColours[n.type] || "#cccccc";
  }
  var elements = data.nodes.map(function (n, rank) {
    return { group: "nodes", data: { id: n.id, label: n.label, colour: nodeColour(n, "type"),
      size: 16 + 44 * Math.sqrt(n.activity / most), rank: rank,
      fontPx: 11 + 5 * Math.sqrt(n.activity / most) } };
  }).concat(data.edges.concat(data.dyads).map(function (e) {
    return { group: "edges", classes: e.quads ? "dyad" : "", data: { id: e.id, source: e.source,
      target: e.target, colour: data.quads[String(e.quad)].colour,
      width: 1 + 2 * Math.sqrt(e.events.length) } };
  }));
  var cy = cytoscape({
    container: $("kg-cy"), elements: elements, minZoom: 0.05, maxZoom: 6,
    style: [
      { selector: "node", style: { "background-color": "data(colour)", width: "data(size)",
        height: "data(size)", "text-valign": "bottom", "text-margin-y": 2, "border-width": 1,
        "border-color": "#444", "text-background-color": "#fff", "text-background-opacity": 0.7,
        "font-family": FONT, "text-wrap": "ellipsis",
        "text-max-width": function (ele) { return LABEL_WIDTH / ele.cy().zoom(); },
        "font-size": function (ele) { return ele.data("fontPx") / ele.cy().zoom(); },
        label: function (ele) { return labelled(ele) ? ele.data("label") : ""; },
        "z-index": function (ele) { return labelled(ele) ? 2 : 1; } } },  // labels over other nodes
      { selector: "edge", style: { "line-color": "data(colour)", width: "data(width)",
        "target-arrow-color": "data(colour)", "target-arrow-shape": "triangle",
        "curve-style": "bezier", opacity: 0.8, "arrow-scale": 0.8 } },
      { selector: "edge.dyad", style: { "target-arrow-shape": "none", "curve-style": "straight" } },
      { selector: ".faded", style: { opacity: 0.15 } },
      { selector: ".match", style: { "border-width": 4, "border-color": "#000",
        "font-weight": "bold", label: "data(label)" } },
      { selector: ":selected", style: { "border-width": 4, "border-color": "#0057b8",
        "line-color": "#0057b8", "target-arrow-color": "#0057b8", label: "data(label)" } }
    ]
  });
  function labelled(ele) { return ele.data("labelOn") === true; }
  var measure = document.createElement("canvas").getContext("2d");
  function overlaps(a, b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  }
  /* Label the visible nodes most active first, each where its box (on screen, as drawn
     under its node) covers no label placed before it nor the node of one, and its node
     covers none of those labels, up to a budget that grows with the zoom. */
  function placeLabels() {
    var z = cy.zoom(), budget = LABELS * Math.pow(Math.max(1, z / zoom0), 2);
    var labels = [], discs = [];
    var nodes = cy.nodes().filter(function (n) { return n.visible(); }).sort(function (a, b) {
      return a.data("shownRank") - b.data("shownRank");
    });
    function free(box, against) { return !against.some(function (b) { return overlaps(b, box); }); }
    cy.batch(function () {
      cy.nodes().forEach(function (n) { n.data("labelOn", false); });
      nodes.forEach(function (n) {
        if (labels.length >= budget) { return; }
        var px = n.data("fontPx"), p = n.renderedPosition(), r = n.data("size") * z / 2;
        measure.font = px + "px " + FONT;
        var w = Math.min(measure.measureText(n.data("label")).width, LABEL_WIDTH) + 4;
        var box = { x: p.x - w / 2, y: p.y + r, w: w, h: px * 1.35 + 4 };
        var disc = { x: p.x - r, y: p.y - r, w: 2 * r, h: 2 * r };
        if (!free(box, labels) || !free(box, discs) || !free(disc, labels)) { return; }
        labels.push(box);
        discs.push(disc);
        n.data("labelOn", true);
      });
    });
    cy.style().update();  // the label sizes follow the zoom
  }
  var revealed = {};  // node ids a search brought back although hidden by default
  function showAll() { return $("kg-all").checked; }
  function topView() { return aggregates && !$("kg-show-all").checked && !showAll(); }
  function applyFilters() {
    var any = KG.filter(), all = showAll(), top = topView();
    var edgeShown = {}, degree = {};
    function count(e) {
      if (edgeShown[e.id]) {
        degree[e.source] = (degree[e.source] || 0) + 1;
        degree[e.target] = (degree[e.target] || 0) + 1;
      }
    }
    data.edges.forEach(function (e) {
      var plain = all || revealed[e.source] || revealed[e.target] ||
                  (!top && !byId[e.source].generic && !byId[e.target].generic);
      edgeShown[e.id] = plain && KG.shown(e.events).length > 0;
      count(e);
    });
    data.dyads.forEach(function (d) {
      edgeShown[d.id] = top && KG.shown(d.events).length > 0;
      count(d);
    });
    var hidden = 0, rank = 0;
    cy.batch(function () {
      data.edges.concat(data.dyads).forEach(function (e) {
        cy.getElementById(e.id).style("display", edgeShown[e.id] ? "element" : "none");
      });
      data.nodes.forEach(function (n) {
        var passes = !any || KG.shown(n.events).length > 0;
        var plain = all || revealed[n.id] || (!n.generic && degree[n.id] > 0);
        var node = cy.getElementById(n.id);
        node.style("display", passes && plain ? "element" : "none");
        if (passes && !plain) { hidden += 1; }
        node.data("shownRank", passes && plain ? rank++ : undefined);
      });
    });
    $("kg-hidden-count").textContent = String(hidden);
    $("kg-top-note").hidden = !top;
    counts();
    placeLabels();
  }
  function counts() {
    var visible = function (x) { return x.visible(); };
    $("kg-node-count").textContent = String(cy.nodes().filter(visible).length);
    $("kg-edge-count").textContent = String(cy.edges().filter(visible).length);
    $("kg-event-count").textContent = String(KG.passingCount());
  }
  /* A small seeded generator (mulberry32): the same seed gives the same numbers. */
  function seeded(seed) {
    return function () {
      seed = (seed + 0x6D2B79F5) | 0;
      var t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  /* The force layout (cose) from seeded starting points, with its own random numbers
     seeded too: the same graph and view are laid out the same way each time. */
  function layout() {
    var random = seeded(data.layoutSeed), side = 80 * Math.sqrt(data.nodes.length);
    cy.nodes().positions(function () { return { x: random() * side, y: random() * side }; });
    var saved = Math.random;
    Math.random = random;
    try {
      cy.elements().filter(function (x) { return x.visible(); }).layout({
        name: "cose", animate: false, randomize: false, numIter: 1500,
        nodeRepulsion: function () { return 9000; }, idealEdgeLength: function () { return 70; }
      }).run();
    } finally {
      Math.random = saved;
    }
    cy.fit(cy.elements().filter(function (x) { return x.visible(); }), 30);
    zoom0 = cy.zoom();
    placeLabels();
  }
  /* Search finds nodes by label, and the actors of events whose target, recipient or
     place matches (places and targets that are no node of their own). */
  function search() {
    var q = $("kg-search").value.trim().toLowerCase();
    cy.elements().removeClass("faded match");
    var before = Object.keys(revealed).length;
    revealed = {};
    if (!q) {
      if (before) { applyFilters(); }
      return cy.collection();
    }
    var ids = {};
    data.nodes.forEach(function (n) { if (n.label.toLowerCase().indexOf(q) >= 0) { ids[n.id] = true; } });
    var edges = cy.collection();
    data.edges.forEach(function (e) {
      if (e.events.some(function (i) { return KG.eventText(events[i]).indexOf(q) >= 0; })) {
        ids[e.source] = ids[e.target] = true;
        edges = edges.union(cy.getElementById(e.id));
      }
    });
    events.forEach(function (ev) {  // events drawn as no edge: their actor
      if (ev.other === null && KG.eventText(ev).indexOf(q) >= 0) { ids[ev.actor] = true; }
    });
    Object.keys(ids).forEach(function (id) { revealed[id] = true; });
    applyFilters();
    var hits = cy.nodes().filter(function (n) { return ids[n.id()]; });
    cy.elements().not(hits).not(hits.edgesWith(hits)).not(edges).addClass("faded");
    hits.addClass("match");
    return hits;
  }
  function showNode(id) {
    var n = byId[id];
    var sub = [n.type, n.country, n.role, n.activity + " events"].filter(Boolean);
    KG.details(n.label, sub.join(" \u00b7 "), n.events);
  }
  function edgeTitle(e) {
    return byId[e.source].label + (e.quads ? " \u2014 " : " \u2192 ") + byId[e.target].label;
  }
  function edgeKind(e) {  // a dyad: its events in each quad class
    if (!e.quads) { return KG.quadName(e.quad); }
    return Object.keys(e.quads).map(function (q) {
      return e.quads[q] + " " + KG.quadName(Number(q));
    }).join(", ");
  }
  cy.on("tap", "node", function (evt) { showNode(evt.target.id()); });
  cy.on("tap", "edge", function (evt) {
    var e = edgeById[evt.target.id()];
    KG.details(edgeTitle(e), edgeKind(e), e.events);
  });
  cy.on("tap", function (evt) {
    if (evt.target === cy) { KG.hint("Click a node or an edge to see its events."); }
  });
  var where = { x: 0, y: 0 };
  cy.on("mouseover", "node, edge", function (evt) {
    var t = evt.target, text;
    if (t.isNode()) {
      var n = byId[t.id()];
      text = n.label + " (" + n.type + ", " + n.activity + " events)";
    } else {
      var e = edgeById[t.id()];
      text = edgeTitle(e) + ": " + KG.shown(e.events).length + " events (" + edgeKind(e) + ")";
    }
    KG.showTip(text, where.x, where.y);
  });
  cy.on("mousemove", function (evt) {
    var box = $("kg-cy").getBoundingClientRect(), p = evt.renderedPosition || { x: 0, y: 0 };
    where = { x: box.left + p.x, y: box.top + p.y };
  });
  cy.on("mouseout", "node, edge", KG.hideTip);
  var pending = false;
  cy.on("zoom", function () {  // labels keep their size on screen
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; placeLabels(); });
  });

  function legend(mode) {
    var box = $("kg-legend");
    box.textContent = "";
    KG.quadLegend(box, "Edges: CAMEO quad class", "line");
    box.appendChild(KG.el("h3", null, "Nodes: " + mode + " (size = events)"));
    var seen = {};
    data.nodes.forEach(function (n) {
      var key = mode === "country" ? (n.country || "no country") : n.type;
      seen[key] = (seen[key] || 0) + 1;
    });
    Object.keys(seen).sort().forEach(function (key) {
      var row = KG.el("div", "legend-row"), dot = KG.el("span", "swatch");
      var colours = mode === "country" ? data.countryColours : data.typeColours;
      dot.style.background = colours[key] || "#cccccc";
      row.appendChild(dot);
      row.appendChild(KG.el("span", null, key + " (" + seen[key] + ")"));
      box.appendChild(row);
    });
  }
  function recolour() {
    var mode = $("kg-colour").value;
    cy.batch(function () {
      data.nodes.forEach(function (n) { cy.getElementById(n.id).data("colour", nodeColour(n, mode)); });
    });
    legend(mode);
  }
  KG.setupControls(function (ev) { return byId[ev.actor].label; }, applyFilters);
  $("kg-colour").addEventListener("change", recolour);
  $("kg-all").addEventListener("change", function () {
    if (showAll()) { $("kg-show-all").checked = true; }
    applyFilters();
    layout();
  });
  $("kg-show-all").addEventListener("change", function () {
    if (!$("kg-show-all").checked) { $("kg-all").checked = false; }
    applyFilters();
    layout();
  });
  $("kg-show-all-box").hidden = !aggregates;
  $("kg-dyad-count").textContent = String(data.dyadCount);
  $("kg-top-count").textContent = String(data.dyads.length);
  $("kg-search").addEventListener("input", search);
  $("kg-search").addEventListener("keydown", function (evt) {
    if (evt.key !== "Enter") { return; }
    var hits = search().filter(function (n) { return n.visible(); });
    if (hits.length) { cy.fit(hits, 80); }
    if (hits.length === 1) { cy.elements().unselect(); hits.select(); showNode(hits[0].id()); }
  });
  $("kg-reset").addEventListener("click", function () {
    KG.resetControls();
    search();
    applyFilters();
    cy.fit(cy.elements().filter(function (x) { return x.visible(); }), 30);
  });
  legend("type");
  applyFilters();
  layout();
  // for scripting the page from the console or a test driver
  window.kgbuild = { cy: cy, data: data, applyFilters: applyFilters, search: search,
                     showNode: showNode, layout: layout, placeLabels: placeLabels,
                     labelled: function () { return cy.nodes().filter(function (n) {
                       return n.visible() && labelled(n); }); },
                     zoom0: function () { return zoom0; } };
  document.body.setAttribute("data-kg-ready", "true");
})();
