"""The interactive pages: the actor network (cytoscape.js inlined), the map view and the
actor timeline.

The page text is in `kgbuild/viz/templates/`: `page.html`, the frame every page shares,
with a `${body}` field for the page's own part (`network.html`, `map.html`,
`timeline.html`). A page makes no request when it is viewed: the vendored library, the
page's own script and style (`kgbuild/viz/web/`: `common.js` shared by the pages,
`network.js`, `map.js` with `histogram.js`, `timeline.js`, `style.css`), and the data (a
`<script type="application/json">` block) are all inline, and a Content-Security-Policy
of `default-src 'none'` blocks anything else. Text from the
news is only ever put into the page with `textContent`, never as markup.
"""
from __future__ import annotations

import html
import json
import re
import string
from collections import Counter
from dataclasses import asdict
from importlib import resources

from ..errors import GraphError
from .network import TYPE_COLOURS, Network, VizEvent, is_generic, quad_legend

CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"
VENDORED_JS = "vendor/cytoscape.min.js"
#: The seed of the network page's layout: the same graph is laid out the same way each time.
LAYOUT_SEED = 7
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


def _package_text(name: str) -> str:
    try:
        return resources.files("kgbuild.viz").joinpath(name).read_text("utf-8")
    except (FileNotFoundError, OSError) as err:
        raise GraphError(f"{name} is missing from the kgbuild package ({err}); "
                         "reinstall kgbuild") from None


def vendored_script() -> str:
    """The vendored cytoscape.js (see kgbuild/viz/vendor/README.md)."""
    return _package_text(VENDORED_JS)


def _app(*names: str) -> str:
    """The shared page script followed by the page's own (`kgbuild/viz/web/`)."""
    return "\n".join(_package_text(f"web/{name}") for name in ("common.js", *names))


def dyad_edges(network: Network, ids: dict[str, str], dyads: list) -> list[dict]:
    """One edge per dyad of `dyads` (`Network.dyads`), coloured by its commonest quad class
    (the more conflictual on a tie), with the number of its events in each."""
    edges = []
    for i, ((a, b), events) in enumerate(dyads):
        quads = Counter(network.events[e].quad for e in events)
        edges.append({"id": f"d{i}", "source": ids[a], "target": ids[b], "events": events,
                      "quad": max(quads, key=lambda q: (quads[q], q)),
                      "quads": {str(q): n for q, n in sorted(quads.items())}})
    return edges


def page_data(network: Network, title: str, top: int) -> dict:
    """The JSON the page draws: nodes, aggregated edges, events and their mentions, the
    `top` busiest dyads between nodes that are not generic (`dyad_edges`: the first view
    when there are more) and the number of those dyads."""
    dyads = network.dyads(lambda key: not is_generic(key, network.nodes[key]))
    ids = {key: f"n{i}" for i, key in enumerate(network.most_active(None))}
    keys = {key: i for i, key in enumerate(network.most_active(None))}
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
                   "activity": a["activity"], "events": a["events"], "generic": is_generic(key, a)}
                  for key, a in sorted(network.nodes.items(), key=lambda item: keys[item[0]])],
        "edges": [{"id": f"e{i}", "source": ids[u], "target": ids[v], "quad": quad, "events": evs}
                  for i, ((u, v, quad), evs) in enumerate(network.edges.items())],
        "dyads": dyad_edges(network, ids, dyads[:top]), "dyadCount": len(dyads),
        "layoutSeed": LAYOUT_SEED,
        "events": events,
        "quads": quad_legend(),
        "typeColours": TYPE_COLOURS,
        "countryColours": {c: COUNTRY_PALETTE[i % len(COUNTRY_PALETTE)]
                           for i, c in enumerate(countries)},
    }


def _page(page: str, parts: dict[str, str]) -> str:
    """The page `templates/{page}.html` inside `templates/page.html`, its `${...}` fields
    filled in one pass (so that text inside the data can never be taken for a field)."""
    fields = {"csp": html.escape(CSP), "style": _package_text("web/style.css"), "lib": "",
              "body": _package_text(f"templates/{page}.html"), **parts}
    return string.Template(_package_text("templates/page.html")).substitute(fields)


def render_html(network: Network, title: str, top: int) -> str:
    """The network page for `network` (see `kgbuild.viz.write_html`), as text."""
    return _page("network", {
        "title": html.escape(title), "data": script_json(page_data(network, title, top)),
        "lib": f"<script>{_inline_js(vendored_script())}</script>\n",
        "app": _inline_js(_app("network.js"))})


def render_timeline(events: list[VizEvent], heading: str, title: str) -> str:
    """The timeline page of `events` (see `kgbuild.viz.write_timeline`), as text."""
    data = {"title": title, "heading": heading, "events": [asdict(e) for e in events],
            "quads": quad_legend()}
    return _page("timeline", {"title": html.escape(title), "data": script_json(data),
                              "app": _inline_js(_app("timeline.js"))})


def render_map(data: dict, title: str) -> str:
    """The map page for the data of `kgbuild.viz.map.map_data` (see `kgbuild.viz.write_map`)."""
    return _page("map", {"title": html.escape(title), "data": script_json({**data, "title": title}),
                         "app": _inline_js(_app("histogram.js", "map.js"))})
