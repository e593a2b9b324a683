"""kgbuild: English news text -> actor–action–target events -> an RDF knowledge graph.

    import kgbuild
    graph = kgbuild.build(["examples/corpus"]).graph      # what `kgbuild build` makes
    print(kgbuild.run_query(graph, "who-did-what").rows[:3])
    kgbuild.extract_text("Moscow will deploy Iskander missiles in Kaliningrad.")

The extraction side (`read_documents`, `extract_events`) needs spaCy; the graph side
(`build_graph`, `save_graph`, `run_query`, `to_networkx`, `write_table`) needs rdflib;
`to_dataframe` and `read_table` also pandas (the `kgbuild[pandas]` extra). Each is imported only when used,
so `import kgbuild` is cheap.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import (
    GraphError,
    InputError,
    KgbuildError,
    MissingExtraError,
    ModelError,
    OutputError,
    QueryError,
    QueryParameterError,
    QueryTimeoutError,
)
from .model import Action, Document, Entity, Event, EventType, Sentence, TimeRef
from .read import read_documents

__version__ = "0.1.0"

__all__ = [
    "Action", "Document", "Entity", "Event", "EventType", "Sentence", "TimeRef",
    "KgbuildError", "InputError", "ModelError", "GraphError", "QueryError", "QueryTimeoutError",
    "QueryParameterError", "OutputError",
    "read_documents", "extract_events", "extract_text", "load_pipeline", "build", "BuildResult",
    "build_graph", "save_graph",
    "load_graph", "serialize_graph", "run_query", "format_result", "graph_stats",
    "to_networkx", "write_graphml", "to_dataframe", "write_table", "read_table",
    "MissingExtraError",
    "read_events", "events_graph", "serve_graph",
    "__version__",
]

_LAZY = {
    "extract_events": "kgbuild.extract", "extract_text": "kgbuild.extract",
    "load_pipeline": "kgbuild.nlp", "build": "kgbuild.jobs.workflow",
    "BuildResult": "kgbuild.jobs.workflow",
    "build_graph": "kgbuild.graph.build", "save_graph": "kgbuild.stores.files", "load_graph": "kgbuild.stores",
    "serialize_graph": "kgbuild.stores.files", "to_networkx": "kgbuild.viz.graphml",
    "write_graphml": "kgbuild.viz.graphml", "run_query": "kgbuild.query",
    "format_result": "kgbuild.query", "graph_stats": "kgbuild.query",
    "to_dataframe": "kgbuild.tables.rows", "write_table": "kgbuild.tables.write",
    "read_table": "kgbuild.tables.read",
    "read_events": "kgbuild.event_records", "events_graph": "kgbuild.jobs.records",
    "serve_graph": "kgbuild.serve.server",
}

if TYPE_CHECKING:
    from .event_records import read_events
    from .extract import extract_events, extract_text
    from .graph.build import build_graph
    from .jobs.records import events_graph
    from .jobs.workflow import BuildResult, build
    from .nlp import load_pipeline
    from .query import format_result, graph_stats, run_query
    from .serve.server import serve_graph
    from .stores import load_graph, save_graph, serialize_graph
    from .tables.read import read_table
    from .tables.rows import to_dataframe
    from .tables.write import write_table
    from .viz.graphml import to_networkx, write_graphml


def __dir__() -> list[str]:
    """The public API (for tab completion), not the helper names of this module."""
    return sorted(__all__)


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'kgbuild' has no attribute {name!r}")
