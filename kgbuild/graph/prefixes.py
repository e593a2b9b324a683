"""The prefixes SPARQL text may use without declaring them: kgbuild's own
(`namespace.PREFIXES`) over rdflib's default bindings, as `bind_prefixes` leaves a new
graph. The store answers with them declared; the query checks parse with them."""
from __future__ import annotations

import functools

from rdflib import Graph

from .namespace import bind_prefixes


def prefix_namespaces() -> dict:
    """Prefix -> namespace (rdflib terms) of a new graph with kgbuild's prefixes bound."""
    return {p: n for p, n in bind_prefixes(Graph()).namespaces() if p}


@functools.lru_cache(maxsize=1)
def sparql_prefixes() -> dict[str, str]:
    """Prefix -> namespace IRI of `prefix_namespaces`, for Oxigraph's `prefixes=`."""
    return {p: str(n) for p, n in prefix_namespaces().items()}
