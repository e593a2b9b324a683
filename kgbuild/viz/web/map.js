/* The map page: events as points on the Natural Earth outline; see kgbuild/viz.py write_map. */
(function () {
  "use strict";
  var $ = KG.$, data = KG.data, events = KG.events;
  var SVG = "http://www.w3.org/2000/svg";
  var svg = $("kg-svg"), land = $("kg-land"), layer = $("kg-points");
  data.outline.forEach(function (d) {
    var path = document.createElementNS(SVG, "path");
    path.setAttribute("d", d);
    path.setAttribute("class", "land");
    land.appendChild(path);
  });
  var placeById = {};
  data.places.forEach(function (p) { placeById[p.id] = p; });
  /* One circle per event with coordinates, r in screen pixels by its mentions; the events
     of one place sit on a sunflower spiral around it so that each can be clicked. */
  var circles = {};
  events.forEach(function (ev, i) {
    if (!ev.place) { return; }
    var c = document.createElementNS(SVG, "circle");
    c.setAttribute("class", "kg-point");
    c.setAttribute("fill", data.quads[String(ev.quad)].colour);
    c.setAttribute("data-event", String(i));
    c.addEventListener("click", function (evt) { evt.stopPropagation(); showPlace(ev.place, i); });
    c.addEventListener("mouseenter", function (evt) {
      var other = ev.recipient || ev.target;
      KG.showTip([ev.actor_label, ev.action, other].filter(Boolean).join(" \u2192 ") + " \u2014 " +
                 placeById[ev.place].label + " (" + ev.count + (ev.count === 1 ? " mention)" : " mentions)"),
                 evt.clientX, evt.clientY);
    });
    c.addEventListener("mouseleave", KG.hideTip);
    layer.appendChild(c);
    circles[i] = c;
  });
  function radius(ev) { return 3 + 2.5 * Math.sqrt(ev.count); }
  var view = { x: 180, y: 90, k: 1 };  // map point at the centre, pixels per degree
  function size() {
    var box = svg.getBoundingClientRect();
    return { w: Math.max(box.width, 100), h: Math.max(box.height, 100) };
  }
  function draw() {
    var s = size(), k = view.k;
    svg.setAttribute("viewBox", [view.x - s.w / 2 / k, view.y - s.h / 2 / k, s.w / k, s.h / k].join(" "));
    data.places.forEach(function (p) {
      var n = 0;
      p.events.forEach(function (i) {
        var c = circles[i];
        if (!KG.passes(i)) { c.style.display = "none"; return; }
        c.style.display = "";
        var angle = n * 2.39996, dist = n ? 7 * Math.sqrt(n) : 0;
        c.setAttribute("cx", String(p.x + dist * Math.cos(angle) / k));
        c.setAttribute("cy", String(p.y + dist * Math.sin(angle) / k));
        c.setAttribute("r", String(radius(events[i]) / k));
        n += 1;
      });
    });
  }
  function fit(points) {
    var s = size(), xs = [], ys = [];
    (points || data.places).forEach(function (p) { xs.push(p.x); ys.push(p.y); });
    if (!xs.length) { xs = [0, 360]; ys = [5, 150]; }
    var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs);
    var y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
    var w = Math.max(x1 - x0, 12), h = Math.max(y1 - y0, 8);
    view.x = (x0 + x1) / 2;
    view.y = (y0 + y1) / 2;
    view.k = Math.min(s.w / (w * 1.3), s.h / (h * 1.3));
    draw();
  }
  function zoomAt(factor, px, py) {
    var s = size(), k = view.k;
    var mx = view.x + (px - s.w / 2) / k, my = view.y + (py - s.h / 2) / k;
    view.k = Math.min(400, Math.max(0.5, k * factor));
    view.x = mx - (px - s.w / 2) / view.k;
    view.y = my - (py - s.h / 2) / view.k;
    draw();
  }
  svg.addEventListener("wheel", function (evt) {
    evt.preventDefault();
    var box = svg.getBoundingClientRect();
    zoomAt(evt.deltaY < 0 ? 1.25 : 0.8, evt.clientX - box.left, evt.clientY - box.top);
  }, { passive: false });
  var drag = null;
  svg.addEventListener("pointerdown", function (evt) { drag = { x: evt.clientX, y: evt.clientY }; });
  window.addEventListener("pointerup", function () { drag = null; });
  window.addEventListener("pointermove", function (evt) {
    if (!drag) { return; }
    view.x -= (evt.clientX - drag.x) / view.k;
    view.y -= (evt.clientY - drag.y) / view.k;
    drag = { x: evt.clientX, y: evt.clientY };
    draw();
  });
  $("kg-zoom-in").addEventListener("click", function () { var s = size(); zoomAt(1.5, s.w / 2, s.h / 2); });
  $("kg-zoom-out").addEventListener("click", function () { var s = size(); zoomAt(1 / 1.5, s.w / 2, s.h / 2); });
  $("kg-world").addEventListener("click", function () { fit([{ x: 0, y: 5 }, { x: 360, y: 150 }]); });
  $("kg-fit").addEventListener("click", function () { fit(shownPlaces()); });
  function shownPlaces() {
    return data.places.filter(function (p) { return KG.shown(p.events).length > 0; });
  }
  function showPlace(id, first) {
    var p = placeById[id];
    var list = [first].concat(p.events.filter(function (i) { return i !== first; }));
    KG.details(p.label, [p.kind, p.country, p.lat.toFixed(3) + ", " + p.lon.toFixed(3)]
      .filter(Boolean).join(" \u00b7 "), first === undefined ? p.events : list);
  }
  function applyFilters() {
    KG.filter();
    draw();
    var placed = 0, unplaced = 0;
    events.forEach(function (ev, i) {
      if (!KG.passes(i)) { return; }
      if (ev.place) { placed += 1; } else { unplaced += 1; }
    });
    $("kg-point-count").textContent = String(placed);
    $("kg-place-count").textContent = String(shownPlaces().length);
    $("kg-event-count").textContent = String(placed + unplaced);
    $("kg-unplaced-count").textContent = String(unplaced);
    search();
  }
  function search() {
    var q = $("kg-search").value.trim().toLowerCase(), hits = [];
    Object.keys(circles).forEach(function (i) {
      var ev = events[i], c = circles[i];
      var hit = q && (KG.eventText(ev).indexOf(q) >= 0 ||
                      placeById[ev.place].label.toLowerCase().indexOf(q) >= 0);
      c.classList.toggle("match", Boolean(hit));
      c.classList.toggle("faded", Boolean(q) && !hit);
      if (hit && KG.passes(Number(i))) { hits.push(Number(i)); }
    });
    return hits;
  }
  KG.setupControls(function (ev) { return ev.actor_label; }, applyFilters);
  $("kg-search").addEventListener("input", search);
  $("kg-search").addEventListener("keydown", function (evt) {
    if (evt.key !== "Enter") { return; }
    var hits = search();
    if (hits.length) { fit(hits.map(function (i) { return placeById[events[i].place]; })); }
  });
  $("kg-reset").addEventListener("click", function () { KG.resetControls(); applyFilters(); fit(shownPlaces()); });
  svg.addEventListener("click", function () { KG.hint("Click a point to see the events at its place."); });
  var box = $("kg-legend");
  KG.quadLegend(box, "Points: CAMEO quad class", "swatch");
  box.appendChild(KG.el("p", "meta", "One point per event, its area by mentions; the events of " +
                        "one place circle it. Scroll or use +/\u2212 to zoom, drag to pan."));
  window.addEventListener("resize", draw);
  applyFilters();
  fit(shownPlaces());
  // for scripting the page from the console or a test driver
  window.kgbuild = { data: data, applyFilters: applyFilters, search: search, showPlace: showPlace,
                     fit: fit, view: view,
                     points: function () { return Object.keys(circles).filter(function (i) {
                       return circles[i].style.display !== "none"; }).length; } };
  document.body.setAttribute("data-kg-ready", "true");
})();
