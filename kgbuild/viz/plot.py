"""Drawing the actor network and actor timelines with matplotlib (Agg backend).

`kgbuild.viz` decides what to draw (`write_picture`, `write_timeline`); this module only
draws it, as PNG or SVG (the format given), atomically to a file or to stdout ('-').
"""
from __future__ import annotations

import textwrap
import warnings
from collections import Counter, defaultdict
from pathlib import Path

from ..atomic import open_output
from .atlas import drawn_shapes
from .network import QUAD_CLASSES, TYPE_COLOURS, Network, VizEvent, acting

_LABEL_LIMIT = 150  # pictures with more nodes label only the most active ones


def _plain(text: str) -> str:
    """Text for matplotlib without mathtext: '$' would start a formula."""
    return text.replace("$", r"\$")


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def _save(fig, path: Path | str, fmt: str) -> Path | str:
    """Write the figure as `fmt` (PNG or SVG) atomically, or to stdout for '-'; SVG keeps
    its text as text."""
    import matplotlib

    metadata = {"Software": "kgbuild"} if fmt == "png" else {"Creator": "kgbuild", "Date": None}
    try:
        with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "kgbuild"}), \
                warnings.catch_warnings(), open_output(path, "wb") as fh:
            # an emoji in a label is drawn as a box; no need to warn about each glyph
            warnings.filterwarnings("ignore", message="Glyph .* missing from font")
            fig.savefig(fh, format=fmt, dpi=150, bbox_inches="tight", metadata=metadata)
    finally:
        fig.clf()
        _pyplot().close(fig)
    return path


def _spread(points, gap: float, rounds: int = 300):
    """Push points apart until no two are closer than `gap` (or `rounds` run out)."""
    import numpy as np

    rng = np.random.default_rng(0)
    for _ in range(rounds):
        delta = points[:, None, :] - points[None, :, :]
        dist = np.sqrt((delta ** 2).sum(axis=2))
        np.fill_diagonal(dist, 2 * gap)
        close = dist < gap
        if not close.any():
            break
        dist = np.where(dist == 0, 1e-6, dist)
        if (dist < 1e-5).any():
            points = points + rng.normal(scale=1e-3, size=points.shape)
        push = np.where(close, (gap - dist) / dist / 2, 0.0)[:, :, None] * delta
        points = points + push.sum(axis=1) * 0.5
    return points


