"""The store's dyad index: the rows of the saved query `dyads`, kept by
`GraphStore.finalize` in the named graph `kgr:index/dyads` and read instead of aggregating
every event when a store has it.

Each event records there the rows it counts in (`<event> kg:inDyad <row>`), so a build
updates the index by the events it touched, whatever the size of the store: for each
such event, its rows as the store now gives them (`shares`) are compared with the rows it
recorded; where they differ (a new event, an event that lost its last report, a party
whose label changed) the old rows lose what the event gave them and the new rows gain it,
in one transaction with the new records (`delta_update`), so a slice applied twice
changes nothing the second time. A row whose Goldstein sum a move cannot tell is
recounted from its events (`recount_update`) only once every event of the build has moved
(recounted earlier, the moves still to come would count against a sum that already holds
them). The whole index is computed anew (`rebuild_update`) only when it is missing or was
written without these records.
"""
from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources

from ..graph.namespace import KG, KGR
from ..graph.quads import nt_term
from .updates import PREFIXES as _PREFIXES

INDEX = f"{KGR}index/dyads"
ROW_PREFIX = f"{KGR}dyad/"  # the IRIs of the index's rows
ORDER_BY = re.compile(r"\bORDER\s+BY\b.*\Z", re.S | re.I)
ROW_PATTERN = (f"GRAPH <{INDEX}> {{ ?d kg:dyadSource ?source ; kg:dyadOther ?other ; "
        "kg:dyadEvents ?events ; kg:dyadGoldstein ?goldstein }")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_DECIMAL, _INTEGER = _XSD + "decimal", _XSD + "integer"
_ROW_IRI = f'BIND (IRI(CONCAT("{ROW_PREFIX}", SHA1(CONCAT(STR(?source), "\\n", STR(?other))))) AS ?d)'


def row_iri(source: str, other: str) -> str:
    """The IRI of the row of (source, other), as `rebuild_update` mints it."""
    return ROW_PREFIX + hashlib.sha1(f"{source}\n{other}".encode()).hexdigest()


@functools.lru_cache(maxsize=1)
def dyads_query() -> str:
    """The text of the saved query `dyads` (`kgbuild/query/saved/dyads.rq`), whose rows the
    index holds; read as a file of the package, so the store does not import the query side."""
    return resources.files("kgbuild").joinpath("query", "saved", "dyads.rq").read_text("utf-8")


def order_by() -> str:
    """The ORDER BY clause of the saved query `dyads`: the order of the index's rows."""
    found = ORDER_BY.search(dyads_query())
    assert found is not None, "dyads.rq ends with ORDER BY"
    return found.group(0)


def _body() -> str:
    """The WHERE group of the saved query, braces included: its solutions are one per
    (event, source, other) and party, with the event's Goldstein value `?g`."""
    text = dyads_query()
    where = re.search(r"\bWHERE\s*\{", text, re.I)
    assert where is not None, "dyads.rq has a WHERE group"
    start = where.end() - 1
    depth = 0
    for end in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[end], 0)
        if depth == 0:
            return text[start:end + 1]
    raise ValueError("the saved query dyads has no closed WHERE group")


def _select(values: str = "") -> str:
    """The saved query as a subquery (its prefixes and comments dropped), with `values`
    at the start of its WHERE clause."""
    body = "\n".join(line for line in dyads_query().splitlines()
                     if not line.lstrip().startswith(("#", "PREFIX")))
    return re.sub(r"\bWHERE\s*\{", lambda m: m.group(0) + " " + values, body, count=1, flags=re.I)


def _insert(values: str = "") -> str:
    return (f"INSERT {{ GRAPH <{INDEX}> {{ ?d a kg:Dyad ; kg:dyadSource ?source ; "
            "kg:dyadOther ?other ; kg:dyadEvents ?events ; kg:dyadGoldstein ?goldstein } }\n"
            f"WHERE {{ {{ {_select(values)} }}\n  {_ROW_IRI} }}")


