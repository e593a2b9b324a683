"""Where graphs live: RDF files in every format (`files`), the persistent Oxigraph store
(`oxigraph`, with its bulk writer `bulkload`); `load_graph` and `open_graph` take either,
or '-' for a graph on stdin."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from .files import format_for, load_file, save_graph, serialize_graph

__all__ = ["format_for", "load_file", "load_graph", "open_graph", "open_store", "save_graph",
           "serialize_graph"]


def load_graph(path: str | Path, fmt: str | None = None):
    """The graph of a file (`fmt` or its suffix), a whole store folder, or '-' (stdin) as an
    rdflib Graph.

    Raises:
        GraphError: missing file or store, unknown format, not valid RDF, damaged store.
    """
    if str(path) != "-" and Path(path).is_dir():
        from .oxigraph import GraphStore

        with GraphStore(path, read_only=True) as store:
            return store.to_graph()
    return load_file(path, fmt)


@contextlib.contextmanager
def open_graph(path: str | Path) -> Iterator:
    """A store folder opened read-only as a `GraphStore` (queried where it lies), else the
    graph of a file or '-' as an rdflib Graph; both answer `kgbuild.run_query`."""
    from .oxigraph import GraphStore, is_store

    if str(path) != "-" and is_store(path):
        with GraphStore(path, read_only=True) as store:
            yield store
    else:
        yield load_file(path)


@contextlib.contextmanager
def open_store(path: str | Path) -> Iterator:
    """A read-only `GraphStore`: of a store folder, or of a graph file (or '-') loaded into a
    temporary store that is removed when the block ends (or, if the process is killed, by
    the next one that makes such a store: `kgbuild.stores.scratch`). For work that runs
    SPARQL over a whole graph (serving it, the event table), where Oxigraph answers several
    times faster than rdflib's engine."""
    from .oxigraph import GraphStore, is_store

    if str(path) != "-" and is_store(path):
        with GraphStore(path, read_only=True) as store:
            yield store
        return
    from .scratch import scratch_store

    graph = load_file(path)
    with scratch_store() as where:
        with GraphStore(where) as writer:
            writer.add(graph)
            writer.finalize()
        del graph
        with GraphStore(where, read_only=True) as store:
            yield store
