"""The store's timeline index: for each node that is the actor, a target or a recipient of
an event, the days it has events on, what it did or underwent each day, and the events of
each, kept by `GraphStore.finalize` in the named graph `kgr:index/timeline`, so that the
saved query `timeline` reads an actor's first days and their events (`kgbuild.query.timeline`)
instead of every event of the actor, sorted:

    <node> kg:activeOn "2025-01-03" .                    # a kg:time of one of its events
    <kgr:timeline/SHA1(node \n day)> kg:activeOn "actor\tvisit" .   # its slot, the action
    <event> kg:onDay <kgr:timeline/SHA1(node \n day \n slot \t action)> .

(`day` is the date's text; the slots are named as the saved query's `?as` names them.)
An event's entries are written when a build touches it, for each of its parties, dates
and actions, so a batch costs what it holds. Nothing is taken out: an entry of an event
dropped since, or a day without events left, is read and gives no rows (the query joins
the events as the store holds them). A store without the index (`has_index`) is answered
by the saved query as it is; the whole index is written anew where the dyad index is.
"""
from __future__ import annotations

from collections.abc import Iterable

from ..graph.namespace import KG, KGR
from ..graph.quads import nt_term
from .updates import PREFIXES

INDEX = f"{KGR}index/timeline"
BUCKET_PREFIX = f"{KGR}timeline/"
#: The slots of the saved query's `?as`, and their names there.
SLOTS = '(kg:actor "actor") (kg:target "target") (kg:recipient "recipient")'


def bucket_iri(*parts: str) -> str:
    """SPARQL for the IRI of a bucket of the node `?a` from these SPARQL string expressions."""
    text = ', "\\n", '.join(("STR(?a)",) + parts)
    return f'IRI(CONCAT("{BUCKET_PREFIX}", SHA1(CONCAT({text}))))'


_ENTRIES = (f"INSERT {{ GRAPH <{INDEX}> {{ ?a kg:activeOn ?text . ?day kg:activeOn ?part . "
            "?event kg:onDay ?bucket } }\n"
            "WHERE { { %s } LATERAL { ?event a kg:Event ; kg:time ?d ; kg:action ?action .\n"
            f"  VALUES (?slot ?as) {{ {SLOTS} }} ?event ?slot ?a .\n"
            '  BIND (STR(?d) AS ?text) BIND (CONCAT(?as, "\\t", STR(?action)) AS ?part)\n'
            f"  BIND ({bucket_iri('STR(?d)')} AS ?day)\n"
            f"  BIND ({bucket_iri('STR(?d)', '?part')} AS ?bucket) }} }}")  # once per event listed


def events_update(events: Iterable[str]) -> str:
    """The SPARQL update that writes the entries of these events (IRIs; nodes that are
    no events are passed over)."""
    return PREFIXES + _ENTRIES % ("VALUES ?event { " + " ".join(nt_term(e) for e in events) + " }")


def rebuild_update() -> str:
    """The SPARQL update that writes the whole index anew, with its marker."""
    return (PREFIXES + f"DROP SILENT GRAPH <{INDEX}> ;\n" + _ENTRIES % "" + " ;\n"
            + empty_index())


def empty_index() -> str:
    """The SPARQL update that starts the (empty) index of a new store."""
    return f"INSERT DATA {{ GRAPH <{INDEX}> {{ <{INDEX}> a <{KG}TimelineIndex> }} }}"


def has_index(store) -> bool:
    """True when the pyoxigraph store holds a complete timeline index."""
    return bool(store.query(f"ASK {{ GRAPH <{INDEX}> {{ <{INDEX}> a <{KG}TimelineIndex> }} }}"))