def rebuild_update() -> str:
    """The SPARQL update that computes every row of the index and every event's records
    anew."""
    return (_PREFIXES + f"DROP SILENT GRAPH <{INDEX}> ;\n" + _insert() + " ;\n"
            f"INSERT {{ GRAPH <{INDEX}> {{ ?event kg:inDyad ?d }} }} WHERE {{ {_body()}\n  {_ROW_IRI} }} ;\n"
            + empty_index())


def empty_index() -> str:
    """The SPARQL update that starts the (empty) index of a new store."""
    return f"INSERT DATA {{ GRAPH <{INDEX}> {{ <{INDEX}> a <{KG}DyadIndex> }} }}"


def has_index(store) -> bool:
    """True when the pyoxigraph store holds a complete dyad index with the records of its
    events (an index of an older kgbuild, with rows but no records, is not one)."""
    return bool(store.query(
        f"ASK {{ GRAPH <{INDEX}> {{ <{INDEX}> a <{KG}DyadIndex> }} "
        f"FILTER (EXISTS {{ GRAPH <{INDEX}> {{ ?e <{KG}inDyad> ?d }} }} "
        f"|| NOT EXISTS {{ GRAPH <{INDEX}> {{ ?r <{KG}dyadEvents> ?n }} }}) }}"))


# -- updating the index by the events a build touched -----------------------------------
@dataclass
class Change:
    """What a row gains (or loses, negative) from the events of a slice."""

    events: int = 0
    goldstein: Decimal = Decimal(0)
    typed: bool = False  # a solution with a Goldstein value is added (the sum is a decimal)
    typed_loss: bool = False  # a solution with a Goldstein value is taken away
    recount: bool = False  # what an event took away is not known: recount the row
    labels: tuple[str, str] | None = None  # (source, other) of a row that may be new


@dataclass
class Delta:
    """The changes of one slice: per row IRI, and the records to drop and to add."""

    rows: dict[str, Change] = field(default_factory=dict)
    drop: list[tuple[str, str]] = field(default_factory=list)
    add: list[tuple[str, str]] = field(default_factory=list)


def _values(var: str, iris: Iterable[str]) -> str:
    return f"VALUES ?{var} {{ " + " ".join(nt_term(iri) for iri in iris) + " }"


def shares_query(events: list[str]) -> str:
    """The rows these events count in now: the solutions of the saved query for each
    (once per event, `LATERAL`: Oxigraph would join the parties of every event first),
    with its Goldstein value `?g`; an event without any mention counts in none (it is
    garbage)."""
    return (_PREFIXES + f"SELECT ?event ?source ?other ?g WHERE {{ {_values('event', events)} LATERAL {{\n"
            f"  {_body()}\n  FILTER EXISTS {{ GRAPH ?h {{ ?event kg:mention ?reported }} }} }} }}")


def records_query(events: list[str]) -> str:
    """The rows these events recorded, with their recipients and targets and their
    Goldstein value now (what makes an event's solutions, but the labels, never changes)."""
    return (_PREFIXES + f"SELECT ?e ?d ?role ?t ?g WHERE {{ {_values('e', events)}\n"
            f"  GRAPH <{INDEX}> {{ ?e kg:inDyad ?d }}\n"
            "  OPTIONAL { VALUES ?role { kg:recipient kg:target } ?e ?role ?t }\n"
            "  OPTIONAL { ?e kg:eventType/kg:goldstein ?g } }")


def _amount(g) -> tuple[Decimal, bool]:
    """What one solution adds to a Goldstein sum (and whether it has a value, which makes
    the sum a decimal): its Goldstein literal `g`, or an integer 0 without one."""
    return (Decimal(g.value), True) if g is not None else (Decimal(0), False)


