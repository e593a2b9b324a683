"""Triples for Oxigraph without an rdflib Graph: a light triple buffer that
`kgbuild.graph.build_graph` can fill, and rdflib <-> pyoxigraph term conversion.

rdflib's in-memory Graph keeps three indexes and contexts for every triple; a store build
(`GraphStore.add_events`) only needs a batch's triples once, on their way to Oxigraph. So
`TripleBuffer` implements the part of the Graph interface that `build_graph` uses (`add`,
`set`, `value`, `objects`, `remove` of `(s, p, None)` or `(s, p, o)`, iteration) on plain
dicts, with the same set semantics: the same calls give the same triples.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"


class TripleBuffer:
    """Triples grouped by (subject, predicate), objects in insertion order; see the module
    docstring for the Graph methods it stands in for."""

    def __init__(self) -> None:
        self._objects: dict[tuple, dict] = {}

    def add(self, triple: tuple) -> TripleBuffer:
        s, p, o = triple
        self._objects.setdefault((s, p), {})[o] = None
        return self

    def set(self, triple: tuple) -> TripleBuffer:
        s, p, o = triple
        self._objects[(s, p)] = {o: None}
        return self

    def value(self, subject=None, predicate=None, object=None, default=None, any=True):  # noqa: A002
        if subject is None or predicate is None or object is not None:
            raise NotImplementedError("TripleBuffer.value needs a subject and a predicate")
        objects = self._objects.get((subject, predicate))
        return next(iter(objects)) if objects else default

    def objects(self, subject=None, predicate=None, unique: bool = False) -> Iterator:
        if subject is None or predicate is None:
            raise NotImplementedError("TripleBuffer.objects needs a subject and a predicate")
        return iter(list(self._objects.get((subject, predicate), ())))

    def remove(self, triple: tuple) -> TripleBuffer:
        s, p, o = triple
        if s is None or p is None:
            raise NotImplementedError("TripleBuffer.remove needs a subject and a predicate")
        if o is None:
            self._objects.pop((s, p), None)
        else:
            objects = self._objects.get((s, p))
            if objects is not None:
                objects.pop(o, None)
                if not objects:
                    del self._objects[(s, p)]
        return self

    def __iter__(self) -> Iterator[tuple]:
        for (s, p), objects in self._objects.items():
            for o in objects:
                yield s, p, o

    def __len__(self) -> int:
        return sum(len(objects) for objects in self._objects.values())

    def __contains__(self, triple: tuple) -> bool:
        s, p, o = triple
        return o in self._objects.get((s, p), ())


def to_ox(term):
    """An rdflib term as a pyoxigraph term."""
    import pyoxigraph

    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        if term.datatype:
            return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(term.datatype)))
        return pyoxigraph.Literal(str(term))
    return pyoxigraph.Literal(str(term))


def to_ox_graph(name):
    """A graph name (None or rdflib's default graph id for the default graph) for pyoxigraph."""
    import pyoxigraph

    return pyoxigraph.DefaultGraph() if name is None or name == DATASET_DEFAULT_GRAPH_ID \
        else pyoxigraph.NamedNode(str(name))


def to_rdflib(term):
    """A pyoxigraph term as an rdflib term (decimals in kgbuild's lexical form)."""
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == _XSD_STRING:
            return Literal(term.value)
        if dt == _XSD_DECIMAL:
            from .graph import decimal_text

            return Literal(decimal_text(term.value), datatype=URIRef(dt))
        return Literal(term.value, datatype=URIRef(dt))
    return term


def ox_quads(quads: Iterable[tuple]) -> list:
    """pyoxigraph Quads for (s, p, o, graph name or None) tuples of rdflib terms; each
    distinct term is converted once."""
    import pyoxigraph

    cache: dict = {}
    default = pyoxigraph.DefaultGraph()

    def ox(term):
        try:
            return cache[term]
        except KeyError:
            value = cache[term] = to_ox(term)
            return value
    return [pyoxigraph.Quad(ox(s), ox(p), ox(o), default if name is None else ox(name))
            for s, p, o, name in quads]


def ox_triples(graph: Graph | TripleBuffer) -> list:
    """pyoxigraph Quads in the default graph for every triple of `graph`."""
    return ox_quads((s, p, o, None) for s, p, o in graph)
