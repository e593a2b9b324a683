"""A page of the saved query `timeline` on a store that has the timeline index
(`kgbuild.stores.timeline`), read a few groups at a time instead of sorting every event of
the actor.

The saved query's rows are in date order first (dated rows by the text of their date,
undated rows last), then by where the actor stands (`?as`), then by action, then by every
other column. So a page is the rows of the actor's first groups (day, slot, action): the
nodes of the actor (the saved query's own subquery), the days they have events on and the
groups of each day (read from the index, not from the events), then the saved query
itself with its events taken from the buckets of the next groups and its rows kept to
those groups, 6 groups first, then as many as the rows still wanted take (at 1.5 times
the rows per group so far), until the page is full; each such answer is in
the saved query's order and the next groups' rows all come after it. When the dated rows
run out, the undated rows follow (the saved query kept to rows without a date). Each answer
is the saved query's, so the rows are its rows, in its order.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import URIRef

from ..graph.namespace import KG
from ..graph.quads import nt_term
from ..stores import timeline
from .result import QueryResult
from .store import store_query_result

if TYPE_CHECKING:
    from ..stores.oxigraph import GraphStore

#: Where the saved text is extended: the line that opens its once-per-node group, the line
#: that reads the date, and the subquery that finds the actor's nodes.
GROUP = "{ #@lateral: the store runs this group once per row of the subquery"
DATE = "OPTIONAL { ?event kg:time ?date }"
#: The optional parts after the group, each on a line of its own.
OPTIONALS = ("OPTIONAL { ?event kg:target/rdfs:label ?target }", DATE,
             "OPTIONAL { ?m kg:timeText ?timeText }")
NODES = "{ SELECT DISTINCT ?a ?actor WHERE {"
MAX_GROUPS = 256  # days, or groups, per query at most
FIRST_GROUPS = 6  # groups of the first query (then as many as the rows still wanted take)
_KG = str(KG)


def has_index(store) -> bool:
    """True when `store` (a GraphStore) holds the timeline index."""
    inner = getattr(store, "store", None)
    return inner is not None and timeline.has_index(inner)


def _group(text: str, start: int) -> str:
    """The `{ ... }` group of `text` that opens at `start`."""
    depth = 0
    for end in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[end], 0)
        if depth == 0:
            return text[start:end + 1]
    raise ValueError("unclosed group")


def _after_line(text: str, anchor: str, insert: str) -> str:
    """`text` with `insert` on a line of its own after the line that holds `anchor`."""
    at = text.index("\n", text.index(anchor)) + 1
    return text[:at] + insert + "\n" + text[at:]


def _strings(values) -> str:
    return " ".join(nt_term((v, None, None)) for v in values)


def page_of_timeline(store: GraphStore, text: str, *, limit: int, offset: int = 0) -> QueryResult | None:
    """The page `offset`, `limit` of the saved query `timeline` (`text`: its bound text)
    on a store with the timeline index; None when `text` is not shaped as this module
    reads it, or the actor has a blank node (the caller runs the text as it is)."""
    if not all(anchor in text for anchor in (GROUP, NODES) + tuple(f"  {o}\n" for o in OPTIONALS)):
        return None
    head = text[:text.index("SELECT")]
    nodes_query = head + "SELECT DISTINCT ?a WHERE " + _group(text, text.index(NODES) + len(NODES) - 1)
    listed = [row[0] for row in store_query_result(store, nodes_query).rows]
    nodes = [node for node in listed if isinstance(node, URIRef)]
    if len(nodes) != len(listed):
        return None  # blank nodes have no bucket
    seeds = f"VALUES ?a {{ {' '.join(node.n3() for node in nodes)} }}"
    days = sorted(_texts(store, f"SELECT DISTINCT ?day WHERE {{ {seeds} GRAPH <{timeline.INDEX}> "
                                f"{{ ?a <{_KG}activeOn> ?d }} BIND (STR(?d) AS ?day) }}")) if nodes else []
    want = offset + limit + 1  # one row past the page says whether there are more
    rows: list = []
    variables: list[str] = []
    groups: list[tuple[str, str]] = []
    done, day_step, group_step, read = 0, 1, FIRST_GROUPS, 0
    while len(rows) < want:
        if not groups:
            if done >= len(days):
                break
            chosen = days[done:done + day_step]
            done, day_step = done + len(chosen), min(day_step * 2, MAX_GROUPS)
            groups = sorted(_pairs(store, f"SELECT DISTINCT ?day ?part WHERE {{ {{ {seeds} "
                                          f"VALUES ?day {{ {_strings(chosen)} }} "
                                          f"BIND ({timeline.bucket_iri('?day')} AS ?bucket) }} LATERAL "
                                          f"{{ GRAPH <{timeline.INDEX}> {{ ?bucket <{_KG}activeOn> ?part }} }} }}"))
            continue
        batch, groups = groups[:group_step], groups[group_step:]
        found = store_query_result(store, _groups_query(text, batch))
        variables, rows = found.variables, rows + found.rows
        read += len(batch)
        # the groups the rows still wanted take at the rows per group so far, and half again
        group_step = min(MAX_GROUPS, max(1, -(-3 * (want - len(rows)) * read // (2 * max(len(rows), 1)))))
    if len(rows) < want:
        found = store_query_result(store, _after_line(text, DATE, "  FILTER (!BOUND(?date))"))
        variables, rows = found.variables, rows + found.rows
    return QueryResult("SELECT", variables, rows[offset:offset + limit],
                       truncated=len(rows) > offset + limit, offset=offset)


def _texts(store: GraphStore, query: str) -> set[str]:
    return {str(row[0]) for row in store_query_result(store, query).rows}


def _pairs(store: GraphStore, query: str) -> set[tuple[str, str]]:
    return {(str(row[0]), str(row[1])) for row in store_query_result(store, query).rows}


def _groups_query(text: str, groups: list[tuple[str, str]]) -> str:
    """The saved query kept to the events of the actor's nodes in these (day, slot and
    action) groups, by their buckets, and to rows of those groups."""
    pairs = " ".join(f"({_strings([day])} {_strings([part])})" for day, part in groups)
    seed = (f"    {{ VALUES (?day ?part) {{ {pairs} }}\n"
            f"      BIND ({timeline.bucket_iri('?day', '?part')} AS ?bucket) }}\n"
            f"    LATERAL {{ GRAPH <{timeline.INDEX}> {{ ?event <{_KG}onDay> ?bucket }} }}\n"
            "    LATERAL {")  # each step once per row of the one before: Oxigraph keeps the order
    keys = ", ".join(_strings([f"{day}\n{part}"]) for day, part in groups)
    tail = "".join(f"    {line}\n" for line in OPTIONALS) + (
        '    FILTER (BOUND(?date) && CONCAT(STR(?date), "\\n", ?as, "\\t", '
        f"STR(?action)) IN ({keys}))\n")
    for line in OPTIONALS:  # read once per event, inside the group (outside: for every event)
        text = text.replace(f"  {line}\n", "", 1)
    start = text.index(GROUP)
    group = _group(text, start)
    return (text[:start] + GROUP + "\n" + seed + group[len(GROUP):-1] + tail + "    }\n  }"
            + text[start + len(group):])