def delta(events: list[str], now: list, recorded: list) -> Delta:
    """The changes to the index of these events, from the solutions of `shares_query`
    (`now`) and of `records_query` (`recorded`).

    What an event gave a row it recorded is its Goldstein value once per solution that
    row had, which is once, unless it recorded one row and has both a recipient and a
    target (then once or twice: the row is recounted from its events, `Change.recount`)."""
    new: dict[str, dict[str, list]] = {e: {} for e in events}
    labels: dict[str, tuple[str, str]] = {}
    for s in now:
        d = row_iri(s["source"].value, s["other"].value)
        labels[d] = (s["source"].value, s["other"].value)
        new[s["event"].value].setdefault(d, []).append(_amount(s["g"]))
    old: dict[str, set[str]] = {}
    parties: dict[str, set] = {}
    value: dict[str, tuple[Decimal, bool]] = {}
    for s in recorded:
        e = s["e"].value
        old.setdefault(e, set()).add(s["d"].value)
        parties.setdefault(e, set()).add((s["role"].value, s["t"].value) if s["t"] is not None else None)
        value[e] = _amount(s["g"])
    out = Delta()
    for e in events:
        before = old.get(e, set())
        if before == set(new[e]):
            continue  # the same rows: what it gives them has not changed either
        amount, typed = value.get(e, (Decimal(0), False))
        unsure = len(before) == 1 and len(parties.get(e, set()) - {None}) > 1
        for d in before:
            change = out.rows.setdefault(d, Change())
            change.events -= 1
            change.goldstein -= amount
            change.typed_loss |= typed
            change.recount |= unsure
            out.drop.append((e, d))
        for d, share in new[e].items():
            change = out.rows.setdefault(d, Change())
            change.events += 1
            change.labels = labels[d]
            for solution, has_value in share:
                change.goldstein += solution
                change.typed |= has_value
            out.add.append((e, d))
    return out


def rows_query(rows: Iterable[str]) -> str:
    """The current values of these rows of the index."""
    return (_PREFIXES + f"SELECT ?d ?source ?other ?events ?goldstein WHERE {{ {_values('d', rows)}\n  {ROW_PATTERN} }}")


def _lit(value, datatype: str | None = None) -> str:
    return nt_term((str(value), datatype, None))


def _row(node: str, labels: tuple[str, str]) -> str:
    return f"{node} a kg:Dyad ; kg:dyadSource {_lit(labels[0])} ; kg:dyadOther {_lit(labels[1])} ."


def _values_of(node: str, events, goldstein: str) -> str:
    return f"{node} kg:dyadEvents {_lit(events, _INTEGER)} ; kg:dyadGoldstein {goldstein} ."


def delta_update(change: Delta, current: list) -> tuple[str, list[str]]:
    """The SPARQL update operations (no prologue) that apply `change` to the rows whose
    values `rows_query` gave (`current`), and the IRIs of the rows whose Goldstein sum
    cannot be told from the change alone (a decimal sum that fell to 0 is an integer 0
    when no solution with a value is left), for `recount_update`."""
    have = {s["d"].value: s for s in current}
    delete, insert, gone, recount = [], [], [], []
    for d, c in change.rows.items():
        row, node = have.get(d), nt_term(d)
        if row is None:
            events, gold, typed, labels = c.events, c.goldstein, c.typed, c.labels
        else:
            old_gold = row["goldstein"]
            delete.append(_values_of(node, row["events"].value,
                                     nt_term((old_gold.value, old_gold.datatype.value, None))))
            events = int(row["events"].value) + c.events
            gold = Decimal(old_gold.value) + c.goldstein
            typed = old_gold.datatype.value != _INTEGER or c.typed
            labels = (row["source"].value, row["other"].value)
        if events <= 0 or labels is None:  # no events left (or never any): no row
            if row is not None and labels is not None:  # (a row read has its labels)
                delete.append(_row(node, labels))
                gone.append(d)
            continue
        if row is None:
            insert.append(_row(node, labels))
        elif c.recount or (typed and gold == 0 and c.typed_loss):
            recount.append(d)
        value = _lit(gold, _DECIMAL) if typed else _lit(int(gold), _INTEGER)
        insert.append(_values_of(node, events, value))
    delete += [f"{nt_term(e)} kg:inDyad {nt_term(d)} ." for e, d in change.drop]
    insert += [f"{nt_term(e)} kg:inDyad {nt_term(d)} ." for e, d in change.add]
    parts = []
    if delete:
        parts.append(f"DELETE DATA {{ GRAPH <{INDEX}> {{ {' '.join(delete)} }} }}")
    if gone:  # with their ranks
        parts.append(f"DELETE {{ GRAPH <{INDEX}> {{ ?d kg:dyadRank ?r }} }} WHERE {{ {_values('d', gone)} "
                     f"GRAPH <{INDEX}> {{ ?d kg:dyadRank ?r }} }}")
    if insert:
        parts.append(f"INSERT DATA {{ GRAPH <{INDEX}> {{ {' '.join(insert)} }} }}")
    return " ;\n".join(parts), recount


