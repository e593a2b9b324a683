"""Extraction on a Dask cluster: documents in partitions, each partition's result back.

Each worker process loads the spaCy pipeline once (`kgbuild.nlp.load_pipeline` is cached
per process) and extracts its partition. For a graph (`build_distributed`) it returns the
partition's graph as N-Quads text; the client merges the chunks into one graph, recounts
mentions and report dates over every event, and keeps the smallest `rdfs:label` /
`kg:role` of each node (as `kgbuild.graph.build` does), so the result is isomorphic to
`build_graph` in one process. For a store (`build_distributed_store`) it returns each
document (without text) with its events, and the client writes them into the store as a
local build does (`kgbuild.stores.building.StoreIntake`): documents the store holds are
skipped before they are sent, changed ones replaced, the store settled at the end.

Needs the `dask` extra: `pip install 'kgbuild[dask]'`, on the client and every worker.
"""
from __future__ import annotations

import itertools
import os
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, Dataset, Graph

from .errors import KgbuildError, SchedulerError
from .extract import extract_by_document
from .extract.batches import chunked
from .graph.build import build_graph, new_graph, update_counts
from .graph.namespace import KG
from .model import Document, Event
from .nlp import load_pipeline
from .stores.files import serialize_graph

__all__ = ["build_distributed", "build_distributed_store", "SchedulerError", "PARTITION_SIZE"]

#: Documents per task sent to a worker.
PARTITION_SIZE = 64
#: Properties with one value per node: the smallest wins (see `kgbuild.graph.build._set_min`).
MIN_VALUED = (RDFS.label, KG.role)
#: spaCy pipelines are not thread-safe: one extraction at a time per worker process.
_EXTRACT_LOCK = threading.Lock()


def _partitions(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    return chunked(documents, size)


def extract_partition_events(documents: list[Document], model: str | None = None,
                             actors_file: str | None = None, statements: bool = False,
                             places_file: str | None = None,
                             min_confidence: float = 0.0) -> list[tuple[Document, list[Event]]]:
    """Run on a worker: each document of the partition (text dropped, sha256 kept) with its
    events.

    Args:
        documents: the partition, with their texts.
        model: spaCy pipeline name (default: the worker's `kgbuild.nlp.default_model_name`).
        actors_file: an extra actor table, as a path readable on the worker.
        statements: also code bare reporting verbs as events (see `extract_events`).
        places_file: an extra place table, as a path readable on the worker.
        min_confidence: as for `extract_events`.
    """
    with _EXTRACT_LOCK:
        nlp = load_pipeline(model, actors_file, places_file)
        return [(document.stripped(), found) for document, found in
                extract_by_document(documents, nlp=nlp, statements=statements,
                                    min_confidence=min_confidence)]


def extract_partition(documents: list[Document], *options: Any) -> str:
    """Run on a worker: the graph of these documents (text dropped, sha256 kept) as N-Quads
    (`options` as for `extract_partition_events`)."""
    found = extract_partition_events(documents, *options)
    return serialize_graph(build_graph([e for _, events in found for e in events],
                                       documents=[document for document, _ in found]), "nquads")


def merge_chunks(chunks: Iterable[str]) -> Graph:
    """One graph from N-Quads chunks of partition graphs, aggregates recomputed."""
    graph = new_graph()
    for chunk in chunks:
        _add_chunk(graph, chunk)
    return _settle(graph)


def _add_chunk(graph: Graph, chunk: str) -> None:
    dataset = Dataset()
    with warnings.catch_warnings():  # rdflib 7's N-Quads parser uses its own deprecated API
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset.parse(data=chunk, format="nquads")
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))


def _settle(graph: Graph) -> Graph:
    """Recount mentions and report dates over all events; one label and role per node."""
    for prop in MIN_VALUED:
        _keep_min(graph, prop)
    update_counts(graph, list(graph.subjects(RDF.type, KG.Event)))
    return graph


def _keep_min(graph: Graph, prop) -> None:
    """Keep only the lexically smallest value of `prop` on every node that has several."""
    values: dict[Any, list] = {}
    for s, o in graph.subject_objects(prop):
        values.setdefault(s, []).append(o)
    for subject, found in values.items():
        if len(found) > 1:
            keep = min(found, key=str)
            for value in found:
                if value != keep:
                    graph.remove((subject, prop, value))


