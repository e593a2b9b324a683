"""The write path of a `GraphStore` (`StoreWrites`, a base class of it): adding and removing
documents, the dirty file that lists the nodes to settle before their triples are written,
`finalize` (`kgbuild.stores.settling`) and `compact`. The store's layout, and why a build
killed at any point leaves a consistent store, are in `kgbuild.stores.oxigraph`.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, cast

from rdflib import RDFS, Graph

from ..errors import GraphError, store_error
from ..graph.build import document_graph
from ..graph.datasets import partition
from ..graph.mapping import kg, map_batch, rdfs
from ..graph.namespace import KG
from ..graph.quads import ox_quads
from ..model import Document, Event
from . import dirty, settling
from .bulkload import BulkWriter
from .updates import PREFIXES

if TYPE_CHECKING:
    import pyoxigraph

    from .oxigraph import GraphStore

FLUSH_EVERY = 10  # batches between flushes of Oxigraph's write buffers
FINALIZE_SLICE = 500  # nodes per finalize transaction (memory flat with the store's size)
AGGREGATES = frozenset((KG.mentionCount, KG.firstReported, KG.lastReported))


class StoreWrites:
    """Writing to an open store; `GraphStore` opens it and sets these attributes."""

    path: Path
    read_only: bool
    store: pyoxigraph.Store
    _batches: int
    _writer: BulkWriter | None  # the BulkWriter of add_events, made on first use
    _touched: list[str]  # nodes to finalize, not yet listed in the dirty file
    _touched_labels: list[str]  # dyad labels to recount, not yet listed there
    _dirty_labels: set[str]  # labels the dirty file lists (read by finalize)

    def document_hashes(self) -> dict[str, str]:
        """Document id -> content hash of every document the store holds.

        Raises:
            GraphError: a document sits in another named graph than `document_graph` of its
                id gives: the store was written by a kgbuild that named graphs by the first
                `/`-separated part of the id, so replacing documents would go wrong.
        """
        q = PREFIXES + ("SELECT ?g ?id ?h WHERE { GRAPH ?g { ?d kg:docId ?id "
                         "OPTIONAL { ?d kg:contentHash ?h } } }")
        hashes = {}
        for s in self._read(q):
            doc_id = s["id"].value
            if s["g"].value != str(document_graph(doc_id)):
                raise GraphError(
                    f"{self.path}: written by an older kgbuild, which shared one graph between "
                    f"documents whose ids hold '/' (or are '.' or '..'); document {doc_id!r} is in "
                    f"<{s['g'].value}>. Adding to this store would keep stale versions: build a "
                    "new store from your inputs (kgbuild build INPUT --store NEW_FOLDER)")
            if s["h"] is not None:
                hashes[doc_id] = s["h"].value
        return hashes

    def unfinished_documents(self) -> set[str]:
        """Ids of documents the store holds only part of (a build stopped inside them)."""
        q = PREFIXES + ("SELECT ?id WHERE { GRAPH ?g { ?d a kg:Document ; kg:docId ?id "
                         "FILTER NOT EXISTS { ?d kg:contentHash ?h } } }")
        return {s["id"].value for s in self._read(q)}

    def _read(self, query: str) -> list:
        self.write_pending()
        try:
            return list(cast("pyoxigraph.QuerySolutions", self.store.query(query)))
        except (OSError, RuntimeError) as err:
            raise store_error(self.path, err, "cannot read the store") from None

    def _write(self, action, *args) -> None:
        try:
            action(*args)
        except (OSError, RuntimeError) as err:
            raise store_error(self.path, err, "cannot write to the store") from None

    def remove_documents(self, doc_ids: Iterable[str]) -> None:
        """Drop the named graphs of these documents; `finalize` then drops the events and
        nodes only they referred to."""
        import pyoxigraph

        names = [pyoxigraph.NamedNode(str(document_graph(d))) for d in doc_ids]
        if not names:
            return
        self.write_pending()
        graphs = " ".join(f"<{n.value}>" for n in names)
        self._touched += [s["e"].value for s in self._read(
            PREFIXES + f"SELECT DISTINCT ?e WHERE {{ VALUES ?g {{ {graphs} }} "
            "GRAPH ?g { ?e kg:mention ?m } }")]  # their counts, dates and dyad rows change
        self._touched += [n.value for n in names]  # finalize then drops what only they named
        self._mark_dirty()
        drops = " ;\n".join(f"DROP SILENT GRAPH <{n.value}>" for n in names)
        self._write(self.store.update, drops)

    def add(self, graph: Graph) -> int:
        """Add a graph built by `kgbuild.build_graph` (one transaction); returns quads added."""
        self._touched += {str(s): None for s, p in graph.subject_predicates()
                          if p in (KG.mention, RDFS.label, KG.role)}  # blank nodes: not listed
        return self._extend(ox_quads(q for q in partition(graph) if q[1] not in AGGREGATES))

    def add_events(self, events: Iterable[Event], documents: Iterable[Document] = ()) -> int:
        """Add events and document metadata as `add(build_graph(events, documents=...))`
        does: the triples of `kgbuild.graph.mapping.map_batch`, no rdflib or pyoxigraph terms,
        bulk-loaded by `kgbuild.stores.bulkload.BulkWriter` a few hundred documents at a time
        (reads, `finalize` and `close` wait for it: `write_pending`); returns quads added."""
        triples, touched = map_batch(events, documents)
        self._touched += dict.fromkeys(touched + triples.subjects_of((rdfs.label, kg.role)))
        return self._bulk().add(partition(triples))

    def write_pending(self) -> None:
        """Write what `add_events` buffered and wait until it is written."""
        if self._writer is not None:
            self._writer.write()

    def _bulk(self):
        if self._writer is None:
            self._writer = BulkWriter(
                self.store, kg.contentHash, before_write=self._mark_dirty,
                on_error=lambda err: store_error(self.path, err, "cannot write to the store"))
        return self._writer

    def _extend(self, quads: list) -> int:
        self._mark_dirty()
        self._write(self.store.extend, quads)
        self._batches += 1
        if self._batches % FLUSH_EVERY == 0:
            self._write(self.store.flush)  # bounds the store's write buffers (memory flat with size)
        return len(quads)

    def finalize(self, slice_size: int = FINALIZE_SLICE, *, every_node: bool = False) -> None:
        """Settle what was written or removed since the last finalize (listed in the dirty
        file), `slice_size` nodes per transaction, so a batch costs what it holds whatever
        the size of the store: mention counts, report dates and one label per node for the
        listed nodes, then the dyad index by the listed events (`kgbuild.stores.dyads`),
        dropping those left without any report. With `every_node`, or when the dirty file
        is an older kgbuild's empty marker, every node in one transaction and the whole
        index anew.

        Before a slice keeps one label per node, the labels of its nodes that have more
        than one are appended to the dirty file, so a finalize stopped after that moves the
        same events' dyad rows when it is run again; so are the index rows a move cannot
        settle, before that move, and they are recounted once every event has moved.

        Raises:
            UntrustedDirtyFile: the dirty file holds lines kgbuild does not write (nothing
                is changed; `every_node` settles the store without reading it).
        """
        settling.finalize(cast("GraphStore", self), slice_size, every_node=every_node)

    def compact(self) -> None:
        """Compact the store on disk (Oxigraph's `Store.optimize`, RocksDB's full
        compaction): smaller and faster to query until the next build writes, at a cost
        that grows with the store (`kgbuild build --compact`; bench/RESULTS.md)."""
        self.write_pending()
        self._write(self.store.optimize)

    def _dirty_slices(self, size: int) -> Iterator[list[str]] | None:
        """The nodes the dirty file lists, in lists of at most `size` (`dirty.read`)."""
        try:
            return dirty.read(self.path, size, self._dirty_labels)
        except OSError as err:
            raise store_error(self.path, err, "cannot read the store") from None

    def _read_index(self, check) -> bool:
        try:
            return check(self.store)
        except (OSError, RuntimeError) as err:
            raise store_error(self.path, err, "cannot read the store") from None

    def _mark_dirty(self) -> None:
        """Mark the store unfinished and list the nodes touched so far in the dirty file
        (called before their triples are written)."""
        try:
            dirty.append(self.path, self._touched, self._touched_labels)
            self._touched, self._touched_labels = [], []
        except OSError as err:
            raise store_error(self.path, err, "cannot write to the store") from None
