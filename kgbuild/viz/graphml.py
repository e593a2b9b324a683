"""The graph as a network: networkx (actors, or events and their parties, as nodes) and
GraphML/GEXF files for Gephi, Cytoscape and yEd."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import OWL, RDF, RDFS, Graph

from ..atomic import open_output
from ..errors import GraphError
from ..formats import NETWORK, names
from ..graph.namespace import KG, WGS
from ..model import EntityType
from .atlas import country_point


def _label(graph: Graph, node) -> str:
    value = graph.value(node, RDFS.label)
    return str(value) if value is not None else str(node).rsplit("/", 1)[-1]


#: Which class names a node of several (a country that is also a place is a Country).
_KIND_ORDER = (EntityType.COUNTRY, EntityType.INTERNATIONAL_ORGANIZATION, EntityType.PERSON,
               EntityType.ARMED_FORCE, EntityType.GOVERNMENT, EntityType.MEDIA, EntityType.GROUP,
               EntityType.ORGANIZATION, EntityType.WEAPON, EntityType.FACILITY, EntityType.EQUIPMENT,
               EntityType.PLACE, EntityType.THING)


def _kind(graph: Graph, node) -> str:
    types = {str(t).rsplit("#", 1)[-1] for t in graph.objects(node, RDF.type)}
    for kind in _KIND_ORDER:
        if kind.class_name in types:
            return kind.class_name
    return "Actor" if "Actor" in types else EntityType.THING.value


NETWORK_SHAPES = ("actors", "events")
#: Characters XML 1.0 forbids (GraphML and GEXF are XML); dropped from attribute values.
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_safe(attrs: dict) -> dict:
    return {k: _NOT_XML.sub("", v) if isinstance(v, str) else v for k, v in attrs.items()}


def coordinates(graph: Graph, node) -> tuple[float, float] | None:
    """(lat, lon) of a geocoded place (wgs:lat, wgs:long), else None."""
    lat, lon = graph.value(node, WGS.lat), graph.value(node, WGS.long)
    if lat is None or lon is None:
        return None
    try:
        point = float(lat), float(lon)
    except ValueError:
        return None
    # a hand-edited or hostile graph: no NaN, no point off the globe
    return point if -90 <= point[0] <= 90 and -180 <= point[1] <= 180 else None


def node_point(graph: Graph, node) -> tuple[float, float] | None:
    """(lat, lon) of a network node on the globe: a geocoded node's coordinates, else for a
    country (a kg:Country, or a place of feature kind country) its representative point
    (`atlas.country_point`); None for anything else."""
    point = coordinates(graph, node)
    if point is not None:
        return point
    is_country = (node, RDF.type, KG.Country) in graph or \
        str(graph.value(node, KG.featureKind) or "") == "country"
    code = graph.value(node, KG.countryCode) if is_country else None
    if code is None:
        return None

    return country_point(str(code))


def _node_attrs(graph: Graph, iri) -> dict:
    attrs: dict[str, Any] = {"label": _label(graph, iri), "type": _kind(graph, iri)}
    for prop, name in ((KG.countryCode, "country"), (KG.role, "role"), (KG.featureKind, "feature_kind")):
        value = graph.value(iri, prop)
        if value is not None:
            attrs[name] = str(value)
    point = node_point(graph, iri)
    if point is not None:  # what Gephi's Geo Layout reads
        attrs["lat"], attrs["lon"] = point
    same = graph.value(iri, OWL.sameAs)
    if same is not None:
        attrs["geonames"] = str(same)
    return attrs


def _event_attrs(graph: Graph, ev) -> dict:
    action = str(graph.value(ev, KG.action) or "")
    attrs = {"label": action, "action": action, "event": str(ev),
             "modality": str(graph.value(ev, KG.modality) or "asserted"),
             "negated": str(graph.value(ev, KG.negated)).lower() == "true",
             "count": int(graph.value(ev, KG.mentionCount) or 1)}
    etype = graph.value(ev, KG.eventType)
    if etype is not None:
        attrs["event_code"] = str(graph.value(etype, KG.cameoCode) or "")
        for prop, name, cast in ((KG.goldstein, "goldstein", float), (KG.quadClass, "quad_class", int)):
            value = graph.value(etype, prop)
            if value is not None:
                attrs[name] = cast(value)
    when = graph.value(ev, KG.time)
    if when is not None:
        attrs["date"] = str(when)
    place = graph.value(ev, KG.location)
    point = coordinates(graph, place) if place is not None else None
    if point is not None:
        attrs["lat"], attrs["lon"] = point
    return attrs


def to_networkx(graph: Graph, shape: str = "actors") -> nx.MultiDiGraph:
    """The graph as networkx, every attribute a scalar.

    Args:
        shape: "actors" — actors, targets and places as nodes, one edge per event from the
            actor to its recipient, else its target, else its place; "events" — the full
            bipartite graph: event nodes linked to their actor, target, recipient and place.
    """
    if shape not in NETWORK_SHAPES:
        raise GraphError(f"unknown network shape '{shape}'; choose one of {', '.join(NETWORK_SHAPES)}")
    net = nx.MultiDiGraph()

    def node(iri) -> str:
        key = str(iri)
        if key not in net:
            net.add_node(key, **_xml_safe(_node_attrs(graph, iri)))
        return key

    for ev in sorted(graph.subjects(RDF.type, KG.Event)):  # type: ignore[type-var]  # (rdflib terms order)
        actor = graph.value(ev, KG.actor)
        if actor is None:
            continue
        attrs = _event_attrs(graph, ev)
        if shape == "events":
            net.add_node(str(ev), **_xml_safe({**attrs, "type": "Event"}))
            for prop in (KG.actor, KG.target, KG.recipient, KG.location):
                value = graph.value(ev, prop)
                if value is not None:
                    role = local_name(prop)
                    net.add_edge(str(ev), node(value), key=role, label=role, role=role)
            continue
        source = node(actor)
        other = next((graph.value(ev, p) for p in (KG.recipient, KG.target, KG.location)
                      if graph.value(ev, p) is not None), None)
        if other is None:
            continue
        for prop, name in ((KG.target, "target"), (KG.location, "location")):
            value = graph.value(ev, prop)
            if value is not None:
                attrs[name] = _label(graph, value)
        net.add_edge(source, node(other), key=str(ev), **_xml_safe(attrs))
    return net


def local_name(iri) -> str:
    """The part of an IRI after '#' or the last '/'."""
    text = str(iri)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rsplit("/", 1)[-1]


def write_network(graph: Graph, path: str | Path, fmt: str = "graphml",
                  shape: str = "actors") -> Path:
    """Write the network (see `to_networkx`) as GraphML or GEXF, atomically ('-': stdout)."""
    net = to_networkx(graph, shape)
    with open_output(path, "wb") as fh:
        if fmt == "graphml":
            nx.write_graphml(net, fh, named_key_ids=True)
        elif fmt == "gexf":
            nx.write_gexf(net, fh)
        else:
            raise GraphError(f"unknown network format '{fmt}'; choose {' or '.join(names(NETWORK))}")
    return Path(path)


def write_graphml(graph: Graph, path: str | Path, shape: str = "actors") -> Path:
    """Write the network as GraphML (atomically)."""
    return write_network(graph, path, "graphml", shape)
