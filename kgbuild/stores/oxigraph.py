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
import logging
from pathlib import Path
from typing import IO

from rdflib import Graph

from ..errors import GraphError, KgbuildError, OutputError, StoreLockedError, store_error
from ..graph.namespace import bind_prefixes
from ..graph.prefixes import sparql_prefixes
from ..graph.quads import to_rdflib as _rd
from . import dirty, dyads, manifest, timeline
from .locking import take_lock, writer_running
from .writes import StoreWrites

#: The named graphs of derived data (the dyad and timeline indexes), left out of `to_graph`.
_INDEX_NAMES = frozenset(f"<{index}>" for index in (dyads.INDEX, timeline.INDEX))

DIRTY_NAME, DIRTY_HEADER = dirty.NAME, dirty.HEADER  # see kgbuild.stores.dirty
__all__ = ["DIRTY_HEADER", "DIRTY_NAME", "GraphStore", "StoreLockedError", "is_store"]  # tests import these here
log = logging.getLogger("kgbuild")


def _is_empty(store) -> bool:
    return next(iter(store.quads_for_pattern(None, None, None, None)), None) is None


def is_store(path: str | Path) -> bool:
    """True when `path` is a folder (an Oxigraph store or a place for one)."""
    return Path(path).is_dir()


class GraphStore(StoreWrites):
    """An Oxigraph store on disk; use as a context manager. This class opens, reads and
    closes it; the write path is its base `kgbuild.stores.writes.StoreWrites`, the lock
    `kgbuild.stores.locking`.

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
        self._batches, self._writer = 0, None  # see StoreWrites for these
        self._touched, self._touched_labels, self._dirty_labels = [], [], set()
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
            self._lock_fh = take_lock(self.path)
        try:
            has_manifest = manifest.check(self.path)  # before Oxigraph reads the folder
        except KgbuildError:
            self.close()
            raise
        writing = read_only and writer_running(self.path)
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


