"""Extraction on a Dask cluster: documents in partitions, one N-Quads chunk back per partition.

Each worker process loads the spaCy pipeline once (`kgbuild.nlp.load_pipeline` is cached
per process), extracts its partition and returns the partition's graph as N-Quads text.
The client merges the chunks into one graph, recounts mentions and report dates over
every event, and keeps the smallest `rdfs:label` / `kg:role` of each node (as
`kgbuild.graph.build` does), so the result is isomorphic to `build_graph` in one process.

Needs the `dask` extra: `pip install 'kgbuild[dask]'`, on the client and every worker.
"""
from __future__ import annotations

import itertools
import os
import threading
import warnings
from collections.abc import Iterable, Iterator
from typing import Any

from rdflib import RDF, RDFS, Dataset, Graph

from .extract.batches import chunked
from .errors import KgbuildError, SchedulerError
from .model import Document
from .graph.namespace import KG
from .stores.files import serialize_graph
from .extract import extract_by_document
from .graph.build import build_graph, new_graph, update_counts
from .nlp import load_pipeline

__all__ = ["build_distributed", "SchedulerError", "PARTITION_SIZE"]

#: Documents per task sent to a worker.
PARTITION_SIZE = 64
#: Properties with one value per node: the smallest wins (see `kgbuild.graph.build._set_min`).
MIN_VALUED = (RDFS.label, KG.role)
#: spaCy pipelines are not thread-safe: one extraction at a time per worker process.
_EXTRACT_LOCK = threading.Lock()


def _partitions(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    return chunked(documents, size)


def extract_partition(documents: list[Document], model: str | None = None,
                      actors_file: str | None = None, statements: bool = False,
                      places_file: str | None = None, min_confidence: float = 0.0) -> str:
    """Run on a worker: the graph of these documents (text dropped, sha256 kept) as N-Quads.

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
        events = []
        stripped = []
        for document, found in extract_by_document(documents, nlp=nlp, statements=statements,
                                                   min_confidence=min_confidence):
            events.extend(found)
            stripped.append(document.stripped())
    return serialize_graph(build_graph(events, documents=stripped), "nquads")


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
    try:
        from distributed import Client
    except ImportError:
        raise SchedulerError("dask.distributed is not installed; "
                             "pip install 'kgbuild[dask]' on the client and every worker") from None
    if partition_size < 1:
        raise KgbuildError("partition_size must be at least 1")
    actors_file = os.path.abspath(actors_file) if actors_file else None
    places_file = os.path.abspath(places_file) if places_file else None
    own = not isinstance(scheduler, Client)
    if own:
        try:
            client = Client(scheduler, timeout=connect_timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as err:
            where = scheduler if isinstance(scheduler, str) else type(scheduler).__name__
            raise SchedulerError(f"cannot reach the Dask scheduler at {where}: "
                                 f"{' '.join(str(err).split())[:200]}; start it with "
                                 "`dask scheduler` and check the address") from None
    else:
        client = scheduler
    try:
        return _run(client, _partitions(documents, partition_size), model, actors_file, statements,
                    places_file, min_confidence)
    finally:
        if own:
            client.close()


def _run(client: Any, parts: Iterator[list[Document]], model: str | None,
         actors_file: str | None, statements: bool = False, places_file: str | None = None,
         min_confidence: float = 0.0) -> Graph:
    """Keep a few partitions per worker thread in flight; merge each chunk as it arrives."""
    from distributed import as_completed

    window = max(4, 2 * sum(client.nthreads().values()))
    submit = lambda part: client.submit(extract_partition, part, model, actors_file,  # noqa: E731
                                        statements, places_file, min_confidence,
                                        pure=False)
    pending = as_completed([submit(part) for part in itertools.islice(parts, window)],
                           loop=client.loop)
    graph = new_graph()
    for future in pending:
        chunk = future.result()
        future.release()
        following = next(parts, None)
        if following is not None:
            pending.add(submit(following))
        _add_chunk(graph, chunk)
    return _settle(graph)
