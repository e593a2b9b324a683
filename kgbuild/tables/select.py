"""What the event table reads from a graph or a store: per mention, the values each of its
variables takes (`mention_values`), folded into rows by `kgbuild.tables.rows`.

Three queries, each run by `kgbuild.query.run_query` on an rdflib Graph or a
`GraphStore` alike: the events (all, or those `DateRange.selection` picks) with their
mentions and the nodes in their slots, once per event (`#@lateral`: the store's LATERAL);
then the labels, codes and classes of each node and the codes of each event type, once per
node however many events name it. One query joining it all read a node's dozen values
again for every mention of every event that names it (57 s for the 23k events of 1.6M
triples; a day's table took 12 s of it); the values each variable takes per mention are the
same.
"""
from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph

from ..graph.build import GEONAMES
from ..graph.namespace import KG, OWL, RDFS, WGS
from ..graph.quads import nt_term
from ..query import run_query
from ..query.store import store_query_result
from .dates import DateRange

_PREFIXES = f"PREFIX kg: <{KG}>\nPREFIX rdfs: <{RDFS}>\nPREFIX owl: <{OWL}>\nPREFIX wgs: <{WGS}>\n"
#: Event slots that hold a node: (property, the variable prefix of the table's folding).
SLOTS = (("actor", "a1"), ("recipient", "rc"), ("target", "tg"), ("location", "pl"))
#: Node values by variable suffix; places' geometry only for `pl`.
NODE_VALUES = ("name", "code", "country", "role", "wikidata", "class")
PLACE_VALUES = ("lat", "lon", "same")
#: Event-type values: the table's variable names.
TYPE_VALUES = ("code", "root", "quad", "goldstein", "plover")
NODES_PER_QUERY = 2000

_EVENTS = _PREFIXES + """SELECT ?event ?action ?modality ?negated ?time ?time_end ?a1 ?rc ?tg ?pl ?et
WHERE {
  %(selection)s
  { #@lateral: the store reads each event's values once
    ?event a kg:Event .
    OPTIONAL { ?event kg:action ?action }
    OPTIONAL { ?event kg:modality ?modality }
    OPTIONAL { ?event kg:negated ?negated }
    OPTIONAL { ?event kg:time ?time }
    OPTIONAL { ?event kg:timeEnd ?time_end }
    OPTIONAL { ?event kg:actor ?a1 }
    OPTIONAL { ?event kg:recipient ?rc }
    OPTIONAL { ?event kg:target ?tg }
    OPTIONAL { ?event kg:location ?pl }
    OPTIONAL { ?event kg:eventType ?et }
  }
}"""

_MENTIONS = _PREFIXES + """SELECT ?event ?mention ?confidence ?sentence ?sentence_start ?doc
WHERE {
  %(selection)s
  { #@lateral: the store reads each mention's values once
    ?event a kg:Event ; kg:mention ?mention .
    OPTIONAL { ?mention kg:confidence ?confidence }
    OPTIONAL { ?mention kg:sentence ?s .
      OPTIONAL { ?s kg:text ?sentence }
      OPTIONAL { ?s kg:start ?sentence_start } }
    OPTIONAL { ?mention kg:document ?doc }
  }
}"""

_DOCUMENTS = _PREFIXES + """SELECT * WHERE {
  VALUES ?doc { %(nodes)s }
  OPTIONAL { ?doc kg:docId ?doc_id }
  OPTIONAL { ?doc kg:url ?url }
  OPTIONAL { ?doc kg:published ?published }
}"""

_NODES = _PREFIXES + """SELECT * WHERE {
  VALUES ?node { %(nodes)s }
  OPTIONAL { ?node rdfs:label ?name }
  OPTIONAL { ?node kg:cameoActorCode ?code }
  OPTIONAL { ?node kg:countryCode ?country }
  OPTIONAL { ?node kg:role ?role }
  OPTIONAL { ?node kg:wikidata ?wikidata }
  OPTIONAL { ?node a ?class }
  OPTIONAL { ?node wgs:lat ?lat }
  OPTIONAL { ?node wgs:long ?lon }
  OPTIONAL { ?node owl:sameAs ?same FILTER (STRSTARTS(STR(?same), "%(geonames)s")) }
}"""

