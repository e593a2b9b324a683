"""The data every view draws: the actor network with the events, sentences, documents
and places behind its nodes and edges (`Network`, `VizEvent`), gathered from the RDF."""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, SKOS, Graph

from ..graph.namespace import KG
from ..model import EntityType
from .graphml import coordinates, to_networkx

#: Quad class -> (name, colour); 0 is a neutral statement or appeal (CAMEO 01-02) or no type.
QUAD_CLASSES: dict[int, tuple[str, str]] = {
    1: ("verbal cooperation", "#1a9850"),
    2: ("material cooperation", "#2c7bb6"),
    3: ("verbal conflict", "#f59e0b"),
    4: ("material conflict", "#d7191c"),
    0: ("neutral or untyped", "#9e9e9e"),
}


def quad_legend() -> dict[str, dict[str, str]]:
    """The quad classes as the pages read them: {"4": {"name": ..., "colour": ...}, ...}."""
    return {str(q): {"name": name, "colour": colour} for q, (name, colour) in QUAD_CLASSES.items()}


#: Node type (as in `to_networkx`) -> fill colour.
TYPE_COLOURS: dict[str, str] = {kind.class_name: colour for kind, colour in (
    (EntityType.COUNTRY, "#4e79a7"), (EntityType.INTERNATIONAL_ORGANIZATION, "#59a14f"),
    (EntityType.GOVERNMENT, "#76b7b2"), (EntityType.ARMED_FORCE, "#e15759"),
    (EntityType.PERSON, "#b07aa1"), (EntityType.ORGANIZATION, "#edc948"), (EntityType.GROUP, "#ff9da7"),
    (EntityType.MEDIA, "#9c755f"), (EntityType.WEAPON, "#f28e2b"), (EntityType.EQUIPMENT, "#bab0ac"),
    (EntityType.FACILITY, "#8cd17d"), (EntityType.THING, "#d4d4d4"), (EntityType.PLACE, "#86bcb6"))}
TYPE_COLOURS |= {"Actor": "#a0cbe8", EntityType.THING.value: "#cccccc"}  # a node of no entity class
#: Node types of things and places (not actors): generic when their label is a common noun.
THING_TYPES = frozenset({EntityType.THING.value, *(kind.class_name for kind in (
    EntityType.THING, EntityType.PLACE, EntityType.WEAPON, EntityType.EQUIPMENT, EntityType.FACILITY))})


def is_generic(key: str, attrs: dict) -> bool:
    """A node that names no one thing: a target or place labelled by a common noun
    ("missiles", "the border"), or a node kept to one document (a place, or an actor
    named by a role noun alone: "forces")."""
    if "/doc/" in key:
        return True
    label = attrs.get("label", "")
    return attrs.get("type") in THING_TYPES and not label[:1].isupper()


@dataclass(frozen=True)
class Mention:
    """One report of an event: its sentence and where it comes from."""

    sentence: str
    doc: str
    title: str = ""
    published: str = ""
    url: str = ""


@dataclass(frozen=True)
class VizEvent:
    """One event as the pictures need it (labels and dates as plain strings)."""

    iri: str
    action: str
    actor: str                    # network node key of the actor
    other: str | None             # node key of the edge's other end, None if not drawn
    actor_label: str
    target: str = ""
    recipient: str = ""
    location: str = ""
    date: str = ""                # kg:time as written ("2024-03", "2024-03-11")
    reported: str = ""            # kg:firstReported
    start: str = ""               # first and last day of date, else of the first report
    end: str = ""
    code: str = ""
    root: str = ""
    type_label: str = ""
    quad: int = 0
    goldstein: float | None = None
    modality: str = "asserted"
    negated: bool = False
    count: int = 1
    mentions: tuple[Mention, ...] = ()
    place: str = ""               # IRI of the location, its country code and feature kind
    place_country: str = ""
    place_kind: str = ""
    lat: float | None = None      # WGS84 coordinates of the location, when geocoded
    lon: float | None = None


