/* kgbuild pages: what the network page and the map page share (data, filters, details). */
var KG = (function () {
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
  var data = JSON.parse($("kg-data").textContent);
  var events = data.events;
  var passing = events.map(function () { return true; });
  function quadName(q) { var d = data.quads[String(q)]; return (q ? q + " " : "") + d.name; }
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
  var passingBesidesDate = passing;
  function filter() {  // recompute which events pass the controls; true if any is set
    var c = controls(), undated = Object.assign({}, c, { from: "", to: "" });
    passing = events.map(function (ev) { return passes(ev, c); });
    passingBesidesDate = events.map(function (ev) { return passes(ev, undated); });
    return Boolean(c.from || c.to || c.quad || c.root || c.actor);
  }
  function shown(list) { return list.filter(function (i) { return passing[i]; }); }
  function passingCount() { return passing.filter(Boolean).length; }
  /* The words of an event a search can find: actor, target, recipient and place. */
  function eventText(ev) {
    return [ev.actor_label, ev.target, ev.recipient, ev.location].join("\n").toLowerCase();
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
      box.appendChild(sourceLine(m));
    });
    return box;
  }
  /* "— doc · title · date · URL" of one report, the URL a link when it is http(s). */
  function sourceLine(m) {
    var parts = [m.doc, m.title, m.published].filter(Boolean).join(" \u00b7 ");
    var line = el("div", "source", "\u2014 " + parts);
    if (m.url) {
      if (parts) { line.appendChild(document.createTextNode(" \u00b7 ")); }
      if (/^https?:\/\//i.test(m.url)) {
        var a = el("a", null, m.url);
        a.href = m.url;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        line.appendChild(a);
      } else {
        line.appendChild(document.createTextNode(m.url));
      }
    }
    return line;
  }
  function details(heading, sub, list) {
    var box = $("kg-details"), rows = shown(list);
    box.textContent = "";
    box.appendChild(el("h2", null, heading));
    if (sub) { box.appendChild(el("div", "meta", sub)); }
    box.appendChild(el("h3", null, rows.length + " of " + list.length + " events shown"));
    rows.forEach(function (i) { box.appendChild(eventBlock(events[i])); });
  }
  /* The events passing the filters in #kg-list, dated ones first by date (the first
     LIST_ROWS), each with its first sentence and document; `decorate(row, ev, i)` lets
     the page make a row clickable. */
  var LIST_ROWS = 200;
  function eventList(decorate) {
    var box = $("kg-list"), rows = shown(events.map(function (ev, i) { return i; }));
    rows.sort(function (a, b) {
      var x = events[a].start, y = events[b].start;
      return (!x) - (!y) || (x < y ? -1 : x > y ? 1 : a - b);
    });
    box.textContent = "";
    box.appendChild(el("h3", null, rows.length + (rows.length === 1 ? " event passes" : " events pass") +
      " the filters" + (rows.length > LIST_ROWS ? "; the first " + LIST_ROWS + " by date:" : "")));
    rows.slice(0, LIST_ROWS).forEach(function (i) {
      var ev = events[i], row = el("div", "event list-row"), m = ev.mentions[0];
      row.setAttribute("data-event", String(i));
      var other = ev.recipient || ev.target;
      row.appendChild(el("div", null, [ev.actor_label, ev.action, other].filter(Boolean).join(" \u2192 ")));
      row.appendChild(el("div", "meta", [ev.date || (ev.reported ? "reported " + ev.reported : "no date"),
        ev.code ? "CAMEO " + ev.code : "", ev.location ? "at " + ev.location : "no place"]
        .filter(Boolean).join(" \u00b7 ")));
      if (m) {
        row.appendChild(el("blockquote", null, m.sentence));
        row.appendChild(sourceLine(m));
      }
      decorate(row, ev, i);
      box.appendChild(row);
    });
  }
  function hint(text) {
    $("kg-details").textContent = "";
    $("kg-details").appendChild(el("p", "hint", text));
  }
  function quadLegend(box, heading, cls) {
    box.appendChild(el("h3", null, heading));
    Object.keys(data.quads).sort(function (a, b) {
      return (a === "0") - (b === "0") || a - b;  // 1 to 4, then "no event type"
    }).forEach(function (q) {
      var row = el("div", "legend-row"), mark = el("span", cls);
      mark.style.background = data.quads[q].colour;
      row.appendChild(mark);
      row.appendChild(el("span", null, quadName(Number(q))));
      box.appendChild(row);
    });
  }
  /* Fill the quad, root and actor menus and the date range; call `apply` on change. */
  function setupControls(actorLabel, apply) {
    [1, 2, 3, 4, 0].forEach(function (q) { option($("kg-quad"), String(q), quadName(q)); });
    var roots = {};
    events.forEach(function (ev) { if (ev.root) { roots[ev.root] = (roots[ev.root] || 0) + 1; } });
    Object.keys(roots).sort().forEach(function (r) {
      option($("kg-root"), r, r + " (" + roots[r] + " events)");
    });
    var actors = {};
    events.forEach(function (ev) { actors[ev.actor] = actorLabel(ev); });
    Object.keys(actors).sort(function (a, b) { return actors[a].localeCompare(actors[b]); })
      .forEach(function (id) { option($("kg-actor"), id, actors[id]); });
    var dates = events.map(function (ev) { return ev.start; }).filter(Boolean).sort();
    ["kg-from", "kg-to"].forEach(function (id) {  // the date pickers open on the data's range
      if (dates.length) { $(id).min = dates[0]; $(id).max = dates[dates.length - 1]; }
    });
    ["kg-from", "kg-to", "kg-quad", "kg-root", "kg-actor"].forEach(function (id) {
      $(id).addEventListener("change", apply);
    });
  }
  function resetControls() {
    ["kg-from", "kg-to", "kg-quad", "kg-root", "kg-actor", "kg-search"].forEach(function (id) {
      $(id).value = "";
    });
  }
  var tip = $("kg-tip");
  function showTip(text, x, y) {
    tip.textContent = text;
    tip.hidden = false;
    tip.style.left = (x + 12) + "px";
    tip.style.top = (y + 12) + "px";
  }
  function hideTip() { tip.hidden = true; }
  return { $: $, el: el, say: say, data: data, events: events, quadName: quadName,
           filter: filter, shown: shown, passingCount: passingCount, eventText: eventText,
           details: details, hint: hint, eventList: eventList, sourceLine: sourceLine, quadLegend: quadLegend, setupControls: setupControls,
           resetControls: resetControls, showTip: showTip, hideTip: hideTip,
           passes: function (i) { return passing[i]; },
           passesBesidesDate: function (i) { return passingBesidesDate[i]; } };
})();
