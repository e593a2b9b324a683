"""Terms on their way to and from Oxigraph: the mapping's neutral triples as N-Quads
text (what a store build bulk-loads, no rdflib or pyoxigraph term objects), rdflib terms
-> pyoxigraph quads, and pyoxigraph terms -> rdflib.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib import BNode, Graph, Literal, URIRef

from ..errors import OutputError
from .mapping import decimal_text

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"


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


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
#: An IRI N-Quads can hold: a scheme, then no character IRIREF forbids (space, controls,
#: <>"{}|^`\\) — what keeps a term from closing its `<...>` and writing quads of its own.
_IRI = re.compile(r'[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>"{}|^`\\]*')
_LANGUAGE = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def nt_term(term) -> str:
    """A neutral term of `kgbuild.graph.mapping` (an IRI str, or a (lexical, datatype, language)
    tuple) in N-Triples syntax.

    Raises:
        OutputError: an IRI with a character IRIs cannot hold, a malformed language tag,
            or text that is no Unicode (a lone surrogate): it is refused, never written.
    """
    if isinstance(term, str):
        return f"<{_checked_iri(term)}>"
    lexical, datatype, lang = term
    if _SURROGATE.search(lexical):
        raise OutputError(f"cannot write the literal {_shown(lexical)} to a store: it holds a "
                          "lone surrogate, which is no Unicode character")
    quoted = '"' + lexical.translate(_ESCAPES) + '"'
    if lang:
        if not _LANGUAGE.fullmatch(lang):
            raise OutputError(f"cannot write the language tag {_shown(lang)} to a store: it is "
                              "no BCP 47 tag (letters and digits joined by '-')")
        return f"{quoted}@{lang}"
    return f"{quoted}^^<{_checked_iri(datatype)}>" if datatype else quoted


def _checked_iri(iri: str) -> str:
    if not _IRI.fullmatch(iri):
        raise OutputError(f"cannot write the IRI {_shown(iri)} to a store: an IRI starts with "
                          "a scheme and holds no space, control character or <>\"{}|^`\\ "
                          "(percent-encode them)")
    return iri


def _shown(text: str) -> str:
    return repr(text) if len(text) <= 60 else repr(text[:60]) + "…"


def nquads_lines(quads: Iterable[tuple]) -> list[str]:
    """N-Quads lines for (s, p, o, graph name or None) tuples of neutral terms; each
    distinct term is written once."""
    cache: dict = {}
    lines = []
    for quad in quads:
        s, p, o, name = quad
        try:
            a, b, c, d = cache[s], cache[p], cache[o], cache[name]
        except KeyError:
            for term in (s, p, o):
                if term not in cache:
                    cache[term] = nt_term(term)
            if name not in cache:
                cache[name] = " ." if name is None else f" <{_checked_iri(name)}> ."
            a, b, c, d = cache[s], cache[p], cache[o], cache[name]
        lines.append(f"{a} {b} {c}{d}\n")
    return lines


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
            return Literal(decimal_text(term.value), datatype=URIRef(dt))
        return Literal(term.value, datatype=URIRef(dt))
    return term


def memoized(convert):
    """`convert` of one term with a cache, so each distinct term is converted once."""
    cache: dict = {}

    def lookup(term):
        try:
            return cache[term]
        except KeyError:
            value = cache[term] = convert(term)
            return value
    return lookup


def ox_quads(quads: Iterable[tuple]) -> list:
    """pyoxigraph Quads for (s, p, o, graph name or None) tuples of rdflib terms; each
    distinct term is converted once."""
    import pyoxigraph

    default, ox = pyoxigraph.DefaultGraph(), memoized(to_ox)
    return [pyoxigraph.Quad(ox(s), ox(p), ox(o), default if name is None else ox(name))
            for s, p, o, name in quads]


def ox_triples(graph: Graph) -> list:
    """pyoxigraph Quads in the default graph for every triple of `graph`."""
    return ox_quads((s, p, o, None) for s, p, o in graph)
