/* The actor network page (cytoscape.js); see kgbuild/viz.py write_html. */
(function () {
  "use strict";
  var $ = KG.$, data = KG.data, events = KG.events;
  if (typeof cytoscape !== "function") { KG.say("Error: the graph library did not load."); return; }
  var byId = {}, edgeById = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  data.edges.forEach(function (e) { edgeById[e.id] = e; });
  var most = Math.max.apply(null, [1].concat(data.nodes.map(function (n) { return n.activity; })));
  /* Labels: the LABELS most active nodes at the first view, more as one zooms in; every
     label is drawn 11-16 px high on screen whatever the zoom. */
  var LABELS = 30, zoom0 = 1;
  function nodeColour(n, mode) {
    if (mode === "country") { return data.countryColours[n.country] || "#cccccc"; }
    return data.typeColours[n.type] || "#cccccc";
  }
  var elements = data.nodes.map(function (n, rank) {
    return { group: "nodes", data: { id: n.id, label: n.label, colour: nodeColour(n, "type"),
      size: 16 + 44 * Math.sqrt(n.activity / most), rank: rank,
      fontPx: 11 + 5 * Math.sqrt(n.activity / most) } };
  }).concat(data.edges.map(function (e) {
    return { group: "edges", data: { id: e.id, source: e.source, target: e.target,
      colour: data.quads[String(e.quad)].colour, width: 1 + 2 * Math.sqrt(e.events.length) } };
  }));
  var cy = cytoscape({
    container: $("kg-cy"), elements: elements, minZoom: 0.05, maxZoom: 6,
    style: [
      { selector: "node", style: { "background-color": "data(colour)", width: "data(size)",
        height: "data(size)", "text-valign": "bottom", "text-margin-y": 2, "border-width": 1,
        "border-color": "#444", "text-background-color": "#fff", "text-background-opacity": 0.7,
        "text-wrap": "ellipsis", "text-max-width": function (ele) { return 160 / ele.cy().zoom(); },
        "font-size": function (ele) { return ele.data("fontPx") / ele.cy().zoom(); },
        label: function (ele) { return labelled(ele) ? ele.data("label") : ""; } } },
      { selector: "edge", style: { "line-color": "data(colour)", width: "data(width)",
        "target-arrow-color": "data(colour)", "target-arrow-shape": "triangle",
        "curve-style": "bezier", opacity: 0.8, "arrow-scale": 0.8 } },
      { selector: ".faded", style: { opacity: 0.15 } },
      { selector: ".match", style: { "border-width": 4, "border-color": "#000",
        "font-weight": "bold", label: "data(label)" } },
      { selector: ":selected", style: { "border-width": 4, "border-color": "#0057b8",
        "line-color": "#0057b8", "target-arrow-color": "#0057b8", label: "data(label)" } }
    ]
  });
  function labelled(ele) {
    var budget = LABELS * Math.pow(Math.max(1, ele.cy().zoom() / zoom0), 2);
    return ele.data("shownRank") !== undefined && ele.data("shownRank") < budget;
  }
  var revealed = {};  // node ids a search brought back although hidden by default
  function showAll() { return $("kg-all").checked; }
  function applyFilters() {
    var any = KG.filter(), all = showAll();
    var edgeShown = {}, degree = {};
    data.edges.forEach(function (e) {
      var plain = all || revealed[e.source] || revealed[e.target] ||
                  (!byId[e.source].generic && !byId[e.target].generic);
      edgeShown[e.id] = plain && KG.shown(e.events).length > 0;
      if (edgeShown[e.id]) {
        degree[e.source] = (degree[e.source] || 0) + 1;
        degree[e.target] = (degree[e.target] || 0) + 1;
      }
    });
    var hidden = 0, rank = 0;
    cy.batch(function () {
      data.edges.forEach(function (e) {
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
    counts();
    cy.style().update();
  }
  function counts() {
    var visible = function (x) { return x.visible(); };
    $("kg-node-count").textContent = String(cy.nodes().filter(visible).length);
    $("kg-edge-count").textContent = String(cy.edges().filter(visible).length);
    $("kg-event-count").textContent = String(KG.passingCount());
  }
  function layout() {
    cy.elements().filter(function (x) { return x.visible(); }).layout({
      name: "cose", animate: false, randomize: true, numIter: 1500,
      nodeRepulsion: function () { return 9000; }, idealEdgeLength: function () { return 70; }
    }).run();
    cy.fit(cy.elements().filter(function (x) { return x.visible(); }), 30);
    zoom0 = cy.zoom();
    cy.style().update();
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
  function edgeTitle(e) { return byId[e.source].label + " \u2192 " + byId[e.target].label; }
  cy.on("tap", "node", function (evt) { showNode(evt.target.id()); });
  cy.on("tap", "edge", function (evt) {
    var e = edgeById[evt.target.id()];
    KG.details(edgeTitle(e), KG.quadName(e.quad), e.events);
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
      text = edgeTitle(e) + ": " + KG.shown(e.events).length + " events, " + KG.quadName(e.quad);
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
    window.requestAnimationFrame(function () { pending = false; cy.style().update(); });
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
  $("kg-all").addEventListener("change", function () { applyFilters(); layout(); });
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
                     showNode: showNode, layout: layout,
                     labelled: function () { return cy.nodes().filter(function (n) {
                       return n.visible() && labelled(n); }); },
                     zoom0: function () { return zoom0; } };
  document.body.setAttribute("data-kg-ready", "true");
})();
