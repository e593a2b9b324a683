"""Reading and writing graphs: RDF formats and the networkx / GraphML actor network."""
from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

import networkx as nx
from rdflib import RDF, RDFS, Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.exceptions import ParserError

from .atomic import atomic_write
from .errors import GraphError
from .namespace import KG, KGR, bind_prefixes

#: format name -> (rdflib format, file suffix)
RDF_FORMATS = {
    "turtle": ("turtle", ".ttl"),
    "nt": ("nt", ".nt"),
    "jsonld": ("json-ld", ".jsonld"),
    "trig": ("trig", ".trig"),
    "nquads": ("nquads", ".nq"),
}
_BY_SUFFIX = {suffix: name for name, (_, suffix) in RDF_FORMATS.items()} | {
    ".turtle": "turtle", ".ntriples": "nt", ".json": "jsonld", ".nquads": "nquads"}


def format_for(path: str | Path, fmt: str | None = None) -> str:
    """The RDF format name for a path: `fmt` if given, else from the file suffix."""
    if fmt:
        if fmt not in RDF_FORMATS:
            raise GraphError(f"unknown RDF format '{fmt}'; choose one of {', '.join(RDF_FORMATS)}")
        return fmt
    suffix = Path(str(path)).suffix.lower()
    if suffix not in _BY_SUFFIX:
        raise GraphError(f"{path}: cannot tell the RDF format from '{suffix or 'no suffix'}'; "
                         f"use --format ({', '.join(RDF_FORMATS)})")
    return _BY_SUFFIX[suffix]


def jsonld_context() -> dict:
    """The JSON-LD context shipped in `ontology/context.jsonld`."""
    import json

    text = resources.files("kgbuild.ontology").joinpath("context.jsonld").read_text("utf-8")
    return json.loads(text).get("@context", {})


QUAD_FORMATS = frozenset({"trig", "nquads"})


def document_graph_iri(node) -> URIRef | None:
    """The named graph a node belongs to: `kgr:graph/<doc>` for documents, their sentences
    and mentions (`kgr:doc/<doc>[/…]`); None for shared nodes (events, actors, types)."""
    text = str(node)
    prefix = str(KGR) + "doc/"
    if not text.startswith(prefix):
        return None
    doc = text[len(prefix):].split("/", 1)[0]
    return KGR[f"graph/{doc}"]


def to_dataset(graph: Graph) -> Dataset:
    """Split a graph into one named graph per source document (its document node,
    sentences, mentions and the links from events to those mentions) and a default graph
    with the merged events, actors, places and event types."""
    ds = Dataset()
    for prefix, ns in graph.namespaces():
        ds.bind(prefix, ns)
    for s, p, o in graph:
        name = document_graph_iri(s) or (document_graph_iri(o) if p == KG.mention else None)
        ds.graph(name if name is not None else DATASET_DEFAULT_GRAPH_ID).add((s, p, o))
    return ds


def serialize_graph(graph: Graph, fmt: str = "turtle") -> str:
    """The graph as text in one of RDF_FORMATS (TriG and N-Quads: one named graph per
    document, see `to_dataset`)."""
    name = format_for("", fmt)
    rdf_format = RDF_FORMATS[name][0]
    if name == "jsonld":
        return graph.serialize(format=rdf_format, context=jsonld_context(), auto_compact=True)
    if name in QUAD_FORMATS:
        return to_dataset(graph).serialize(format=rdf_format)
    return graph.serialize(format=rdf_format)


def save_graph(graph: Graph, path: str | Path, fmt: str | None = None) -> Path | None:
    """Write the graph to `path` atomically (or stdout for '-'); returns the path."""
    text = serialize_graph(graph, format_for(path, fmt) if str(path) != "-" else (fmt or "turtle"))
    if str(path) == "-":
        sys.stdout.write(text)
        return None
    with atomic_write(path) as fh:
        fh.write(text)
    return Path(path)


def load_graph(path: str | Path, fmt: str | None = None) -> Graph:
    """Parse an RDF file (format from `fmt` or the suffix).

    Raises:
        GraphError: missing file, unknown format, or not valid RDF (with the parser's reason).
    """
    path = Path(path)
    if not path.is_file():
        raise GraphError(f"{path}: no such graph file")
    name = format_for(path, fmt)
    graph = bind_prefixes(Graph())
    try:
        if name in QUAD_FORMATS:
            ds = Dataset()
            ds.parse(path, format=RDF_FORMATS[name][0])
            for s, p, o, _ in ds.quads((None, None, None, None)):
                graph.add((s, p, o))
        else:
            graph.parse(path, format=RDF_FORMATS[name][0])
    except (ParserError, SyntaxError, ValueError, UnicodeDecodeError, Exception) as err:  # noqa: BLE001
        reason = " ".join(str(err).split())[:300]
        raise GraphError(f"{path}: not valid {name} RDF: {reason}") from None
    return graph


def _label(graph: Graph, node) -> str:
    value = graph.value(node, RDFS.label)
    return str(value) if value is not None else str(node).rsplit("/", 1)[-1]


def _kind(graph: Graph, node) -> str:
    types = {str(t).rsplit("#", 1)[-1] for t in graph.objects(node, RDF.type)}
    for name in ("Country", "InternationalOrganization", "Person", "ArmedForce", "Government",
                 "Media", "Group", "Organization", "Weapon", "Facility", "Equipment", "Place",
                 "Target"):
        if name in types:
            return name
    return "Actor" if "Actor" in types else "Thing"


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """The actor network: actors, targets and places as nodes; one edge per event from the
    actor to its recipient, else its target, else its place. All attributes are scalars."""
    net = nx.MultiDiGraph()

    def node(iri) -> str:
        key = str(iri)
        if key not in net:
            attrs = {"label": _label(graph, iri), "type": _kind(graph, iri)}
            code = graph.value(iri, KG.countryCode)
            if code is not None:
                attrs["country"] = str(code)
            role = graph.value(iri, KG.role)
            if role is not None:
                attrs["role"] = str(role)
            net.add_node(key, **attrs)
        return key

    for ev in sorted(graph.subjects(RDF.type, KG.Event)):
        actor = graph.value(ev, KG.actor)
        if actor is None:
            continue
        source = node(actor)
        other = next((graph.value(ev, p) for p in (KG.recipient, KG.target, KG.location)
                      if graph.value(ev, p) is not None), None)
        if other is None:
            continue
        attrs = {"label": str(graph.value(ev, KG.action) or ""), "action": str(graph.value(ev, KG.action) or ""),
                 "event": str(ev), "modality": str(graph.value(ev, KG.modality) or "asserted"),
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
        for prop, name in ((KG.target, "target"), (KG.location, "location")):
            value = graph.value(ev, prop)
            if value is not None:
                attrs[name] = _label(graph, value)
        net.add_edge(source, node(other), key=str(ev), **attrs)
    return net


def write_graphml(graph: Graph, path: str | Path) -> Path:
    """Write the actor network as GraphML (atomically)."""
    net = to_networkx(graph)
    with atomic_write(path, "wb") as fh:
        nx.write_graphml(net, fh, named_key_ids=True)
    return Path(path)