def build_distributed(documents: Iterable[Document], scheduler: Any, *, model: str | None = None,
                      partition_size: int = PARTITION_SIZE, actors_file: str | Path | None = None,
                      connect_timeout: float = 30, statements: bool = False,
                      places_file: str | Path | None = None, min_confidence: float = 0.0) -> Graph:
    """Extract events on a Dask cluster and merge them into one graph.

    Args:
        documents: e.g. `kgbuild.read_documents(["news/"])`; sent to the workers with text.
        scheduler: a scheduler address ("tcp://host:8786"), a `dask.distributed.Client`, or a
            cluster object such as `LocalCluster`.
        model: spaCy pipeline name, installed on every worker.
        partition_size: documents per task.
        actors_file: an extra actor alias table (a path every worker can read).
        connect_timeout: seconds to wait for the scheduler.
        statements: also code bare reporting verbs as events (see `extract_events`).
        places_file: an extra place table (a path every worker can read).
        min_confidence: as for `extract_events`.

    Returns:
        The merged graph, isomorphic to `build_graph` over the same documents in one process
        (documents without text, with their content hash).

    Raises:
        SchedulerError: dask.distributed is missing or the scheduler cannot be reached.
        ModelError: a worker has no such spaCy pipeline (raised again on the client).

    Example:
        >>> build_distributed(read_documents(["news/"]), "tcp://scheduler:8786")  # doctest: +SKIP
    """
    options = _worker_options(partition_size, model, actors_file, statements, places_file,
                              min_confidence)
    graph = new_graph()
    with _connected(scheduler, connect_timeout) as client:
        for chunk in _as_done(client, _partitions(documents, partition_size), extract_partition,
                              options):
            _add_chunk(graph, chunk)
    return _settle(graph)


def build_distributed_store(documents: Iterable[Document], scheduler: Any, store: str | Path, *,
                            replace: bool = False, model: str | None = None,
                            partition_size: int = PARTITION_SIZE, actors_file: str | Path | None = None,
                            connect_timeout: float = 30, statements: bool = False,
                            places_file: str | Path | None = None, min_confidence: float = 0.0):
    """Extract events on a Dask cluster and add them to the store at `store`, as
    `kgbuild.stores.building.build_store` adds what it extracts in this process: documents
    the store holds with the same content hash are skipped (never sent to a worker),
    changed documents, or all with `replace`, replace their earlier version, and the store
    is settled at the end, so the store equals a local build's. Each partition's events
    are written as soon as it comes back (one writer: this process).

    Args:
        documents, scheduler, model, partition_size, actors_file, connect_timeout,
            statements, places_file, min_confidence: as for `build_distributed`.
        store: the store folder (created when missing).
        replace: re-extract documents the store holds.

    Returns:
        A `kgbuild.stores.building.BuildSummary`.

    Raises:
        SchedulerError: dask.distributed is missing or the scheduler cannot be reached
            (before the store is opened: nothing is written).
        StoreLockedError: another build is writing to the store.
        ModelError: a worker has no such spaCy pipeline (the store keeps what was written
            before and is finished by the next build).

    Example:
        >>> build_distributed_store(read_documents(["news/"]), "tcp://scheduler:8786",
        ...                         "kg.store")  # doctest: +SKIP
    """
    from .stores.building import StoreIntake
    from .stores.oxigraph import GraphStore

    options = _worker_options(partition_size, model, actors_file, statements, places_file,
                              min_confidence)
    with _connected(scheduler, connect_timeout) as client, GraphStore(store) as opened:
        intake = StoreIntake(opened, replace=replace)
        for found in _as_done(client, _partitions(intake.todo(documents), partition_size),
                              extract_partition_events, options):
            intake.write([e for _, events in found for e in events],
                         [document for document, _ in found])
        return intake.finish()


def _worker_options(partition_size: int, model: str | None, actors_file: str | Path | None,
                    statements: bool, places_file: str | Path | None, min_confidence: float) -> tuple:
    """The arguments every task gets after its partition (tables as absolute paths)."""
    if partition_size < 1:
        raise KgbuildError("partition_size must be at least 1")
    return (model, os.path.abspath(actors_file) if actors_file else None, statements,
            os.path.abspath(places_file) if places_file else None, min_confidence)


@contextmanager
def _connected(scheduler: Any, timeout: float) -> Iterator[Any]:
    """A client of `scheduler` (an address, a cluster, or a client, used as it is)."""
    try:
        from distributed import Client
    except ImportError:
        raise SchedulerError("dask.distributed is not installed; "
                             "pip install 'kgbuild[dask]' on the client and every worker") from None
    if isinstance(scheduler, Client):
        yield scheduler
        return
    try:
        client = Client(scheduler, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as err:
        where = scheduler if isinstance(scheduler, str) else type(scheduler).__name__
        raise SchedulerError(f"cannot reach the Dask scheduler at {where}: "
                             f"{' '.join(str(err).split())[:200]}; start it with "
                             "`dask scheduler` and check the address") from None
    try:
        yield client
    finally:
        client.close()


def _as_done(client: Any, parts: Iterator[list[Document]], task: Callable, options: tuple) -> Iterator:
    """`task(part, *options)` of every partition, in the order they finish, with a few
    partitions per worker thread in flight (the next is sent as one comes back)."""
    from distributed import as_completed

    window = max(4, 2 * sum(client.nthreads().values()))
    submit = lambda part: client.submit(task, part, *options, pure=False)  # noqa: E731
    pending = as_completed([submit(part) for part in itertools.islice(parts, window)],
                           loop=client.loop)
    for future in pending:
        result = future.result()
        future.release()
        following = next(parts, None)
        if following is not None:
            pending.add(submit(following))
        yield result
