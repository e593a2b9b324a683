"""A persistent Oxigraph store (pyoxigraph) for graphs larger than one file.

Layout: each source document's triples (its document node, sentences, mentions and the
links from events to them) live in the named graph `kgr:graph/<id>` (the id
percent-encoded by `kgbuild.graph.build.document_segment`, one graph per id); merged events,
actors, places and event types live in the default graph. Every triple sits in exactly
one graph, so SPARQL over the union of graphs counts each fact once.

A build's triples are bulk-loaded a few hundred documents (or two seconds) at a time,
each document's content hash in a transaction after the rest; aggregates (mention counts,
first/last report dates), single-valued labels and the dyad index are settled by
`finalize()` (`kgbuild.stores.settling`) for the nodes written since the last finalize
only, 500 per transaction, so a batch costs what it holds whatever the store holds. A `dirty`
file records an unfinished build and lists those nodes (appended before their triples
are loaded), and the next writer finalizes first, so a build killed at any point leaves
a consistent store that a rerun completes. A lock file keeps two writers apart, and a
manifest (`kgbuild.stores.manifest`) says which layout and pyoxigraph wrote the store.
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, cast

from rdflib import RDFS, Graph

from ..errors import GraphError, KgbuildError, OutputError, StoreLockedError, store_error
from ..graph.build import document_graph
from ..graph.datasets import partition
from ..graph.mapping import kg, map_batch, rdfs
from ..graph.namespace import KG, bind_prefixes
from ..graph.prefixes import sparql_prefixes
from ..graph.quads import ox_quads
from ..graph.quads import to_rdflib as _rd
from ..model import Document, Event
from . import dirty, dyads, manifest, settling, timeline
from .bulkload import BulkWriter
from .updates import PREFIXES

if TYPE_CHECKING:
    import pyoxigraph

#: The named graphs of derived data (the dyad and timeline indexes), left out of `to_graph`.
_INDEX_NAMES = frozenset(f"<{index}>" for index in (dyads.INDEX, timeline.INDEX))

LOCK_NAME = "kgbuild.lock"
FLUSH_EVERY = 10  # batches between flushes of Oxigraph's write buffers
DIRTY_NAME, DIRTY_HEADER = dirty.NAME, dirty.HEADER  # see kgbuild.stores.dirty
FINALIZE_SLICE = 500  # nodes per finalize transaction (memory flat with the store's size)
AGGREGATES = frozenset((KG.mentionCount, KG.firstReported, KG.lastReported))
log = logging.getLogger("kgbuild")


def _is_empty(store) -> bool:
    return next(iter(store.quads_for_pattern(None, None, None, None)), None) is None


def is_store(path: str | Path) -> bool:
    """True when `path` is a folder (an Oxigraph store or a place for one)."""
    return Path(path).is_dir()


class GraphStore:
    """An Oxigraph store on disk; use as a context manager.

    Args:
        path: the store folder (created for writers when missing).
        read_only: open for reading only (no lock; fails if the store does not exist).
        settle_all: a writer settles every node when it opens the store, whatever its dirty
            file lists (`kgbuild build --finish --full`, for a dirty file that cannot be
            trusted).
        in_memory: a new, empty store in memory instead, which `path` (a graph file) names
            in messages; read-only for kgbuild's writes, filled by its maker
            (`kgbuild.stores.open_store`).
    """

    def __init__(self, path: str | Path, *, read_only: bool = False, settle_all: bool = False,
                 in_memory: bool = False):
        import pyoxigraph

        self.path = Path(path)
        self.read_only = read_only or in_memory
        #: True for the store of a graph file that holds one graph (Turtle, N-Triples,
        #: JSON-LD: `kgbuild.stores.open_store`), where GRAPH finds nothing
        self.one_graph = False
        self._lock_fh: IO[str] | None = None
        self._batches = 0
        self._writer: BulkWriter | None = None  # the BulkWriter of add_events, made on first use
        self._touched: list[str] = []  # nodes to finalize, not yet listed in the dirty file
        self._touched_labels: list[str] = []  # dyad labels to recount, not yet listed there
        self._dirty_labels: set[str] = set()  # labels the dirty file lists (read by finalize)
        self.new = False  # opened empty for writing
        if in_memory:
            self.store = pyoxigraph.Store()
            return
        if self.path.exists() and not self.path.is_dir():
            raise GraphError(f"{self.path}: is a file, not a store folder; give a folder path")
        if read_only:
            if not self.path.is_dir() or not any(self.path.iterdir()):
                raise GraphError(f"{self.path}: no kgbuild store here")
        else:
            try:
                self.path.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise OutputError(f"{self.path}: cannot create the store folder "
                                  f"({err.strerror or err})") from None
            self._lock()
        try:
            has_manifest = manifest.check(self.path)  # before Oxigraph reads the folder
        except KgbuildError:
            self.close()
            raise
        writing = read_only and self._writer_running()
        try:
            self.store = (pyoxigraph.Store.read_only(str(self.path)) if read_only
                          else pyoxigraph.Store(str(self.path)))
        except (OSError, RuntimeError) as err:
            self.close()
            if writing:  # RocksDB gives no consistent read-only view while a writer compacts
                raise GraphError(f"{self.path}: a build is writing to this store, which cannot "
                                 "be read meanwhile; wait for the build to finish") from None
            raise store_error(self.path, err, "cannot open the store") from None
        if not has_manifest:
            self._give_manifest()
        if writing:
            log.warning("%s: a build is writing to this store; until it ends, answers may miss "
                        "documents, counts and report dates", self.path)
        elif read_only:
            self._warn_if_unfinished()
        else:
            try:
                # a new store: its dirty file will list every event, so finalize starts
                # the dyad index empty and adds them as it adds a later build's
                self.new = self._read_index(_is_empty)
                if settle_all or (self.path / DIRTY_NAME).exists():
                    self.finalize(every_node=settle_all)
            except KgbuildError:
                self.close()
                raise

    def _give_manifest(self) -> None:
        """Write the manifest of a new store, or of one an older kgbuild made (a reader
        gives it one only where it may write, and goes on without otherwise)."""
        try:
            manifest.write(self.path)
        except KgbuildError:
            if not self.read_only:
                self.close()
                raise

    def _warn_if_unfinished(self) -> None:
        if not (self.path / DIRTY_NAME).exists():
            return
        log.warning("%s: the store is unfinished (its last build stopped before the end), so "
                    "mention counts, report dates and labels may be missing and queries may "
                    "return too few rows; finish it with `kgbuild build --finish %s` (or rerun "
                    "the build)", self.path, self.path)

    def _writer_running(self) -> bool:
        try:
            with open(self.path / LOCK_NAME) as fh:
                fcntl.flock(fh, fcntl.LOCK_SH | fcntl.LOCK_NB)
                fcntl.flock(fh, fcntl.LOCK_UN)
        except BlockingIOError:
            return True
        except OSError:
            return False
        return False

    def _lock(self) -> None:
        try:
            self._lock_fh = open(self.path / LOCK_NAME, "a+")
        except OSError as err:
            raise OutputError(f"{self.path}: cannot write to this store ({err.strerror or err}); "
                              "give a store folder you can write to") from None
        try:
            fcntl.flock(self._lock_fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            self._lock_fh.close()
            self._lock_fh = None
            if err.errno in (errno.EAGAIN, errno.EACCES):
                raise StoreLockedError(f"{self.path}: another kgbuild process is writing to this "
                                       "store; wait for it to finish") from None
            raise

    def close(self) -> None:
        """Flush and release the lock."""
        store = getattr(self, "store", None)
        try:
            if store is not None and not self.read_only:
                self.write_pending()
                store.flush()
        except (OSError, RuntimeError) as err:
            raise store_error(self.path, err, "cannot write to the store") from None
        finally:
            self.store = self._writer = None  # type: ignore[assignment]  # (closed: no store)
            del store  # Oxigraph closes the database before the lock is released
            self._unlock()

    def _unlock(self) -> None:
        if self._lock_fh is not None:
            self._lock_fh.close()
            self._lock_fh = None

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is None:
            self.close()
            return
        with contextlib.suppress(KgbuildError):  # the first error is the one to report
            self.close()

    def __len__(self) -> int:
        self.write_pending()
        return len(self.store)

    # -- writing ---------------------------------------------------------------------
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
        settling.finalize(self, slice_size, every_node=every_node)

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

    # -- reading ---------------------------------------------------------------------
    def to_graph(self) -> Graph:
        """All triples of the store (union of its graphs) as an rdflib Graph."""
        graph = bind_prefixes(Graph())
        self.write_pending()
        try:
            for quad in self.store:
                if str(quad.graph_name) not in _INDEX_NAMES:  # indexes are derived data
                    graph.add((_rd(quad.subject), _rd(quad.predicate), _rd(quad.object)))
        except (OSError, RuntimeError) as err:
            raise store_error(self.path, err, "cannot read the store") from None
        return graph

    def query(self, text: str):
        """Run SPARQL text as it is over the union of all graphs, kgbuild's usual prefixes
        declared (`kgbuild.graph.prefixes`); returns pyoxigraph results. Checking, binding
        and paging a user's query are the query side's (`kgbuild.query.run_query`)."""
        self.write_pending()
        return self.store.query(text, prefixes=sparql_prefixes(), use_default_graph_as_union=True)


