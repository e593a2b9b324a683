"""The two sinks of a build (`kgbuild.jobs.loop.Sink`): an rdflib graph in memory, and an
Oxigraph store on disk. Each answers which documents it holds, adds events with their
documents' metadata, removes documents, and is finished at the end."""
from __future__ import annotations

from rdflib import Graph

from ..graph.build import build_graph, new_graph, remove_document
from ..graph.namespace import KG
from ..model import Document, Event
from ..stores.oxigraph import GraphStore


class GraphSink:
    """An rdflib graph: a new one (`kgbuild.graph.build.new_graph`), or `graph` added to.
    Events are merged at `finish`, in one `build_graph` call (merging into an empty graph is
    the fast path), so `graph` is the result only after `finish`."""

    def __init__(self, graph: Graph | None = None) -> None:
        self.graph = new_graph() if graph is None else graph
        self._events: list[Event] = []
        self._documents: list[Document] = []

    def known_documents(self) -> dict[str, str | None]:
        return {str(doc_id): None if (digest := self.graph.value(node, KG.contentHash)) is None
                else str(digest) for node, doc_id in self.graph.subject_objects(KG.docId)}

    def remove(self, doc_ids: list[str]) -> None:
        for doc_id in doc_ids:
            remove_document(self.graph, doc_id)

    def add(self, events: list[Event], documents: list[Document]) -> int:
        self._events.extend(events)
        self._documents.extend(documents)
        return 0

    def finish(self) -> None:
        build_graph(self._events, documents=self._documents, graph=self.graph)
        self._events, self._documents = [], []


class StoreSink:
    """An open, writable `GraphStore`; `finish` settles it (`GraphStore.finalize`)."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def known_documents(self) -> dict[str, str | None]:
        partial: dict[str, str | None] = dict.fromkeys(self.store.unfinished_documents())
        return {**partial, **self.store.document_hashes()}

    def remove(self, doc_ids: list[str]) -> None:
        self.store.remove_documents(doc_ids)

    def add(self, events: list[Event], documents: list[Document]) -> int:
        return self.store.add_events(events, documents)

    def finish(self) -> None:
        self.store.finalize()
