"""Where graphs live: RDF files in every format (`files`), the persistent Oxigraph store
(`oxigraph`, with its bulk writer `bulkload`); `load_graph` and `open_graph` take either,
or '-' for a graph on stdin."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from .files import format_for, load_file, load_into, save_graph, serialize_graph
from .oxigraph import GraphStore, is_store

__all__ = ["format_for", "load_file", "load_graph", "open_graph", "open_store", "save_graph",
           "serialize_graph"]


def load_graph(path: str | Path, fmt: str | None = None):
    """The graph of a file (`fmt` or its suffix), a whole store folder, or '-' (stdin) as an
    rdflib Graph.

    Raises:
        GraphError: missing file or store, unknown format, not valid RDF, damaged store.
    """
    if str(path) != "-" and Path(path).is_dir():
        with GraphStore(path, read_only=True) as store:
            return store.to_graph()
    return load_file(path, fmt)


@contextlib.contextmanager
def open_graph(path: str | Path) -> Iterator:
    """A store folder opened read-only as a `GraphStore` (queried where it lies), else the
    graph of a file or '-' as an rdflib Graph; both answer `kgbuild.run_query`."""
    if str(path) != "-" and is_store(path):
        with GraphStore(path, read_only=True) as store:
            yield store
    else:
        yield load_file(path)


@contextlib.contextmanager
def open_store(path: str | Path) -> Iterator:
    """A read-only `GraphStore`: of a store folder, or of a graph file (or '-') loaded into a
    store in memory, dropped when the block ends. For work that runs SPARQL over a
    whole graph (`kgbuild query` on a file, serving it, the event table), where Oxigraph
    answers several times to hundreds of times faster than rdflib's engine. Oxigraph reads
    the file where it can (`load_into`); a Turtle, N-Triples or JSON-LD file is one graph
    (`GraphStore.one_graph`), as `load_file` reads it."""
    if str(path) != "-" and is_store(path):
        with GraphStore(path, read_only=True) as store:
            yield store
        return
    with GraphStore(path, in_memory=True) as store:
        store.one_graph = not load_into(store.store, path)
        yield store