@dataclass
class Network:
    """The actor network with the events behind every node and (aggregated) edge.

    `nodes` maps node keys (IRIs) to their `to_networkx` attributes plus `events` (indices
    into `events`) and `activity` (their number); `edges` maps (source, target, quad class)
    to the indices of the events drawn as that edge.
    """

    nodes: dict[str, dict] = field(default_factory=dict)
    events: list[VizEvent] = field(default_factory=list)
    edges: dict[tuple[str, str, int], list[int]] = field(default_factory=dict)

    def most_active(self, top: int | None) -> list[str]:
        """Node keys, most active first (ties by label); the first `top` when given."""
        keys = sorted(self.nodes, key=lambda k: (-self.nodes[k]["activity"],
                                                 self.nodes[k]["label"].casefold(), k))
        return keys if top is None else keys[:top]

    def dyads(self, keep=None) -> list[tuple[tuple[str, str], list[int]]]:
        """The pairs of distinct nodes joined by events, busiest first: ((a, b), indices of
        their events in both directions and every quad class), `a` the more active end;
        ties by the rank of their ends. With `keep`, only pairs whose two ends pass it."""
        rank = {k: i for i, k in enumerate(self.most_active(None))}
        pairs: dict[tuple[str, str], list[int]] = {}
        for (u, v, _), events in self.edges.items():
            if u != v and (keep is None or (keep(u) and keep(v))):
                a, b = sorted((u, v), key=rank.__getitem__)
                pairs.setdefault((a, b), []).extend(events)
        return sorted(((pair, sorted(events)) for pair, events in pairs.items()),
                      key=lambda item: (-len(item[1]), rank[item[0][0]], rank[item[0][1]]))

    def top_dyads(self, top: int) -> list[str]:
        """At most `top` node keys chosen by whole dyads: the pairs with the most events
        first, both ends together, so no drawn node loses the partner it is drawn for.
        Nodes with no partner come last, most active first. Most active first."""
        pairs = [frozenset(pair) for pair, _ in self.dyads()]
        kept: set[str] = set()
        for pair in pairs:
            if len(kept | pair) <= top:
                kept |= pair
            if len(kept) >= top:
                break
        partnered = set().union(*pairs) if pairs else set()
        for key in self.most_active(None):  # room left: nodes that have no partner at all
            if len(kept) >= top:
                break
            if key not in partnered:
                kept.add(key)
        return [k for k in self.most_active(None) if k in kept]


def _text(graph: Graph, node, prop) -> str:
    value = graph.value(node, prop) if node is not None else None
    return "" if value is None else str(value)


