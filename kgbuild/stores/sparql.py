"""SPARQL on the store: bound values written into the query text as escaped terms, and
Oxigraph's answers turned into a `kgbuild.query.QueryResult`."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rdflib import BNode, Graph, Literal, URIRef

from ..errors import QueryError, store_error
from ..graph.namespace import bind_prefixes
from ..graph.quads import to_rdflib as _rd

if TYPE_CHECKING:
    from .oxigraph import GraphStore


_WHERE = re.compile(r"\bWHERE\s*\{", re.I)
_LATERAL = re.compile(r"\{[ \t]*#@lateral\b")


def lateral(text: str) -> str:
    """Oxigraph's join order for a query whose group is marked `{ #@lateral ...`: the
    marker becomes `LATERAL {#` (Oxigraph's extension: the group is evaluated once per row
    of what precedes it, with that row's values; the rest of the line stays a comment), so
    a saved query starts from its few seed rows (a place, an actor's nodes) and a page
    streams. Elsewhere (rdflib) the marker is a comment and the group an ordinary join
    with the same rows.

    The text is checked before this runs, so the change adds or removes no quote, line
    break or `#`: wherever the marker stands (in a string too), every string and comment
    ends where it did in the checked text (issue 26: dropping the rest of the line let a
    quote in it hide a SERVICE clause from the check)."""
    return _LATERAL.sub("LATERAL {#", text)


def bind_values(text: str, bindings: dict) -> str:
    """Insert `VALUES (?a ?b) { (t1 t2) }` right after the first `WHERE {`."""
    if not bindings:
        return text
    from ..query.params import VARNAME

    names = " ".join(f"?{k}" for k in bindings if VARNAME.fullmatch(k))
    try:
        terms = " ".join(_rdf_term(v).n3() for k, v in bindings.items() if VARNAME.fullmatch(k))
    except Exception as err:  # noqa: BLE001 - rdflib refuses to write an invalid IRI
        raise QueryError(f"cannot bind a parameter: {' '.join(str(err).split())[:200]}") from None
    block = f" VALUES ({names}) {{ ({terms}) }} "
    m = _WHERE.search(text)
    at = m.end() if m else text.find("{") + 1
    if at <= 0:
        return text
    return text[:at] + block + text[at:]


def _rdf_term(value):
    if isinstance(value, (URIRef, Literal, BNode)):
        return value
    return Literal(str(value))


def store_query_result(store: GraphStore, text: str, bindings: dict | None = None, *,
                       limit: int | None = None, offset: int = 0):
    """Run a (checked) query on the store and return a `kgbuild.query.QueryResult`, its
    SELECT rows paged as `kgbuild.query.page` does (Oxigraph stops evaluating one row
    past the page where the query lets it)."""
    import pyoxigraph

    from ..query.result import QueryResult, page

    try:
        result = store.query(text, bindings)
        if isinstance(result, pyoxigraph.QueryBoolean):
            return QueryResult("ASK", boolean=bool(result))
        if isinstance(result, pyoxigraph.QueryTriples):
            out = bind_prefixes(Graph())
            for t in result:  # evaluation goes on while the results are read
                out.add((_rd(t.subject), _rd(t.predicate), _rd(t.object)))
            return QueryResult("CONSTRUCT", graph=out)
        variables = [v.value for v in result.variables]
        solutions, cut = page(result, limit, offset)
        terms: dict = {None: None}  # each distinct term converted once (labels, actions repeat)

        def term(value):
            found = terms.get(value, terms)
            if found is terms:
                found = terms[value] = _rd(value)
            return found

        rows = [[term(sol[v]) for v in variables] for sol in solutions]
    except SyntaxError as err:
        raise QueryError(f"SPARQL syntax error: {' '.join(str(err).split())}") from None
    except (RuntimeError, OSError, ValueError) as err:
        if "Corruption" in str(err):
            raise store_error(store.path, err, "cannot read the store") from None
        raise QueryError(f"the query failed: {' '.join(str(err).split())}") from None
    return QueryResult("SELECT", variables, rows, truncated=cut, offset=offset)