def recount_update(rows: Iterable[tuple[str, str]]) -> str:
    """The SPARQL update that recomputes these (source, other) rows from their events: each
    row is dropped whole (its rank too, which `rank_update` gives again) and inserted as
    the saved query gives it, so a row its events no longer make is gone."""
    pairs = " ".join(f"({nt_term((s, None, None))} {nt_term((o, None, None))})" for s, o in rows)
    values = f"VALUES (?source ?other) {{ {pairs} }}"
    return (_PREFIXES + f"DELETE {{ GRAPH <{INDEX}> {{ ?d ?p ?o }} }} "
            f"WHERE {{ {values} {_ROW_IRI} GRAPH <{INDEX}> {{ ?d ?p ?o }} }} ;\n" + _insert(values))


def events_of_labels_query(labels: Iterable[str]) -> str:
    """The events a party of which carries one of these labels (their rows follow the
    label a node keeps)."""
    terms = " ".join(nt_term((label, None, None)) for label in labels)
    return (_PREFIXES + f"SELECT DISTINCT ?e WHERE {{ VALUES ?l {{ {terms} }} ?x rdfs:label ?l .\n"
            "  VALUES ?role { kg:actor kg:recipient kg:target } ?e ?role ?x . ?e a kg:Event }")


# -- ranks ---------------------------------------------------------------------------
def has_ranks(store) -> bool:
    """True when the pyoxigraph store's index numbers its rows (`rank_update`)."""
    return bool(store.query(f"ASK {{ GRAPH <{INDEX}> {{ ?d <{KG}dyadRank> ?rank }} }}"))


def rank_update(store) -> str:
    """The SPARQL update that numbers the rows of the pyoxigraph store's index in the saved
    query's order (`kg:dyadRank`, 0 first), rewriting only the ranks that changed."""
    rows = store.query(_PREFIXES + f"SELECT ?d ?rank WHERE {{ {ROW_PATTERN} OPTIONAL {{ GRAPH <{INDEX}> "
                       "{ ?d kg:dyadRank ?rank } } }\n" + order_by())
    delete, insert = [], []
    for n, row in enumerate(rows):
        rank = row["rank"]
        if rank is not None and rank.value == str(n):
            continue
        if rank is not None:
            delete.append(f"<{row['d'].value}> kg:dyadRank {rank.value} .")
        insert.append(f"<{row['d'].value}> kg:dyadRank {n} .")
    parts = ([f"DELETE DATA {{ GRAPH <{INDEX}> {{ {' '.join(delete)} }} }}"] if delete else []) + \
        ([f"INSERT DATA {{ GRAPH <{INDEX}> {{ {' '.join(insert)} }} }}"] if insert else [])
    return (_PREFIXES + " ;\n".join(parts)) if parts else ""
