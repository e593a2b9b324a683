"""Seeing the graph: interactive HTML pages (the network, the map, an actor timeline),
network, map and timeline pictures.

All start from the actor network (`network.build_network`, on the nodes of
`graphml.to_networkx`) and go back to the RDF for what the network leaves out: the
sentences and documents behind every event and the coordinates of their places. This
module checks the arguments and writes the files; `html` renders the pages, `map` lays
events on the world outline (`atlas`) and `plot` draws the pictures with matplotlib (Agg
backend), imported only when used.
"""
from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from ..atomic import open_output
from ..errors import GraphError
from ..formats import VIEW, by_name, by_suffix, get, suffix_of
from .html import render_html, render_map, render_timeline
from .map import map_data
from .network import acting, actor_events, build_network
from .plot import draw_map, draw_network, draw_timeline

TOP_DYADS = 40  # the network page's first view of a large network: its busiest dyads

PICTURES = ("png", "svg")  # the view formats matplotlib draws
PICTURE_SUFFIXES = tuple(s for name in PICTURES for s in get(name, VIEW).suffixes)
HTML_SUFFIXES = get("html", VIEW).suffixes

__all__ = ["write_html", "write_map", "write_picture", "write_timeline", "PICTURE_SUFFIXES",
           "HTML_SUFFIXES"]


def _output(path: str | Path, fmt: str | None, allowed: tuple[str, ...],
            what: str) -> tuple[Path | str, str]:
    """Where to write (a path with its folder created, or '-' for stdout) and the view
    format: `fmt`, else the one the suffix of `path` names; one of `allowed`."""
    found = by_name(fmt, VIEW) if fmt else by_suffix(path, VIEW)
    if found is None or found.name not in allowed:
        if fmt:
            raise GraphError(f"cannot write a {what} as {fmt}; use one of {', '.join(allowed)}")
        suffixes = [s for name in allowed for s in get(name, VIEW).suffixes]
        raise GraphError(f"{path}: cannot write a {what} as '{suffix_of(path)}'; "
                         f"use one of {', '.join(suffixes)}")
    if str(path) == "-":
        return "-", found.name
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise GraphError(f"{path}: cannot create its folder ({err.strerror})") from None
    return path, found.name


def _written(path: Path | str) -> Path | None:
    """What a writer returns: the path written, None for stdout."""
    return None if str(path) == "-" else Path(path)


def _write_page(path: Path | str, page: str) -> Path | None:
    with open_output(path) as fh:
        fh.write(page)
    return _written(path)


def write_picture(graph: Graph, path: str | Path, *, top: int | None = None,
                  fmt: str | None = None) -> Path | None:
    """Draw the actor network as a static PNG or SVG (`fmt`, else by suffix) for a report.

    Nodes are sized by activity (the number of events they take part in) and filled by
    type; edges join an actor to the other end of its events, one per CAMEO quad class,
    coloured by that class and as wide as their number of events. In SVG every node is a
    group with the id `kg-node-<n>` (most active first).

    Args:
        graph: a kgbuild graph.
        path: the file to write; `.png` or `.svg` unless `fmt` is given; '-': stdout.
        top: keep at most `top` nodes, chosen by whole dyads (`Network.top_dyads`).
        fmt: "png" or "svg" (default: from the suffix).

    Returns:
        The path written (atomically); None for stdout.

    Raises:
        GraphError: an unknown suffix, `top` below 1, or a graph without events.
    """
    path, fmt = _output(path, fmt, PICTURES, "network picture")
    if top is not None and top < 1:
        raise GraphError(f"--top must be at least 1, not {top}")
    network = build_network(graph)
    if not network.nodes:
        raise GraphError("the graph has no events to draw; build it from news text first")

    keys = network.most_active(None) if top is None else network.top_dyads(top)
    draw_network(network, keys, path, fmt, top=top)
    return _written(path)


