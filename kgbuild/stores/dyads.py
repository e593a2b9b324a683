"""The store's dyad index: the rows of the saved query `dyads`, kept by
`GraphStore.finalize` in the named graph `kgr:index/dyads` for the labels a build touched,
and read instead of aggregating every event when a store has it."""
from __future__ import annotations

import re
from collections.abc import Iterable

from ..graph.namespace import KG, KGR
from ..graph.quads import nt_term

INDEX = f"{KGR}index/dyads"
# Labels recounted by one update; more than that and the whole index is recomputed, which
# costs Oxigraph about as much (it evaluates the saved query over every event either way:
# 1.7 s for 50 labels, 2.4 s for all, at 1.6M triples).
LABEL_SLICE = 100
_PREFIXES = f"PREFIX kg: <{KG}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
_ORDER = re.compile(r"\bORDER\s+BY\b.*\Z", re.S | re.I)
_ROW = (f"GRAPH <{INDEX}> {{ ?d kg:dyadSource ?source ; kg:dyadOther ?other ; "
        "kg:dyadEvents ?events ; kg:dyadGoldstein ?goldstein }")


def _saved() -> str:
    from ..query.sparql import saved_queries

    return saved_queries()["dyads"]


def _select(values: str = "") -> str:
    """The saved query as a subquery (its prefixes and comments dropped), with `values`
    at the start of its WHERE clause."""
    body = "\n".join(line for line in _saved().splitlines()
                     if not line.lstrip().startswith(("#", "PREFIX")))
    return re.sub(r"\bWHERE\s*\{", lambda m: m.group(0) + " " + values, body, count=1, flags=re.I)


def _insert(values: str = "") -> str:
    return (f"INSERT {{ GRAPH <{INDEX}> {{ ?d a kg:Dyad ; kg:dyadSource ?source ; "
            "kg:dyadOther ?other ; kg:dyadEvents ?events ; kg:dyadGoldstein ?goldstein } }\n"
            f"WHERE {{ {{ {_select(values)} }}\n"
            f'  BIND (IRI(CONCAT("{KGR}dyad/", SHA1(CONCAT(STR(?source), "\\n", STR(?other))))) AS ?d) }}')


def rebuild_update() -> str:
    """The SPARQL update that computes every row of the index anew."""
    return (_PREFIXES + f"DROP SILENT GRAPH <{INDEX}> ;\n" + _insert() + " ;\n"
            f"INSERT DATA {{ GRAPH <{INDEX}> {{ <{INDEX}> a kg:DyadIndex }} }}")


def update_for(labels: Iterable[str]) -> str:
    """The SPARQL update that recomputes the rows whose source or other is one of these
    labels (from the events, so rows of replaced documents are right too); a row that
    has no events any more is dropped."""
    terms = " ".join(nt_term((label, None, None)) for label in labels)
    parts = []
    for var, prop in (("source", "kg:dyadSource"), ("other", "kg:dyadOther")):
        values = f"VALUES ?{var} {{ {terms} }}"
        parts.append(f"DELETE {{ GRAPH <{INDEX}> {{ ?d ?p ?o }} }} WHERE {{ {values} "
                     f"GRAPH <{INDEX}> {{ ?d {prop} ?{var} ; ?p ?o }} }}")
        parts.append(_insert(values))
    return _PREFIXES + " ;\n".join(parts)


def has_index(store) -> bool:
    """True when the pyoxigraph store holds a complete dyad index."""
    return bool(store.query(f"ASK {{ GRAPH <{INDEX}> {{ <{INDEX}> a <{KG}DyadIndex> }} }}"))


def has_ranks(store) -> bool:
    """True when the pyoxigraph store's index numbers its rows (`rank_update`)."""
    return bool(store.query(f"ASK {{ GRAPH <{INDEX}> {{ ?d <{KG}dyadRank> ?rank }} }}"))


def rank_update(store) -> str:
    """The SPARQL update that numbers the rows of the pyoxigraph store's index in the saved
    query's order (`kg:dyadRank`, 0 first), after they were recomputed."""
    rows = store.query(_PREFIXES + f"SELECT ?d WHERE {{ {_ROW} }}\n" + _ORDER.search(_saved()).group(0))
    data = " ".join(f"<{row['d'].value}> kg:dyadRank {n} ." for n, row in enumerate(rows))
    update = _PREFIXES + f"DELETE WHERE {{ GRAPH <{INDEX}> {{ ?d kg:dyadRank ?rank }} }}"
    return update + (f" ;\nINSERT DATA {{ GRAPH <{INDEX}> {{ {data} }} }}" if data else "")


def indexed_query(store, name: str, text: str) -> str:
    """For the saved query `dyads` on a `GraphStore` that has the index: a query reading its
    rows in the saved query's order, by rank, so a page is read without sorting every row
    (an index from before ranks were kept is sorted whole); else `text`."""
    inner = getattr(store, "store", None)
    if name != "dyads" or inner is None or text != _saved() or not has_index(inner):
        return text
    head = _PREFIXES + "SELECT ?source ?other ?events ?goldstein WHERE { "
    if not has_ranks(inner):
        return head + _ROW + " }\n" + _ORDER.search(_saved()).group(0)
    return (head + f"{{ SELECT ?d ?rank WHERE {{ GRAPH <{INDEX}> {{ ?d kg:dyadRank ?rank }} }} "
            "ORDER BY ?rank }\n  { #@lateral: once per ranked row, in rank order\n  " + _ROW + " }\n}")
