"""SPARQL on an Oxigraph store (`kgbuild.stores.GraphStore`): the `#@lateral` marker as
Oxigraph's LATERAL, the saved query `dyads` read from the store's dyad index, and
Oxigraph's answers turned into a `QueryResult`. The text arrives checked and bound
(`kgbuild.query.prepare`); the store runs it over the union of its graphs with kgbuild's
prefixes declared (`GraphStore.query`)."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pyoxigraph
from rdflib import Graph

from ..errors import QueryError, store_error
from ..graph.namespace import bind_prefixes
from ..graph.quads import to_rdflib as _rd
from ..stores.dyads import INDEX, ROW_PATTERN, dyads_query, has_index, has_ranks, order_by
from ..stores.updates import PREFIXES
from .result import QueryResult, page

if TYPE_CHECKING:
    from ..stores.oxigraph import GraphStore

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


def store_answer(store: GraphStore, text: str):
    """Oxigraph's answer (pyoxigraph results) to checked, bound query text on the store."""
    return store.query(lateral(text))


def indexed_query(store, name: str, text: str) -> str:
    """For the saved query `dyads` on a `GraphStore` that has the index: a query reading its
    rows in the saved query's order, by rank, so a page is read without sorting every row
    (an index from before ranks were kept is sorted whole); else `text`."""
    inner = getattr(store, "store", None)
    if name != "dyads" or inner is None or text != dyads_query() or not has_index(inner):
        return text
    head = PREFIXES + "SELECT ?source ?other ?events ?goldstein WHERE { "
    if not has_ranks(inner):
        return head + ROW_PATTERN + " }\n" + order_by()
    return (head + f"{{ SELECT ?d ?rank WHERE {{ GRAPH <{INDEX}> {{ ?d kg:dyadRank ?rank }} }} "
            "ORDER BY ?rank }\n  { #@lateral: once per ranked row, in rank order\n  " + ROW_PATTERN + " }\n}")


def store_query_result(store: GraphStore, text: str, *, limit: int | None = None,
                       offset: int = 0) -> QueryResult:
    """Run a checked, bound query on the store and return a `QueryResult`, its SELECT rows
    paged as `kgbuild.query.page` does (Oxigraph stops evaluating one row past the page
    where the query lets it)."""
    try:
        result = store_answer(store, text)
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