def write_timeline(graph: Graph, actor: str, path: str | Path, *, other: str | None = None,
                   title: str | None = None, fmt: str | None = None) -> Path | None:
    """Draw one actor's (or one dyad's) events over time: an interactive page (`.html`) or a
    picture (`.png`, `.svg`).

    x is the date of the event (`kg:time`; an event without one is placed at its first
    report, drawn hollow, and one with neither is left out and counted); the rows are CAMEO
    quad classes. The picture annotates each point with its action and target; the page
    filters by date, quad class, CAMEO root and actor like the map page, lists the events
    passing the filters by date, and shows an event's sentences and documents on a click;
    it shows the number of points drawn in `<span id="kg-point-count">`.

    Args:
        graph: a kgbuild graph.
        actor: an ISO country code (`RUS`), an actor label (`NATO`) or a CAMEO actor code
            (`RUSGOV`), matched against `kg:countryCode`, `rdfs:label` and
            `kg:cameoActorCode` case-insensitively.
        path: the file to write; `.html`, `.png` or `.svg` unless `fmt` is given; '-': stdout.
        other: a second actor, given the same way: the events between the two (either one
            acting, the other its target or recipient).
        title: the page title (default: "kgbuild timeline of ACTOR").
        fmt: "html", "png" or "svg" (default: from the suffix).

    Raises:
        GraphError: an unknown suffix, no events of that actor (or dyad), or none with a date.
    """
    path, fmt = _output(path, fmt, ("html",) + PICTURES, "timeline")
    events = actor_events(graph, actor, other)
    who = actor if other is None else f"{actor} and {other}"
    if not events:
        if other is not None:
            raise GraphError(f"no events between '{actor}' and '{other}'; give ISO country codes "
                             "(RUS), CAMEO actor codes (RUSGOV) or actor labels as `kgbuild "
                             "query GRAPH dyads` shows them")
        raise GraphError(f"no events with actor '{actor}'; give an ISO country code (RUS), a "
                         "CAMEO actor code (RUSGOV) or an actor label as `kgbuild query GRAPH "
                         "who-did-what` shows them")
    if not any(e.start for e in events):
        raise GraphError(f"none of the {len(events)} events of '{who}' has a date or a "
                         "report date; build with --date to give plain text a publication date")
    if fmt in PICTURES:
        draw_timeline(events, who, path, fmt)
        return _written(path)

    heading = f"Events {'of' if other is None else 'between'} {who} ({acting(events)} acting)"
    return _write_page(path, render_timeline(events, heading, title or f"kgbuild timeline of {who}"))


def write_html(graph: Graph, path: str | Path, *, title: str | None = None,
               top: int = TOP_DYADS, fmt: str | None = None) -> Path | None:
    """Write the actor network as ONE self-contained, interactive HTML file.

    Nodes are sized by activity and coloured by type or country; edges are coloured by
    CAMEO quad class (with a legend) and as wide as their number of events. Hovering over a
    node or an edge names it; clicking lists the events behind it with their sentences and
    source documents. The page filters by date range, quad class, CAMEO root and actor, and
    has a search box; it shows the number of nodes drawn in `<span id="kg-node-count">`.
    A network of more than `top` dyads opens on the `top` busiest (one edge each, generic
    nodes left out) with a "show all" box; the layout is seeded, the same each time, and
    labels are placed most active first where they cover no other label.
    cytoscape.js (vendored, see kgbuild/viz/vendor/README.md), the page's script and style and
    the data are all inline, and a Content-Security-Policy blocks any request.

    Args:
        graph: a kgbuild graph.
        path: the `.html` (or `.htm`) file to write, any name with `fmt` "html"; '-': stdout.
        title: the page title (default: "kgbuild actor network").
        top: the number of dyads of the first view of a large network.
        fmt: "html" (default: from the suffix).

    Returns:
        The path written (atomically); None for stdout.

    Raises:
        GraphError: a suffix other than .html/.htm, `top` below 1, or the vendored script
            is missing.
    """
    path, fmt = _output(path, fmt, ("html",), "web page")
    if top < 1:
        raise GraphError(f"the first view needs at least 1 dyad, not {top}")

    return _write_page(path, render_html(build_network(graph), title or "kgbuild actor network", top))


def write_map(graph: Graph, path: str | Path, *, title: str | None = None,
              fmt: str | None = None) -> Path | None:
    """Draw the events on a world map: an interactive page (`.html`) or a picture
    (`.png`, `.svg`); `fmt` ("html", "png", "svg") names the format of any path, or of
    '-' (stdout). Returns the path written, None for stdout.

    Each event with a geocoded location is a point at its place, its area by mentions and
    its colour by CAMEO quad class; the events of one place circle it. The page zooms and
    pans, filters by date, quad class, CAMEO root and actor like the network page, finds
    actors, targets and places, names the busiest places and the countries their names
    fit (no label over another), lists the events passing the filters beside the map, and
    the sentences and documents behind a place's events on a click; it shows the number
    of points drawn in `<span id="kg-point-count">`. The outline is the vendored Natural
    Earth 1:110m atlas (kgbuild/viz/vendor/README.md), cut at the antimeridian.

    Raises:
        GraphError: an unknown suffix, or no event with coordinates to draw.
    """
    path, fmt = _output(path, fmt, ("html",) + PICTURES, "map")
    network = build_network(graph)
    if not any(e.lat is not None for e in network.events):
        raise GraphError("no event has a place with coordinates to map; places are geocoded "
                         "when the graph is built (add missing ones with --places FILE)")

    data = map_data(network)
    if fmt in PICTURES:
        draw_map(data, path, fmt)
        return _written(path)

    return _write_page(path, render_map(data, title or "kgbuild event map"))