def packed_layout(net, *, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Node positions: each connected component laid out on its own (spring layout) in a
    disc that grows with its size, the discs packed in rows, largest first, so that small
    components do not crowd the rim of the big one."""
    import networkx as nx
    import numpy as np

    components = sorted((sorted(c) for c in nx.connected_components(net)),
                        key=lambda c: (-len(c), c[0]))
    discs = []
    for nodes in components:
        radius = 0.7 if len(nodes) == 1 else 0.8 * len(nodes) ** 0.5
        sub = net.subgraph(nodes)
        local = ({nodes[0]: (0.0, 0.0)} if len(nodes) == 1 else
                 nx.spring_layout(sub, seed=seed, k=4.0 / len(nodes) ** 0.5, iterations=500))
        keys = list(local)
        points = _spread(np.array([local[k] for k in keys], dtype=float) * radius, 1.4)
        points -= points.mean(axis=0)
        radius = max(0.7, float(np.sqrt((points ** 2).sum(axis=1)).max()) + 0.4)
        discs.append((radius, {k: (float(x), float(y)) for k, (x, y) in zip(keys, points)}))
    area = sum((2 * r + 0.6) ** 2 for r, _ in discs)
    row_width = max(2 * discs[0][0], 1.3 * area ** 0.5) if discs else 0.0
    pos: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for radius, local in discs:
        side = 2 * radius + 0.6
        if x > 0 and x + side > row_width:
            x, y, row_height = 0.0, y - row_height, 0.0
        cx, cy = x + side / 2, y - side / 2
        pos.update({k: (cx + dx, cy + dy) for k, (dx, dy) in local.items()})
        x, row_height = x + side, max(row_height, side)
    return pos


def draw_network(network: Network, keys: list[str], path: Path | str, fmt: str, *,
                 top: int | None = None) -> Path | str:
    """Draw the nodes `keys` of `network` (most active first) and the edges between them
    to `path` (see `kgbuild.viz.write_picture`)."""
    import networkx as nx
    from matplotlib.lines import Line2D

    kept = set(keys)
    edges = {k: v for k, v in network.edges.items() if k[0] in kept and k[1] in kept}
    simple = nx.Graph()
    simple.add_nodes_from(keys)
    simple.add_edges_from((u, v) for (u, v, _) in edges if u != v)
    pos = packed_layout(simple)
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    width, height = max(xs) - min(xs) + 2, max(ys) - min(ys) + 2
    inch = min(1.4, 20.0 / width, 20.0 / height)
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(max(6.0, width * inch) + 3.2, max(4.0, height * inch) + 0.6))
    most = max((network.nodes[k]["activity"] for k in keys), default=1) or 1
    size = {k: 90 + 1100 * network.nodes[k]["activity"] / most for k in keys}
    for (u, v, quad), events in sorted(edges.items(), key=lambda item: len(item[1])):
        nx.draw_networkx_edges(
            nx.DiGraph([(u, v)]), pos, ax=ax, edge_color=QUAD_CLASSES[quad][1], alpha=0.8,
            width=1.2 + 1.2 * (len(events) - 1) ** 0.8, arrows=True, arrowsize=10,
            node_size=[size[u], size[v]] if u != v else size[u],
            connectionstyle=f"arc3,rad={0.06 * (quad or 5) - 0.15:.2f}")
    for n, key in enumerate(keys):
        x, y = pos[key]
        fill = TYPE_COLOURS.get(network.nodes[key]["type"], "#cccccc")
        ax.scatter([x], [y], s=size[key], c=fill, edgecolors="#333333", linewidths=0.6, zorder=3,
                   gid=f"kg-node-{n}")
    labelled = keys[:_LABEL_LIMIT]
    for key in labelled:
        x, y = pos[key]
        ax.annotate(_plain(textwrap.fill(network.nodes[key]["label"], 18)), (x, y),
                    xytext=(0, 3 + size[key] ** 0.5 / 2), textcoords="offset points",
                    ha="center", va="bottom", fontsize=7, zorder=4,
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.6})
    quads = sorted({q for (_, _, q) in edges}, key=lambda q: (q == 0, q))
    names = {q: f"{q} {QUAD_CLASSES[q][0]}" if q else QUAD_CLASSES[q][0] for q in quads}
    edge_legend = ax.legend(
        handles=[Line2D([], [], color=QUAD_CLASSES[q][1], lw=3, label=names[q]) for q in quads],
        loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8,
        title="Edges: CAMEO quad class", title_fontsize=9, alignment="left")
    ax.add_artist(edge_legend)
    types = Counter(network.nodes[k]["type"] for k in keys)
    ax.legend(handles=[Line2D([], [], ls="", marker="o", ms=8, mfc=TYPE_COLOURS.get(t, "#cccccc"),
                              mec="#333333", label=f"{t} ({n})") for t, n in types.most_common()],
              loc="upper left", bbox_to_anchor=(1.0, 0.72), frameon=False, fontsize=8,
              title="Nodes: type (count)\nsize = number of events", title_fontsize=9,
              alignment="left")
    n_events = len({i for events in edges.values() for i in events})
    shown = (f"the {len(keys)} most active of {len(network.nodes)} nodes" if top
             else f"{len(keys)} nodes")
    note = "" if len(labelled) == len(keys) else f"; labels on the {len(labelled)} most active"
    ax.set_title(f"Actor network: {shown}, {n_events} events{note}", fontsize=10)
    ax.set_axis_off()
    ax.set_aspect("equal")
    ax.margins(0.04)
    return _save(fig, path, fmt)


def draw_timeline(events: list[VizEvent], actor: str, path: Path | str, fmt: str) -> Path | str:
    """Draw the `events` of `actor` over time to `path` (see `kgbuild.viz.write_timeline`);
    events without any date are counted in the title."""
    from datetime import date as Date
    from datetime import timedelta

    import matplotlib.dates as mdates

    dated = [e for e in events if e.start]
    skipped = len(events) - len(dated)
    plt = _pyplot()
    rows = [q for q in (4, 3, 2, 1, 0) if any(e.quad == q for e in dated)]
    fig, ax = plt.subplots(figsize=(12, 1.6 + 1.1 * len(rows) + 0.05 * len(dated)))
    stack: defaultdict[tuple[str, int], int] = defaultdict(int)
    for e in dated:
        x = Date.fromisoformat(e.start)
        level = stack[(e.start, e.quad)]
        stack[(e.start, e.quad)] += 1
        y = rows.index(e.quad) + 0.18 * level
        colour = QUAD_CLASSES[e.quad][1]
        if e.end and e.end != e.start:
            ax.plot([x, Date.fromisoformat(e.end)], [y, y], color=colour, lw=2, alpha=0.5)
        ax.scatter([x], [y], s=60, zorder=3, edgecolors=colour, linewidths=1.5,
                   c="white" if not e.date else colour)
        words = " ".join(w for w in (e.action, e.recipient or e.target) if w)
        flag = " (not)" if e.negated else "" if e.modality == "asserted" else f" ({e.modality})"
        ax.annotate(_plain(f"{e.actor_label}: {words}{flag}"), (x, y), xytext=(6, 4),
                    textcoords="offset points", fontsize=7, rotation=12)
    ax.set_yticks(range(len(rows)),
                  [f"{q} {QUAD_CLASSES[q][0]}" if q else QUAD_CLASSES[q][0] for q in rows])
    ax.set_ylim(-0.6, len(rows) - 0.2)
    first = min(Date.fromisoformat(e.start) for e in dated)
    last = max(Date.fromisoformat(e.end or e.start) for e in dated)
    pad = max(timedelta(days=4), (last - first) * 0.06)
    ax.set_xlim(first - pad, last + pad * 3)  # room for the last annotations
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=10))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
    fig.autofmt_xdate()
    ax.grid(axis="x", alpha=0.3)
    note = f"; {skipped} without any date left out" if skipped else ""
    hollow = "; hollow = placed at first report" if any(not e.date for e in dated) else ""
    ax.set_title(_plain(f"Events of {actor} ({acting(events)}): {len(dated)} shown{note}{hollow}"),
                 fontsize=11)
    return _save(fig, path, fmt)


def draw_map(data: dict, path: Path | str, fmt: str) -> Path | str:
    """Draw the map of `kgbuild.viz.map.map_data` to `path`: the world outline, and for
    each place one point per quad class of its events, its area by their mentions; the
    view fits the places, and the busiest are named."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Polygon

    lons = [p["lon"] for p in data["places"]]
    lats = [p["lat"] for p in data["places"]]
    width, height = max(max(lons) - min(lons), 16), max(max(lats) - min(lats), 9)
    cx, cy = (max(lons) + min(lons)) / 2, (max(lats) + min(lats)) / 2
    x0, x1 = max(-180, cx - width * 0.65), min(180, cx + width * 0.65)
    y0, y1 = max(-60, cy - height * 0.65), min(85, cy + height * 0.65)
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(12, min(9.0, max(4.0, 12 * (y1 - y0) / (x1 - x0) + 0.8))))
    ax.set_facecolor("#eef4f8")
    for shape in drawn_shapes():  # cut at the antimeridian: no band across the map
        for polygon in shape.polygons:
            ax.add_patch(Polygon(polygon[0], closed=True, fc="#e4e1d8", ec="white", lw=0.5, zorder=1))
    events = data["events"]
    busiest = sorted(data["places"], key=lambda p: -sum(events[i]["count"] for i in p["events"]))
    for place in data["places"]:
        quads = sorted({events[i]["quad"] for i in place["events"]}, key=lambda q: (q == 0, q))
        for n, quad in enumerate(quads):  # side by side, so none hides another
            mentions = sum(events[i]["count"] for i in place["events"] if events[i]["quad"] == quad)
            shift = (n - (len(quads) - 1) / 2) * 0.35
            ax.scatter([place["lon"] + shift], [place["lat"]], s=25 + 30 * mentions, zorder=3,
                       c=QUAD_CLASSES[quad][1], edgecolors="#333333", linewidths=0.6, alpha=0.85)
    for place in busiest[:25]:
        ax.annotate(_plain(place["label"]), (place["lon"], place["lat"]), xytext=(6, 5),
                    textcoords="offset points", fontsize=7, zorder=4,
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.7})
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.tick_params(labelsize=7)
    present = sorted({e["quad"] for e in events if e["place"]}, key=lambda q: (q == 0, q))
    ax.legend(handles=[Line2D([], [], ls="", marker="o", ms=8, mfc=QUAD_CLASSES[q][1], mec="#333333",
                              label=f"{q} {QUAD_CLASSES[q][0]}" if q else QUAD_CLASSES[q][0])
                       for q in present],
              loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8,
              title="CAMEO quad class\narea = mentions", title_fontsize=9, alignment="left")
    placed = sum(1 for e in events if e["place"])
    ax.set_title(f"Events on the map: {placed} of {len(events)} events at "
                 f"{len(data['places'])} places", fontsize=10)
    return _save(fig, path, fmt)
