/* A time histogram of the events whose brush sets the date range (the map page).
   Bins are days, months or years, whichever keeps the span of the events' first days
   (`start`) within MAX_BINS; an event counts in the bin of its first day. The bars count
   the events passing every filter but the date range, so the brush can widen the range
   again; the bins of the range are drawn dark. Events without any date are counted aside. */
KG.histogram = function (box, apply) {
  "use strict";
  var $ = KG.$, el = KG.el, events = KG.events;
  var SVG = "http://www.w3.org/2000/svg", MAX_BINS = 120;
  var UNITS = [["day", 10, "Events per day"], ["month", 7, "Events per month"],
               ["year", 4, "Events per year"]];
  function step(t, unit) {  // the first instant of the bin after the one starting at t
    var d = new Date(t);
    if (unit === "day") { return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1); }
    if (unit === "month") { return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1); }
    return Date.UTC(d.getUTCFullYear() + 1, 0, 1);
  }
  function binsOf(first, last, unit) {  // [{key, from, to}] from first to last (ISO days)
    var t = Date.parse(first.slice(0, unit[1]) + "-01-01".slice(unit[1] - 4) + "T00:00:00Z");
    var end = Date.parse(last + "T00:00:00Z"), out = [];
    while (t <= end && (unit[0] === "year" || out.length <= MAX_BINS)) {
      var next = step(t, unit[0]), from = new Date(t).toISOString().slice(0, 10);
      out.push({ key: from.slice(0, unit[1]), from: from,
                 to: new Date(next - 864e5).toISOString().slice(0, 10) });
      t = next;
    }
    return out;
  }
  var starts = events.map(function (ev) { return ev.start; }).filter(Boolean).sort();
  var unit = UNITS[UNITS.length - 1], bins = [];
  UNITS.some(function (u) {
    if (!starts.length) { return true; }
    unit = u;
    bins = binsOf(starts[0], starts[starts.length - 1], u);
    return bins.length <= MAX_BINS;
  });
  var index = {};
  bins.forEach(function (b, i) { index[b.key] = i; });
  box.appendChild(el("h3", null, unit[2]));
  var svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("id", "kg-histogram-svg");
  svg.setAttribute("viewBox", "0 0 " + Math.max(bins.length, 1) + " 1");
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", unit[2].toLowerCase() + "; drag to choose the dates");
  var selection = document.createElementNS(SVG, "rect");
  selection.setAttribute("class", "kg-brush");
  selection.setAttribute("y", "0");
  selection.setAttribute("height", "1");
  svg.appendChild(selection);
  var bars = bins.map(function (b, i) {
    var r = document.createElementNS(SVG, "rect");
    r.setAttribute("class", "kg-bar");
    r.setAttribute("x", String(i + 0.1));
    r.setAttribute("width", "0.8");
    r.setAttribute("data-from", b.from);
    r.setAttribute("data-to", b.to);
    svg.appendChild(r);
    return r;
  });
  box.appendChild(svg);
  var axis = el("div", "kg-histogram-axis");
  axis.appendChild(el("span", null, bins.length ? bins[0].key : ""));
  axis.appendChild(el("span", null, bins.length ? bins[bins.length - 1].key : ""));
  box.appendChild(axis);
  var note = el("div", "meta"), undatedCount = el("span");
  undatedCount.id = "kg-undated-count";
  note.appendChild(undatedCount);
  var noteText = note.appendChild(document.createTextNode(""));
  box.appendChild(note);
  /* The bins [a, b] of the date range in the From/to fields (all when they are empty). */
  function range() {
    var from = $("kg-from").value, to = $("kg-to").value, a = 0, b = bins.length - 1;
    bins.forEach(function (bin, i) {
      if (from && bin.to < from) { a = i + 1; }
      if (to && bin.from > to && b >= i) { b = i - 1; }
    });
    return [a, b];
  }
  function draw() {
    var counts = bins.map(function () { return 0; }), undated = 0;
    events.forEach(function (ev, i) {
      if (!KG.passesBesidesDate(i)) { return; }
      if (!ev.start) { undated += 1; return; }
      counts[index[ev.start.slice(0, unit[1])]] += 1;
    });
    var top = Math.max.apply(null, counts.concat([1])), r = range();
    var set = Boolean($("kg-from").value || $("kg-to").value);
    bars.forEach(function (bar, i) {
      var h = counts[i] / top;
      bar.setAttribute("y", String(1 - h));
      bar.setAttribute("height", String(h));
      bar.setAttribute("data-count", String(counts[i]));
      bar.classList.toggle("out", set && (i < r[0] || i > r[1]));
    });
    selection.style.display = set && r[0] <= r[1] ? "" : "none";
    selection.setAttribute("x", String(r[0]));
    selection.setAttribute("width", String(Math.max(r[1] - r[0] + 1, 0)));
    undatedCount.textContent = String(undated);
    noteText.textContent = (undated === 1 ? " event" : " events") +
      " without any date, not drawn; drag across the bars to choose the dates";
  }
  /* Set the date range to the bins a to b (either order) and apply the filters. */
  function brush(a, b) {
    var lo = Math.max(Math.min(a, b), 0), hi = Math.min(Math.max(a, b), bins.length - 1);
    if ($("kg-from").value === bins[lo].from && $("kg-to").value === bins[hi].to) { return; }
    $("kg-from").value = bins[lo].from;
    $("kg-to").value = bins[hi].to;
    apply();
  }
  function binAt(clientX) {
    var rect = svg.getBoundingClientRect();
    return Math.floor((clientX - rect.left) / Math.max(rect.width, 1) * bins.length);
  }
  var start = null;
  svg.addEventListener("pointerdown", function (evt) {
    if (!bins.length) { return; }
    evt.preventDefault();
    start = binAt(evt.clientX);
    brush(start, start);
  });
  window.addEventListener("pointermove", function (evt) {
    if (start !== null) { brush(start, binAt(evt.clientX)); }
  });
  window.addEventListener("pointerup", function () { start = null; });
  return { draw: draw, brush: brush, bins: bins, unit: unit[0] };
};
