"""Settling a store after writes (`GraphStore.finalize`): for the nodes its dirty file
lists, a slice at a time, mention counts, report dates and one label per node
(`kgbuild.stores.updates`), then the dyad index moved by the listed events
(`kgbuild.stores.dyads`), dropping the events no document reports any more, then the
rows whose Goldstein sum a move could not tell recounted, then the listed events' entries
of the timeline index (`kgbuild.stores.timeline`); so a batch costs what it
holds, whatever the size of the store. Every node at once, and the whole index anew,
only for `every_node`, an older kgbuild's empty dirty file or a store without the index.

Stopped after any of its transactions and run again, it gives the store an uninterrupted
one gives: what it reads to decide a transaction (the labels a node loses, the rows to
recount) is in the dirty file before that transaction, each transaction is idempotent,
and the file goes only after the last."""
from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from . import dyads, timeline
from .dirty import NAME as DIRTY_NAME
from .updates import (
    FINALIZE,
    GARBAGE,
    PREFIXES,
    UNREFERENCED,
    collect_events_update,
    finalize_nodes_update,
    nodes_values,
)

if TYPE_CHECKING:
    from .oxigraph import GraphStore

GRAPHS_PREFIX = dyads.KGR + "graph/"  # the named graphs of documents; listed when removed


def finalize(store: GraphStore, slice_size: int, *, every_node: bool = False) -> None:
    """See `GraphStore.finalize`."""
    store.write_pending()
    store._mark_dirty()  # lists what is still in memory
    removed = False
    recount: set[str] = set()  # rows to recount once every listed event has moved
    slices = None if every_node else store._dirty_slices(slice_size)
    if slices is not None:
        for iris in slices:
            removed = removed or any(iri.startswith(GRAPHS_PREFIX) for iri in iris)
            _settle(store, _nodes(iris, recount))
    if slices is None:
        store._write(store.store.update, FINALIZE + " ;\n" + GARBAGE)
    if slices is not None and store.new and not store._read_index(dyads.has_index):
        store._write(store.store.update, dyads.empty_index())
    if slices is not None and store.new and not store._read_index(timeline.has_index):
        store._write(store.store.update, timeline.empty_index())
    if slices is None or not store._read_index(dyads.has_index):
        if removed:
            store._write(store.store.update, PREFIXES + GARBAGE)
        store._write(store.store.update, dyads.rebuild_update())
    else:
        for iris in store._dirty_slices(slice_size) or ():  # the events of the same list
            _refresh_dyads(store, _nodes(iris, recount), collect=removed, recount=recount)
        if store._dirty_labels:  # parties whose label changed: their events move rows
            events = [s["e"].value for s in store._read(dyads.events_of_labels_query(
                sorted(store._dirty_labels)))]
            for start in range(0, len(events), slice_size):
                _refresh_dyads(store, events[start:start + slice_size], collect=removed,
                               recount=recount)
        rows = sorted(recount)
        for start in range(0, len(rows), slice_size):
            _recount(store, rows[start:start + slice_size])
        if removed:  # nodes only the removed documents and collected events named
            store._write(store.store.update, PREFIXES + UNREFERENCED)
    _timeline(store, slice_size, every=slices is None)
    ranks = store._read_index(dyads.rank_update)
    if ranks:
        store._write(store.store.update, ranks)
    store._dirty_labels, store.new = set(), False
    store._write(store.store.flush)
    with contextlib.suppress(FileNotFoundError):
        (store.path / DIRTY_NAME).unlink()


def _timeline(store: GraphStore, slice_size: int, *, every: bool) -> None:
    """The timeline index (`kgbuild.stores.timeline`): the entries of the listed events, a
    slice per transaction, or (`every`, or a store without it) the whole index anew."""
    if every or not store._read_index(timeline.has_index):
        store._write(store.store.update, timeline.rebuild_update())
        return
    for iris in store._dirty_slices(slice_size) or ():
        events = [iri for iri in iris if not iri.startswith(dyads.ROW_PREFIX)]
        if events:
            store._write(store.store.update, timeline.events_update(events))


def _nodes(iris: list[str], recount: set[str]) -> list[str]:
    """The nodes of a slice of the dirty file; the index rows it lists (to recount, listed
    by a finalize that was stopped) are added to `recount` instead."""
    nodes = []
    for iri in iris:
        if iri.startswith(dyads.ROW_PREFIX):
            recount.add(iri)
        else:
            nodes.append(iri)
    return nodes


def _settle(store: GraphStore, iris: list[str]) -> None:
    """Counts, dates and one label for these nodes, in one transaction; first the
    labels of those with several are listed in the dirty file."""
    if not iris:
        return
    found: dict[str, set[str]] = {}
    for s in store._read(PREFIXES + f"SELECT ?e ?l WHERE {{ {nodes_values(iris)} ?e rdfs:label ?l }}"):
        found.setdefault(s["e"].value, set()).add(s["l"].value)
    relabelled = {label for labels in found.values() if len(labels) > 1 for label in labels}
    store._touched_labels += sorted(relabelled - store._dirty_labels)
    store._dirty_labels.update(relabelled)
    store._mark_dirty()  # before the transaction that drops all labels but one
    store._write(store.store.update, finalize_nodes_update(iris))


def _refresh_dyads(store: GraphStore, iris: list[str], *, collect: bool, recount: set[str]) -> None:
    """Move these events' shares of the dyad index to the rows they count in now and,
    with `collect` (documents were removed), drop those left without any report, in
    one transaction; the rows whose sum the move cannot tell are added to `recount`,
    and listed in the dirty file before that transaction."""
    if not iris:
        return
    now = store._read(dyads.shares_query(iris))
    change = dyads.delta(iris, now, store._read(dyads.records_query(iris)))
    current = store._read(dyads.rows_query(change.rows)) if change.rows else []
    update, unsure = dyads.delta_update(change, current)
    store._touched += [row for row in unsure if row not in recount]
    recount.update(unsure)
    store._mark_dirty()
    parts = [part for part in (update, collect_events_update(iris) if collect else "") if part]
    if parts:
        store._write(store.store.update, PREFIXES + " ;\n".join(parts))


def _recount(store: GraphStore, rows: list[str]) -> None:
    """Recount these rows of the index from their events, in one transaction (a row the
    moves dropped is left out)."""
    labels = [(s["source"].value, s["other"].value) for s in store._read(dyads.rows_query(rows))]
    if labels:
        store._write(store.store.update, dyads.recount_update(labels))

