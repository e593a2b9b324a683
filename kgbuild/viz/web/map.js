/* The map page: events as points on the Natural Earth outline; see kgbuild/viz.py write_map. */
(function () {
  "use strict";
  var $ = KG.$, data = KG.data, events = KG.events;
  var SVG = "http://www.w3.org/2000/svg";
  var svg = $("kg-svg"), land = $("kg-land"), layer = $("kg-points");
  var PLACE_PX = 12, COUNTRY_PX = 10, MAX_PLACE_LABELS = 30;
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
  /* Labels: the busiest places (by mentions of the events shown) and the names of the
     countries wide enough on screen for them, none over another (checked in screen
     pixels, busiest place first, then the widest countries). Sizes are measured once. */
  function label(group, cls, text, px) {
    var t = document.createElementNS(SVG, "text");
    t.setAttribute("class", cls);
    t.setAttribute("font-size", String(px));
    t.textContent = text;
    group.appendChild(t);
    return { node: t, px: px, width: t.getComputedTextLength() };
  }
  var countryLabels = data.countries.map(function (c) {
    return { c: c, t: label($("kg-country-labels"), "country-label", c.name, COUNTRY_PX) };
  });
  var placeLabels = {};
  data.places.forEach(function (p) { placeLabels[p.id] = label($("kg-place-labels"), "place-label", p.label, PLACE_PX); });
  var shownLabels = [];
  function overlaps(a, b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  }
  function putLabel(t, box, s, taken, kind) {  // box in screen pixels; true if drawn
    var inside = box.x >= 0 && box.y >= 0 && box.x + box.w <= s.w && box.y + box.h <= s.h;
    if (!inside || taken.some(function (b) { return overlaps(b, box); })) { return false; }
    taken.push(box);
    var k = view.k;
    t.node.style.display = "";
    t.node.setAttribute("font-size", String(t.px / k));
    t.node.setAttribute("x", String(view.x + (box.x - s.w / 2) / k));
    t.node.setAttribute("y", String(view.y + (box.y + box.h * 0.8 - s.h / 2) / k));
    shownLabels.push({ kind: kind, text: t.node.textContent, box: box });
    return true;
  }
  function drawLabels(s, mentions) {
    var k = view.k, taken = [];
    shownLabels = [];
    function screen(x, y) { return { x: (x - view.x) * k + s.w / 2, y: (y - view.y) * k + s.h / 2 }; }
    countryLabels.forEach(function (l) { l.t.node.style.display = "none"; });
    Object.keys(placeLabels).forEach(function (id) { placeLabels[id].node.style.display = "none"; });
    var busy = data.places.filter(function (p) { return mentions[p.id] > 0; });
    busy.forEach(function (p) {  // the points themselves are not covered by labels
      var c = screen(p.x, p.y), r = 3 + 2.5 * Math.sqrt(mentions[p.id]);
      taken.push({ x: c.x - r, y: c.y - r, w: 2 * r, h: 2 * r });
    });
    busy.sort(function (a, b) { return mentions[b.id] - mentions[a.id] || a.label.localeCompare(b.label); })
      .slice(0, MAX_PLACE_LABELS).forEach(function (p) {
        var t = placeLabels[p.id], c = screen(p.x, p.y), h = t.px * 1.2, gap = 9;
        var own = taken.filter(function (b) { return !(Math.abs(b.x + b.w / 2 - c.x) < 0.01 &&
                                                       Math.abs(b.y + b.h / 2 - c.y) < 0.01); });
        [{ x: c.x + gap, y: c.y - h / 2 }, { x: c.x - gap - t.width, y: c.y - h / 2 },
         { x: c.x - t.width / 2, y: c.y - gap - h }, { x: c.x - t.width / 2, y: c.y + gap }]
          .some(function (at) {
            var box = { x: at.x, y: at.y, w: t.width, h: h };
            if (!putLabel(t, box, s, own, "place")) { return false; }
            taken.push(box);
            return true;
          });
      });
    countryLabels.slice().sort(function (a, b) { return b.c.w - a.c.w; }).forEach(function (l) {
      if (l.c.w * k < l.t.width + 12) { return; }  // the name does not fit the country
      var c = screen(l.c.x, l.c.y), h = l.t.px * 1.2;
      putLabel(l.t, { x: c.x - l.t.width / 2, y: c.y - h / 2, w: l.t.width, h: h }, s, taken, "country");
    });
  }
  var view = { x: 180, y: 90, k: 1 };  // map point at the centre, pixels per degree
  function size() {
    var box = svg.getBoundingClientRect();
    return { w: Math.max(box.width, 100), h: Math.max(box.height, 100) };
  }
  function draw() {
    var s = size(), k = view.k, mentions = {};
    svg.setAttribute("viewBox", [view.x - s.w / 2 / k, view.y - s.h / 2 / k, s.w / k, s.h / k].join(" "));
    data.places.forEach(function (p) {
      var n = 0;
      mentions[p.id] = 0;
      p.events.forEach(function (i) {
        var c = circles[i];
        if (!KG.passes(i)) { c.style.display = "none"; return; }
        c.style.display = "";
        mentions[p.id] += events[i].count;
        var angle = n * 2.39996, dist = n ? 7 * Math.sqrt(n) : 0;
        c.setAttribute("cx", String(p.x + dist * Math.cos(angle) / k));
        c.setAttribute("cy", String(p.y + dist * Math.sin(angle) / k));
        c.setAttribute("r", String(radius(events[i]) / k));
        n += 1;
      });
    });
    drawLabels(s, mentions);
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
  /* The events passing the filters beside the map (`KG.eventList`); a click on a row
     with a place shows the events at its place. */
  function eventList() {
    KG.eventList(function (row, ev, i) {
      if (!ev.place) { return; }
      row.classList.add("placed");
      row.addEventListener("click", function (evt) {
        if (evt.target.tagName === "A") { return; }
        showPlace(ev.place, i);
      });
    });
  }
  var histogram = null;  // made once the controls are set up (below)
  function applyFilters() {
    KG.filter();
    draw();
    eventList();
    histogram.draw();
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
  histogram = KG.histogram($("kg-histogram"), applyFilters);
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
                     fit: fit, view: view, labels: function () { return shownLabels; },
                     histogram: histogram,
                     points: function () { return Object.keys(circles).filter(function (i) {
                       return circles[i].style.display !== "none"; }).length; } };
  document.body.setAttribute("data-kg-ready", "true");
})();
