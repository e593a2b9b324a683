"""The named graph of each document: which triples belong to a document (its node,
sentences, mentions and the links from events to them) and which to the shared default
graph (events, actors, places, types). Stores, TriG/N-Quads and remote pushes use it."""
from __future__ import annotations

from collections.abc import Iterator

from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from .build import segment_graph
from .namespace import KG, KGR


def document_graph_iri(node) -> URIRef | None:
    """The named graph a node belongs to: `kgbuild.graph.build.document_graph` of its document for
    documents, their sentences and mentions (`kgr:doc/<segment>[/…]`, the segment being the
    percent-encoded id, which holds no `/`); None for shared nodes (events, actors, types)."""
    text = str(node)
    if not text.startswith(_DOC_PREFIX):
        return None
    return segment_graph(text[len(_DOC_PREFIX):].split("/", 1)[0])

_DOC_PREFIX = str(KGR) + "doc/"

def to_dataset(graph: Graph) -> Dataset:
    """Split a graph into one named graph per source document (its document node,
    sentences, mentions and the links from events to those mentions) and a default graph
    with the merged events, actors, places and event types."""
    ds = Dataset()
    for prefix, ns in graph.namespaces():
        ds.bind(prefix, ns)
    for s, p, o, name in partition(graph):
        ds.graph(name if name is not None else DATASET_DEFAULT_GRAPH_ID).add((s, p, o))
    return ds

def partition(graph) -> Iterator[tuple]:
    """(s, p, o, graph name or None) of an rdflib graph or `kgbuild.graph.mapping.Triples`: a
    triple belongs to its document's named graph when its subject is a document, sentence
    or mention (or it links an event to a mention), else to the default graph. Stores, TriG/N-Quads and remote pushes all use this split."""
    mention = str(KG.mention)
    names: dict = {}  # subject -> graph name, computed once per subject
    for s, p, o in graph:
        try:
            name = names[s]
        except KeyError:
            name = names[s] = document_graph_iri(s)
        if name is None and str(p) == mention:
            name = document_graph_iri(o)
        yield s, p, o, name
