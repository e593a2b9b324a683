/* The timeline page: one actor's (or dyad's) events on a date axis, one row per CAMEO
   quad class; see kgbuild/viz write_timeline. */
(function () {
  "use strict";
  var $ = KG.$, data = KG.data, events = KG.events;
  var SVG = "http://www.w3.org/2000/svg", DAY = 86400000;
  var svg = $("kg-svg"), MARGIN = { left: 190, right: 24, top: 16, bottom: 44 };
  var rows = [4, 3, 2, 1, 0].filter(function (q) {
    return events.some(function (ev) { return ev.start && ev.quad === q; });
  });
  function day(iso) { return Date.parse(iso + "T00:00:00Z") / DAY; }
  function iso(d) { return new Date(d * DAY).toISOString().slice(0, 10); }
  function node(tag, cls, parent, attrs) {
    var n = document.createElementNS(SVG, tag);
    if (cls) { n.setAttribute("class", cls); }
    Object.keys(attrs || {}).forEach(function (k) { n.setAttribute(k, String(attrs[k])); });
    parent.appendChild(n);
    return n;
  }
  function text(parent, cls, value, attrs) {
    var t = node("text", cls, parent, attrs);
    t.textContent = value;
    return t;
  }
  function radius(ev) { return Math.min(9, 3.5 + 1.5 * Math.sqrt(ev.count)); }
  function eventLine(ev) {
    return [ev.actor_label, ev.action, ev.recipient || ev.target].filter(Boolean).join(" \u2192 ");
  }
  /* One circle per dated event; a bar behind it when the event lasts more than a day. */
  var marks = {};
  events.forEach(function (ev, i) {
    if (!ev.start) { return; }
    var colour = data.quads[String(ev.quad)].colour;
    var bar = ev.end && ev.end !== ev.start ? node("line", "tl-span", $("kg-points"), { stroke: colour }) : null;
    var c = node("circle", "kg-point", $("kg-points"), {
      fill: ev.date ? colour : "#fff", stroke: ev.date ? "#333" : colour, "data-event": i });
    c.addEventListener("click", function (evt) { evt.stopPropagation(); showEvent(i); });
    c.addEventListener("mouseenter", function (evt) {
      KG.showTip(eventLine(ev) + " \u2014 " + (ev.date || "reported " + ev.reported), evt.clientX, evt.clientY);
    });
    c.addEventListener("mouseleave", KG.hideTip);
    marks[i] = { circle: c, bar: bar };
  });
  /* Date ticks: the first step (days, months or years) that leaves room for each label. */
  var STEPS = [[1, "day"], [2, "day"], [7, "day"], [14, "day"], [1, "month"], [3, "month"],
               [6, "month"], [1, "year"], [2, "year"], [5, "year"], [10, "year"], [25, "year"]];
  var UNIT_DAYS = { day: 1, month: 30.44, year: 365.25 };
  function ticks(d0, d1, room) {
    var step = STEPS.filter(function (s) { return (d1 - d0) / (s[0] * UNIT_DAYS[s[1]]) <= room; })[0] ||
               STEPS[STEPS.length - 1];
    var n = step[0], unit = step[1], at = new Date(d0 * DAY), out = [];
    var t = unit === "day" ? Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate())
          : unit === "month" ? Date.UTC(at.getUTCFullYear(), at.getUTCMonth() - at.getUTCMonth() % n, 1)
          : Date.UTC(at.getUTCFullYear() - at.getUTCFullYear() % n, 0, 1);
    while (t / DAY <= d1) {
      var label = new Date(t).toISOString().slice(0, unit === "day" ? 10 : unit === "month" ? 7 : 4);
      if (t / DAY >= d0) { out.push({ d: t / DAY, label: label }); }
      var next = new Date(t);
      if (unit === "day") { next.setUTCDate(next.getUTCDate() + n); }
      else if (unit === "month") { next.setUTCMonth(next.getUTCMonth() + n); }
      else { next.setUTCFullYear(next.getUTCFullYear() + n); }
      t = next.getTime();
    }
    return out;
  }
  var drawn = [];  // indices of the events drawn, for the status line and a test driver
  function draw() {
    var box = svg.getBoundingClientRect(), w = Math.max(box.width, 300), h = Math.max(box.height, 200);
    svg.setAttribute("viewBox", [0, 0, w, h].join(" "));
    var passing = Object.keys(marks).map(Number).filter(KG.passes);
    var c = { from: $("kg-from").value, to: $("kg-to").value };
    var starts = passing.map(function (i) { return day(events[i].start); });
    var ends = passing.map(function (i) { return day(events[i].end || events[i].start); });
    var d0 = c.from ? day(c.from) : Math.min.apply(null, starts.length ? starts : [0]);
    var d1 = c.to ? day(c.to) : Math.max.apply(null, ends.length ? ends : [1]);
    var pad = Math.max(1, (d1 - d0) * 0.03);
    d0 -= pad;
    d1 += pad;
    var x0 = MARGIN.left, x1 = w - MARGIN.right, band = (h - MARGIN.top - MARGIN.bottom) / Math.max(rows.length, 1);
    function x(d) { return x0 + (Math.min(Math.max(d, d0), d1) - d0) / (d1 - d0) * (x1 - x0); }
    var rowsLayer = $("kg-rows"), axis = $("kg-axis");
    rowsLayer.textContent = "";
    axis.textContent = "";
    rows.forEach(function (q, r) {
      var top = MARGIN.top + r * band;
      node("rect", "tl-band" + (r % 2 ? " odd" : ""), rowsLayer, { x: x0, y: top, width: x1 - x0, height: band });
      text(rowsLayer, "tl-row-label", KG.quadName(q), { x: x0 - 8, y: top + band / 2 + 4, "text-anchor": "end" });
    });
    var axisY = MARGIN.top + rows.length * band;
    node("line", "tl-axis-line", axis, { x1: x0, x2: x1, y1: axisY, y2: axisY });
    ticks(d0, d1, Math.max(2, Math.floor((x1 - x0) / 90))).forEach(function (t) {
      node("line", "tl-tick", axis, { x1: x(t.d), x2: x(t.d), y1: MARGIN.top, y2: axisY + 5 });
      var at = x(t.d), anchor = at + 40 > w ? "end" : at < 40 ? "start" : "middle";  // inside the page
      text(axis, "tl-tick-label", t.label, { x: at, y: axisY + 20, "text-anchor": anchor });
    });
    /* Within its row each point takes the first level (from the middle out) where it
       clears the point before it; past the row's room, the least crowded level. */
    var levels = {}, room = {};
    rows.forEach(function (q) { levels[q] = []; room[q] = Math.max(1, Math.floor(band / 20)); });
    drawn = [];
    Object.keys(marks).map(Number).forEach(function (i) {
      var m = marks[i], show = KG.passes(i);
      m.circle.style.display = show ? "" : "none";
      if (m.bar) { m.bar.style.display = show ? "" : "none"; }
    });
    passing.sort(function (a, b) { return day(events[a].start) - day(events[b].start) || a - b; })
      .forEach(function (i) {
        var ev = events[i], r = radius(ev), cx = x(day(ev.start)), used = levels[ev.quad];
        var level = 0;
        while (level < room[ev.quad] && used[level] !== undefined && used[level] > cx - 2 * r - 1) { level += 1; }
        if (level >= room[ev.quad]) {
          level = used.indexOf(Math.min.apply(null, used));
        }
        used[level] = cx;
        var offset = (level % 2 ? 1 : -1) * Math.ceil(level / 2) * 20;
        var cy = MARGIN.top + rows.indexOf(ev.quad) * band + band / 2 + offset;
        marks[i].circle.setAttribute("cx", String(cx));
        marks[i].circle.setAttribute("cy", String(cy));
        marks[i].circle.setAttribute("r", String(r));
        if (marks[i].bar) {
          var bar = marks[i].bar;
          bar.setAttribute("x1", String(cx));
          bar.setAttribute("x2", String(x(day(ev.end))));
          bar.setAttribute("y1", String(cy));
          bar.setAttribute("y2", String(cy));
        }
        drawn.push(i);
      });
    $("kg-point-count").textContent = String(drawn.length);
  }
  function showEvent(i) {
    Object.keys(marks).forEach(function (j) { marks[j].circle.classList.toggle("selected", Number(j) === i); });
    var ev = events[i];
    KG.details(eventLine(ev), ev.date || (ev.reported ? "reported " + ev.reported : "no date"), [i]);
  }
  function search() {
    var q = $("kg-search").value.trim().toLowerCase(), hits = [];
    Object.keys(marks).forEach(function (i) {
      var hit = q && KG.eventText(events[i]).indexOf(q) >= 0;
      marks[i].circle.classList.toggle("match", Boolean(hit));
      marks[i].circle.classList.toggle("faded", Boolean(q) && !hit);
      if (hit && KG.passes(Number(i))) { hits.push(Number(i)); }
    });
    return hits;
  }
  function applyFilters() {
    KG.filter();
    draw();
    KG.eventList(function (row, ev, i) {
      if (!ev.start) { return; }
      row.classList.add("placed");
      row.addEventListener("click", function (evt) {
        if (evt.target.tagName !== "A") { showEvent(i); }
      });
    });
    var passing = events.filter(function (ev, i) { return KG.passes(i); });
    $("kg-event-count").textContent = String(passing.length);
    $("kg-undated-count").textContent = String(passing.filter(function (ev) { return !ev.start; }).length);
    search();
  }
  $("kg-heading").textContent = data.heading;
  KG.setupControls(function (ev) { return ev.actor_label; }, applyFilters);
  $("kg-search").addEventListener("input", search);
  $("kg-reset").addEventListener("click", function () { KG.resetControls(); applyFilters(); });
  svg.addEventListener("click", function () { KG.hint("Click a point to read its sentences."); });
  var legend = $("kg-legend");
  KG.quadLegend(legend, "Points: CAMEO quad class", "swatch");
  legend.appendChild(KG.el("p", "meta", "One point per event, its size by mentions; hollow: no " +
                           "date of its own, placed at its first report; a bar: the event lasts."));
  window.addEventListener("resize", draw);
  applyFilters();
  // for scripting the page from the console or a test driver
  window.kgbuild = { data: data, applyFilters: applyFilters, search: search, showEvent: showEvent,
                     drawn: function () { return drawn.slice(); } };
  document.body.setAttribute("data-kg-ready", "true");
})();