_TYPES = _PREFIXES + """SELECT * WHERE {
  VALUES ?et { %(nodes)s }
  OPTIONAL { ?et kg:cameoCode ?code }
  OPTIONAL { ?et kg:cameoRoot ?root }
  OPTIONAL { ?et kg:quadClass ?quad }
  OPTIONAL { ?et kg:goldstein ?goldstein }
  OPTIONAL { ?et kg:plover ?plover }
}"""


class Values:
    """The values each variable took in the solutions of one mention."""

    def __init__(self) -> None:
        self.seen: dict[str, set[str]] = {}

    def add(self, var: str, values: Iterable[str]) -> None:
        self.seen.setdefault(var, set()).update(values)

    def one(self, var: str) -> str | None:
        values = self.seen.get(var)
        return min(values) if values else None

    def all(self, var: str) -> list[str]:
        return sorted(self.seen.get(var, ()))


def _solutions(source, text: str) -> Iterable[dict[str, str]]:
    """The solutions of a query as {variable: value text}, unbound and empty values left
    out. On a store the text goes to Oxigraph as it is: it is kgbuild's own, with every
    term escaped (`nt_term`), and rdflib's parse of a long VALUES block takes seconds."""
    if isinstance(source, Graph):
        result = run_query(source, text)
    else:
        result = store_query_result(source, text)
    for row in result.rows:
        yield {var: str(term) for var, term in zip(result.variables, row)
               if term is not None and str(term) != ""}


def _grouped(solutions: Iterable[dict[str, str]], key: str) -> dict[str, dict[str, set[str]]]:
    """Per value of `key`: per other variable, the values it takes in the solutions."""
    out: dict[str, dict[str, set[str]]] = {}
    for sol in solutions:
        found = out.setdefault(sol.pop(key), {})
        for var, value in sol.items():
            found.setdefault(var, set()).add(value)
    return out


def _values_of(source, query: str, key: str, nodes: set[str]) -> dict[str, dict[str, set[str]]]:
    """Per node: per variable, its values (a query of `VALUES ?key`, in slices)."""
    out: dict[str, dict[str, set[str]]] = {}
    ordered = sorted(nodes)
    for start in range(0, len(ordered), NODES_PER_QUERY):
        terms = " ".join(nt_term(n) for n in ordered[start:start + NODES_PER_QUERY])
        out |= _grouped(_solutions(source, query % {"nodes": terms, "geonames": GEONAMES}), key)
    return out


def mention_values(source, dates: DateRange | None = None) -> dict[str, Values]:
    """Mention IRI -> the values its variables take (the table's folding reads `event`,
    `mention`, the event's, mention's and document's own values, and per slot prefix `a1`,
    `rc`, `tg`, `pl` the node's `_name`, `_code` … `_class`, with kg:Actor left out of the
    classes of `a1` and `rc`), for every event of `source` or those `dates` may hold.

    Raises:
        QueryError: a query failed (a damaged store).
    """
    selection = {"selection": dates.selection() if dates is not None else "?event a kg:Event ."}
    events = _grouped(_solutions(source, _EVENTS % selection), "event")
    mentions = _grouped(_solutions(source, _MENTIONS % selection), "mention")
    nodes = {n for found in events.values() for _, slot in SLOTS for n in found.get(slot, ())}
    node_values = _values_of(source, _NODES, "node", nodes)
    type_values = _values_of(source, _TYPES, "et", {t for f in events.values() for t in f.get("et", ())})
    doc_values = _values_of(source, _DOCUMENTS, "doc", {d for f in mentions.values() for d in f.get("doc", ())})
    per_mention: dict[str, Values] = {}
    for mention, own in mentions.items():
        values = per_mention[mention] = Values()
        values.add("mention", (mention,))
        for group in [own] + [events.get(e, {}) for e in own["event"]] + \
                [doc_values.get(d, {}) for d in own.get("doc", ())]:
            for var, found in group.items():
                values.add(var, found)
        for _, slot in SLOTS:
            names = NODE_VALUES + (PLACE_VALUES if slot == "pl" else ())
            for node in values.seen.get(slot, ()):
                of_node = node_values.get(node, {})
                for name in names:
                    got = of_node.get(name, set())
                    if name == "class" and slot in ("a1", "rc"):
                        got = got - {str(KG.Actor)}
                    values.add(f"{slot}_{name}", got)
        for et in values.seen.get("et", ()):
            for name, got in type_values.get(et, {}).items():
                values.add(name, got)
    return per_mention
