"""A Dask cluster as the executor of a build: the texts' source of `kgbuild.jobs.texts`,
its extraction run on workers.

The documents a build wants are sent to the workers in partitions; each worker process
loads the spaCy pipeline once (`kgbuild.nlp.load_pipeline` is cached per process),
extracts its partition and sends back each document without its text, with its events.
This process writes them into the build's sink as they come back (`kgbuild.jobs.loop`):
a graph (`build_distributed`) or a store (`build_distributed_store`) equals the one a
build in one process makes, and a store's known documents are never sent.

Needs the `dask` extra: `pip install 'kgbuild[dask]'`, on the client and every worker.
"""
from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rdflib import Graph

from ..errors import KgbuildError, SchedulerError
from ..extract import extract_by_document
from ..extract.batches import chunked
from ..model import Document
from ..nlp import load_pipeline
from ..stores.oxigraph import GraphStore
from .loop import BuildSummary, Found, Source, Wanted, found, run_job
from .sinks import GraphSink, StoreSink

__all__ = ["build_distributed", "build_distributed_store", "cluster_source", "connected",
           "SchedulerError", "PARTITION_SIZE"]

#: Documents per task sent to a worker.
PARTITION_SIZE = 64
#: spaCy pipelines are not thread-safe: one extraction at a time per worker process.
_EXTRACT_LOCK = threading.Lock()


def extract_partition(documents: list[Document], model: str | None = None,
                      actors_file: str | None = None, statements: bool = False,
                      places_file: str | None = None, min_confidence: float = 0.0) -> list[Found]:
    """Run on a worker: what each document of the partition holds (`Found`: the text
    dropped, its hash kept).

    Args:
        documents: the partition, with their texts.
        model: spaCy pipeline name (default: the worker's `kgbuild.nlp.default_model_name`).
        actors_file, places_file: the user's tables, as paths readable on the worker.
        statements, min_confidence: as for `kgbuild.extract_events`.
    """
    with _EXTRACT_LOCK:
        nlp = load_pipeline(model, actors_file, places_file)
        return [found(document, events) for document, events in
                extract_by_document(documents, nlp=nlp, statements=statements,
                                    min_confidence=min_confidence)]


def cluster_source(documents: Iterable[Document], client: Any, *,
                   partition_size: int = PARTITION_SIZE, model: str | None = None,
                   actors_file: str | None = None, statements: bool = False,
                   places_file: str | None = None, min_confidence: float = 0.0) -> Source:
    """The source of a build from `documents` extracted by the workers of `client` (a
    `dask.distributed.Client`), one batch a partition, in the order they finish."""
    if partition_size < 1:
        raise KgbuildError("partition_size must be at least 1")
    options = (model, os.path.abspath(actors_file) if actors_file else None, statements,
               os.path.abspath(places_file) if places_file else None, min_confidence)

    def batches(wanted: Wanted) -> Iterator[list[Found]]:
        todo = (doc for doc in documents if wanted(doc.id, doc.content_hash()))
        return _as_done(client, chunked(todo, partition_size), extract_partition, options)

    return batches


def build_distributed(documents: Iterable[Document], scheduler: Any, *, model: str | None = None,
                      partition_size: int = PARTITION_SIZE, actors_file: str | None = None,
                      connect_timeout: float = 30, statements: bool = False,
                      places_file: str | None = None, min_confidence: float = 0.0) -> Graph:
    """Extract events on a Dask cluster and merge them into one graph.

    Args:
        documents: e.g. `kgbuild.read_documents(["news/"])`; sent to the workers with text.
        scheduler: a scheduler address ("tcp://host:8786"), a `dask.distributed.Client`, or a
            cluster object such as `LocalCluster`.
        model: spaCy pipeline name, installed on every worker.
        partition_size: documents per task.
        actors_file, places_file: the user's actor and place tables (paths every worker
            can read).
        connect_timeout: seconds to wait for the scheduler.
        statements, min_confidence: as for `kgbuild.extract_events`.

    Returns:
        The graph `kgbuild.build_graph` makes of the same documents in one process
        (documents without text, with their content hash).

    Raises:
        SchedulerError: dask.distributed is missing or the scheduler cannot be reached.
        ModelError: a worker has no such spaCy pipeline (raised again on the client).

    Example:
        >>> build_distributed(read_documents(["news/"]), "tcp://scheduler:8786")  # doctest: +SKIP
    """
    sink = GraphSink()
    with connected(scheduler, connect_timeout) as client:
        run_job(cluster_source(documents, client, partition_size=partition_size, model=model,
                               actors_file=actors_file, statements=statements,
                               places_file=places_file, min_confidence=min_confidence), sink)
    return sink.graph


def build_distributed_store(documents: Iterable[Document], scheduler: Any, store: str | Path, *,
                            replace: bool = False, model: str | None = None,
                            partition_size: int = PARTITION_SIZE, actors_file: str | None = None,
                            connect_timeout: float = 30, statements: bool = False,
                            places_file: str | None = None,
                            min_confidence: float = 0.0) -> BuildSummary:
    """Extract events on a Dask cluster and add them to the store at `store` as a build in
    this process does: documents the store holds with the same content hash are skipped
    (never sent to a worker), changed documents, or all with `replace`, replace their
    earlier version, and the store is settled at the end. Each partition's events are
    written as soon as it comes back (one writer: this process).

    Args:
        store: the store folder (created when missing).
        replace: re-extract documents the store holds.
        (the others as for `build_distributed`)

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
    with connected(scheduler, connect_timeout) as client:
        source = cluster_source(documents, client, partition_size=partition_size, model=model,
                                actors_file=actors_file, statements=statements,
                                places_file=places_file, min_confidence=min_confidence)
        with GraphStore(store) as opened:
            return run_job(source, StoreSink(opened), replace=replace)


@contextmanager
def connected(scheduler: Any, timeout: float = 30) -> Iterator[Any]:
    """A client of `scheduler` (an address, a cluster, or a client, used as it is).

    Raises:
        SchedulerError: dask.distributed is missing or the scheduler cannot be reached.
    """
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
