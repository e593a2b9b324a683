"""The SPARQL updates that settle a store after writes: mention counts, report dates and
one label per node (for every node, or for the nodes a build touched), and garbage."""
from __future__ import annotations

from collections.abc import Iterable

from ..graph.mapping import CAMEO
from ..graph.namespace import KG, KGR
from ..graph.quads import nt_term

PREFIXES = f"PREFIX kg: <{KG}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"


FINALIZE = PREFIXES + """
DELETE { ?e kg:mentionCount ?c } WHERE { ?e kg:mentionCount ?c } ;
DELETE { ?e kg:firstReported ?d } WHERE { ?e kg:firstReported ?d } ;
DELETE { ?e kg:lastReported ?d } WHERE { ?e kg:lastReported ?d } ;
INSERT { ?e kg:mentionCount ?n } WHERE {
  { SELECT ?e (COUNT(DISTINCT ?m) AS ?n) WHERE { GRAPH ?g { ?e kg:mention ?m } } GROUP BY ?e } } ;
INSERT { ?e kg:firstReported ?first ; kg:lastReported ?last } WHERE {
  { SELECT ?e (MIN(STR(?d)) AS ?f) (MAX(STR(?d)) AS ?l) (SAMPLE(DATATYPE(?d)) AS ?t) WHERE {
      GRAPH ?g { ?e kg:mention ?m . ?m kg:document ?doc . ?doc kg:published ?d } } GROUP BY ?e }
  BIND (STRDT(?f, ?t) AS ?first) BIND (STRDT(?l, ?t) AS ?last) } ;
DELETE { ?s rdfs:label ?l } WHERE { ?s rdfs:label ?l , ?l2 . FILTER (STR(?l2) < STR(?l)) } ;
DELETE { ?s kg:role ?l } WHERE { ?s kg:role ?l , ?l2 . FILTER (STR(?l2) < STR(?l)) }
"""


FINALIZE_NODES = PREFIXES + """
DELETE { ?e kg:mentionCount ?c } WHERE { %(v)s ?e kg:mentionCount ?c } ;
DELETE { ?e kg:firstReported ?d } WHERE { %(v)s ?e kg:firstReported ?d } ;
DELETE { ?e kg:lastReported ?d } WHERE { %(v)s ?e kg:lastReported ?d } ;
INSERT { ?e kg:mentionCount ?n } WHERE {
  { SELECT ?e (COUNT(DISTINCT ?m) AS ?n) WHERE { %(v)s GRAPH ?g { ?e kg:mention ?m } } GROUP BY ?e } } ;
INSERT { ?e kg:firstReported ?first ; kg:lastReported ?last } WHERE {
  { SELECT ?e (MIN(STR(?d)) AS ?f) (MAX(STR(?d)) AS ?l) (SAMPLE(DATATYPE(?d)) AS ?t) WHERE {
      %(v)s GRAPH ?g { ?e kg:mention ?m . ?m kg:document ?doc . ?doc kg:published ?d } } GROUP BY ?e }
  BIND (STRDT(?f, ?t) AS ?first) BIND (STRDT(?l, ?t) AS ?last) } ;
DELETE { ?e rdfs:label ?l } WHERE { %(v)s ?e rdfs:label ?l , ?l2 . FILTER (STR(?l2) < STR(?l)) } ;
DELETE { ?e kg:role ?l } WHERE { %(v)s ?e kg:role ?l , ?l2 . FILTER (STR(?l2) < STR(?l)) }
"""


def nodes_values(iris: Iterable[str]) -> str:
    """A `VALUES ?e` block of these node IRIs, each checked and written as N-Triples does.

    Raises:
        OutputError: an IRI N-Triples cannot hold (see `kgbuild.graph.quads.nt_term`).
    """
    return "VALUES ?e { " + " ".join(nt_term(iri) for iri in iris) + " }"


def finalize_nodes_update(iris: Iterable[str]) -> str:
    """The SPARQL update that finalizes these nodes (IRIs as written in the store)."""
    return FINALIZE_NODES % {"v": nodes_values(iris)}


_UNREFERENCED = """
DELETE { ?s ?p ?o } WHERE {
  ?s ?p ?o .
  FILTER (STRSTARTS(STR(?s), "%(kgr)sactor/") || STRSTARTS(STR(?s), "%(kgr)sthing/")
          || STRSTARTS(STR(?s), "%(kgr)splace/") || STRSTARTS(STR(?s), "%(cameo)s"))
  FILTER NOT EXISTS { ?x ?q ?s }
  FILTER NOT EXISTS { GRAPH ?h { ?y ?r ?s } } }""" % {"kgr": KGR, "cameo": CAMEO}

#: Actors, things, places and CAMEO event types nothing refers to (as an rdflib graph
#: drops them, `kgbuild.graph.build.remove_document`), twice: a place dropped by the first
#: pass may be the last reference to its country and its geometry. (Reads the whole store.)
UNREFERENCED = _UNREFERENCED + " ;" + _UNREFERENCED + "\n"

_NO_REPORT = "?e a kg:Event ; ?p ?o . FILTER NOT EXISTS { GRAPH ?g { ?e kg:mention ?m } }"

#: Events no document reports any more, then `UNREFERENCED` (reads the whole store).
GARBAGE = f"DELETE {{ ?e ?p ?o }} WHERE {{ {_NO_REPORT} }} ;\n" + UNREFERENCED


def collect_events_update(iris: Iterable[str]) -> str:
    """The SPARQL update operation (no prologue) that drops those of these nodes that are
    events no document reports any more."""
    return f"DELETE {{ ?e ?p ?o }} WHERE {{ {nodes_values(iris)} {_NO_REPORT} }}"