def day_span(value: str) -> tuple[str, str] | None:
    """The first and last day of an ISO date, year-month or year ("2024-02" ->
    ("2024-02-01", "2024-02-29")); None when `value` is none of these, or no real day
    ("2024-13", "2024-02-30", year 0: graphs built before dates were checked have them)."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value.strip())
    if not match:
        return None
    year, month, day = match.groups()
    try:
        if day:
            text = dt.date(int(year), int(month), int(day)).isoformat()
            return text, text
        if month:
            last = calendar.monthrange(int(year), int(month))[1]
            return dt.date(int(year), int(month), 1).isoformat(), f"{year}-{month}-{last:02d}"
        dt.date(int(year), 1, 1)
    except (ValueError, calendar.IllegalMonthError):
        return None
    return f"{year}-01-01", f"{year}-12-31"


def _number(value, cast, default=None):
    """`cast(value)`, or `default` for a literal that is not a number."""
    if value is None:
        return default
    try:
        return cast(value)
    except (TypeError, ValueError):
        return default


def _mentions(graph: Graph, ev) -> tuple[Mention, ...]:
    found = []
    for m in graph.objects(ev, KG.mention):
        doc = graph.value(m, KG.document)
        found.append(Mention(sentence=_text(graph, graph.value(m, KG.sentence), KG.text),
                             doc=_text(graph, doc, KG.docId), title=_text(graph, doc, KG.title),
                             published=_text(graph, doc, KG.published),
                             url=_text(graph, doc, KG.url)))
    return tuple(sorted(set(found), key=lambda x: (x.doc, x.sentence)))


def _event(graph: Graph, ev, actor: str, other: str | None) -> VizEvent:
    etype = graph.value(ev, KG.eventType)
    date, reported = _text(graph, ev, KG.time), _text(graph, ev, KG.firstReported)
    span = day_span(date) if date else None
    date = date if span else ""  # not a real day: treated as no date
    reported = reported if reported and day_span(reported) else ""
    until = day_span(_text(graph, ev, KG.timeEnd)) if span else None
    if span and until and until[1] >= span[0]:
        span = (span[0], until[1])
    span = span or (day_span(reported) if reported else None) or ("", "")
    goldstein = _number(graph.value(etype, KG.goldstein), float) if etype is not None else None
    quad = _number(graph.value(etype, KG.quadClass), int, 0) if etype is not None else 0
    label = lambda prop: _text(graph, graph.value(ev, prop), RDFS.label)  # noqa: E731
    place = graph.value(ev, KG.location)
    point = coordinates(graph, place) if place is not None else None
    return VizEvent(
        iri=str(ev), action=_text(graph, ev, KG.action), actor=actor, other=other,
        actor_label=_text(graph, graph.value(ev, KG.actor), RDFS.label),
        target=label(KG.target), recipient=label(KG.recipient), location=label(KG.location),
        date=date, reported=reported, start=span[0], end=span[1],
        code=_text(graph, etype, KG.cameoCode), root=_text(graph, etype, KG.cameoRoot),
        type_label=_text(graph, etype, SKOS.prefLabel),
        quad=quad if quad in QUAD_CLASSES else 0,
        goldstein=goldstein,
        modality=_text(graph, ev, KG.modality) or "asserted",
        negated=_text(graph, ev, KG.negated).lower() == "true",
        count=_number(graph.value(ev, KG.mentionCount), int, 1), mentions=_mentions(graph, ev),
        place=str(place or ""), place_country=_text(graph, place, KG.countryCode),
        place_kind=_text(graph, place, KG.featureKind),
        lat=point[0] if point else None, lon=point[1] if point else None)


def build_network(graph: Graph) -> Network:
    """The actor network of `graph` (the nodes of `to_networkx(graph)`, no more, no less)
    with every event, its mentions and the aggregated edges drawn for it."""
    net = to_networkx(graph)
    result = Network(nodes={key: {**attrs, "events": [], "activity": 0}
                            for key, attrs in net.nodes(data=True)})
    drawn = {data["event"]: (u, v) for u, v, data in net.edges(data=True)}
    for ev in sorted(graph.subjects(RDF.type, KG.Event)):  # type: ignore[type-var]  # (rdflib terms order)
        actor = str(graph.value(ev, KG.actor) or "")
        if actor not in result.nodes:
            continue
        source, other = drawn.get(str(ev), (actor, None))
        event = _event(graph, ev, source, other)
        index = len(result.events)
        result.events.append(event)
        for key in {source, other} - {None}:
            result.nodes[key]["events"].append(index)
        if other is not None:
            result.edges.setdefault((source, other, event.quad), []).append(index)
    for attrs in result.nodes.values():
        attrs["activity"] = len(attrs["events"])
    return result


def _matches(graph: Graph, node, wanted: str) -> bool:
    """`node` has the country code, the label or a CAMEO actor code `wanted` (casefolded)."""
    if node is None:
        return False
    if wanted in (_text(graph, node, KG.countryCode).casefold(),
                  _text(graph, node, RDFS.label).casefold()):
        return True
    return any(str(code).casefold() == wanted for code in graph.objects(node, KG.cameoActorCode))


def acting(events: list[VizEvent]) -> str:
    """The labels of the actors of `events`: "Russia, Russian government and 2 more"."""
    names = sorted({e.actor_label for e in events}, key=str.casefold)
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def actor_events(graph: Graph, actor: str, other: str | None = None) -> list[VizEvent]:
    """The events whose actor has country code, label or CAMEO actor code `actor`
    (case-insensitive), as the saved `timeline` query picks them, sorted by date. With
    `other`, the dyad: the events of either one whose target or recipient is the other."""
    ends = [actor.strip().casefold()] + ([other.strip().casefold()] if other is not None else [])
    found = []
    for ev in sorted(graph.subjects(RDF.type, KG.Event)):  # type: ignore[type-var]  # (rdflib terms order)
        node = graph.value(ev, KG.actor)
        if other is None:
            hit = _matches(graph, node, ends[0])
        else:
            sides = [graph.value(ev, KG.target), graph.value(ev, KG.recipient)]
            hit = any(_matches(graph, node, a) and any(_matches(graph, s, b) for s in sides)
                      for a, b in (ends, ends[::-1]))
        if hit:
            found.append(_event(graph, ev, str(node), None))
    return sorted(found, key=lambda e: (e.start or "9999", e.action, e.iri))
