"""A persistent Oxigraph store (pyoxigraph) for graphs larger than one file.

Layout: each source document's triples (its document node, sentences, mentions and the
links from events to them) live in the named graph `kgr:graph/<id>` (the id
percent-encoded by `kgbuild.graph.document_segment`, one graph per id); merged events,
actors, places and event types live in the default graph. Every triple sits in exactly
one graph, so SPARQL over the union of graphs counts each fact once.

Writes happen in one transaction per batch of documents; aggregates (mention counts,
first/last report dates) and single-valued labels are settled by `finalize()` in one
more transaction. A `dirty` marker file records an unfinished build, and the next writer
finalizes first, so a build killed at any point leaves a consistent store that a rerun
completes. A lock file keeps two writers apart.
"""
from __future__ import annotations

import contextlib
import errno
import re
import fcntl
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from .errors import GraphError, KgbuildError
from .export import partition  # noqa: F401  (re-exported for kgbuild.remote)
from .model import Document, Event
from .namespace import KG, KGR, bind_prefixes

LOCK_NAME = "kgbuild.lock"
FLUSH_EVERY = 10  # batches between flushes of Oxigraph's write buffers
DIRTY_NAME = "kgbuild.dirty"
AGGREGATES = (KG.mentionCount, KG.firstReported, KG.lastReported)
_PREFIXES = f"PREFIX kg: <{KG}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"

FINALIZE = _PREFIXES + """
DELETE { ?e kg:mentionCount ?c } WHERE { ?e kg:mentionCount ?c } ;
DELETE { ?e kg:firstReported ?d } WHERE { ?e kg:firstReported ?d } ;
DELETE { ?e kg:lastReported ?d } WHERE { ?e kg:lastReported ?d } ;
INSERT { ?e kg:mentionCount ?n } WHERE {
  { SELECT ?e (COUNT(DISTINCT ?m) AS ?n) WHERE { GRAPH ?g { ?e kg:mention ?m } } GROUP BY ?e } } ;
INSERT { ?e kg:firstReported ?first ; kg:lastReported ?last } WHERE {
  { SELECT ?e (MIN(STR(?d)) AS ?f) (MAX(STR(?d)) AS ?l) (SAMPLE(DATATYPE(?d)) AS ?t) WHERE {
      GRAPH ?g { ?e kg:mention ?m . ?m kg:document ?doc . ?doc kg:published ?d } } GROUP BY ?e }
  BIND (STRDT(?f, ?t) AS ?first) BIND (STRDT(?l, ?t) AS ?last) } ;
DELETE { ?s rdfs:label ?l } WHERE { ?s rdfs:label ?l , ?l2 . FILTER (STR(?l2) < STR(?l)) } ;
DELETE { ?s kg:role ?l } WHERE { ?s kg:role ?l , ?l2 . FILTER (STR(?l2) < STR(?l)) }
"""

GARBAGE = """
DELETE { ?e ?p ?o } WHERE { ?e a kg:Event ; ?p ?o . FILTER NOT EXISTS { GRAPH ?g { ?e kg:mention ?m } } } ;
DELETE { ?s ?p ?o } WHERE {
  ?s ?p ?o .
  FILTER (STRSTARTS(STR(?s), "%(kgr)sactor/") || STRSTARTS(STR(?s), "%(kgr)sthing/")
          || STRSTARTS(STR(?s), "%(kgr)splace/"))
  FILTER NOT EXISTS { ?x ?q ?s }
  FILTER NOT EXISTS { GRAPH ?h { ?y ?r ?s } } }
""" % {"kgr": KGR}


class StoreLockedError(KgbuildError):
    """Another kgbuild process is writing to the store."""


@dataclass
class BuildSummary:
    """What a store build did."""

    documents: int = 0
    skipped: int = 0
    replaced: int = 0
    events: int = 0
    triples: int = 0


def is_store(path: str | Path) -> bool:
    """True when `path` is a folder (an Oxigraph store or a place for one)."""
    return Path(path).is_dir()


class GraphStore:
    """An Oxigraph store on disk; use as a context manager.

    Args:
        path: the store folder (created for writers when missing).
        read_only: open for reading only (no lock; fails if the store does not exist).
    """

    def __init__(self, path: str | Path, *, read_only: bool = False):
        import pyoxigraph

        self.path = Path(path)
        self.read_only = read_only
        self._lock_fh = None
        self._batches = 0
        if self.path.exists() and not self.path.is_dir():
            raise GraphError(f"{self.path}: is a file, not a store folder; give a folder path")
        if read_only:
            if not self.path.is_dir() or not any(self.path.iterdir()):
                raise GraphError(f"{self.path}: no kgbuild store here")
        else:
            self.path.mkdir(parents=True, exist_ok=True)
            self._lock()
        try:
            self.store = (pyoxigraph.Store.read_only(str(self.path)) if read_only
                          else pyoxigraph.Store(str(self.path)))
        except OSError as err:
            self.close()
            raise GraphError(f"{self.path}: cannot open the store ({err})") from None
        if not read_only and (self.path / DIRTY_NAME).exists():
            self.finalize()

    def _lock(self) -> None:
        self._lock_fh = open(self.path / LOCK_NAME, "a+")
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
        if store is not None and not self.read_only:
            store.flush()
        self.store = None
        if self._lock_fh is not None:
            self._lock_fh.close()
            self._lock_fh = None

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __len__(self) -> int:
        return len(self.store)

    # -- writing ---------------------------------------------------------------------
    def document_hashes(self) -> dict[str, str]:
        """Document id -> content hash of every document the store holds.

        Raises:
            GraphError: a document sits in another named graph than `document_graph` of its
                id gives: the store was written by a kgbuild that named graphs by the first
                `/`-separated part of the id, so replacing documents would go wrong.
        """
        from .graph import document_graph

        q = _PREFIXES + ("SELECT ?g ?id ?h WHERE { GRAPH ?g { ?d kg:docId ?id "
                         "OPTIONAL { ?d kg:contentHash ?h } } }")
        hashes = {}
        for s in self.store.query(q):
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

    def remove_documents(self, doc_ids: Iterable[str]) -> None:
        """Drop the named graphs of these documents and what only they referred to."""
        import pyoxigraph

        from .graph import document_graph

        names = [pyoxigraph.NamedNode(str(document_graph(d))) for d in doc_ids]
        if not names:
            return
        self._mark_dirty()
        drops = " ;\n".join(f"DROP SILENT GRAPH <{n.value}>" for n in names)
        self.store.update(_PREFIXES + drops + " ;\n" + GARBAGE)

    def add(self, graph: Graph) -> int:
        """Add a graph built by `kgbuild.build_graph` (one transaction); returns quads added."""
        import pyoxigraph

        self._mark_dirty()
        quads = [pyoxigraph.Quad(_ox(s), _ox(p), _ox(o), _ox_graph(name))
                 for s, p, o, name in partition(graph) if p not in AGGREGATES]
        self.store.extend(quads)
        self._batches += 1
        if self._batches % FLUSH_EVERY == 0:
            self.store.flush()  # bounds the store's write buffers (memory flat with size)
        return len(quads)

    def finalize(self) -> None:
        """Recount mentions and report dates; keep one label per node (one transaction)."""
        self.store.update(FINALIZE)
        self.store.flush()
        with contextlib.suppress(FileNotFoundError):
            (self.path / DIRTY_NAME).unlink()

    def _mark_dirty(self) -> None:
        (self.path / DIRTY_NAME).touch()

    # -- reading ---------------------------------------------------------------------
    def to_graph(self) -> Graph:
        """All triples of the store (union of its graphs) as an rdflib Graph."""
        graph = bind_prefixes(Graph())
        for quad in self.store:
            graph.add((_rd(quad.subject), _rd(quad.predicate), _rd(quad.object)))
        return graph

    def query(self, text: str, bindings: dict | None = None):
        """Run SPARQL over the union of all graphs; returns pyoxigraph results.

        Bindings become a `VALUES` block at the start of the WHERE clause, written from
        the escaped N-Triples form of each term (never the raw user text)."""
        return self.store.query(bind_values(text, bindings or {}), use_default_graph_as_union=True)


_WHERE = re.compile(r"\bWHERE\s*\{", re.I)


def bind_values(text: str, bindings: dict) -> str:
    """Insert `VALUES (?a ?b) { (t1 t2) }` right after the first `WHERE {`."""
    if not bindings:
        return text
    names = " ".join(f"?{k}" for k in bindings if re.fullmatch(r"\w+", k))
    terms = " ".join(_rdf_term(v).n3() for k, v in bindings.items() if re.fullmatch(r"\w+", k))
    block = f" VALUES ({names}) {{ ({terms}) }} "
    m = _WHERE.search(text)
    at = m.end() if m else text.find("{") + 1
    if at <= 0:
        return text
    return text[:at] + block + text[at:]


def _rdf_term(value):
    if isinstance(value, (URIRef, Literal, BNode)):
        return value
    return Literal(str(value))


def _ox(term):
    import pyoxigraph

    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        if term.datatype:
            return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(term.datatype)))
        return pyoxigraph.Literal(str(term))
    return pyoxigraph.Literal(str(term))


def _ox_graph(name):
    import pyoxigraph

    return pyoxigraph.DefaultGraph() if name is None or name == DATASET_DEFAULT_GRAPH_ID \
        else pyoxigraph.NamedNode(str(name))


def _rd(term):
    """A pyoxigraph term as an rdflib term."""
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        if dt == "http://www.w3.org/2001/XMLSchema#decimal":
            from .graph import decimal_text

            return Literal(decimal_text(term.value), datatype=URIRef(dt))
        return Literal(term.value, datatype=URIRef(dt))
    return term


def build_store(
    path: str | Path,
    documents: Iterable[Document],
    *,
    nlp=None,
    model: str | None = None,
    batch_size: int = 64,
    n_process: int = 1,
    replace: bool = False,
    on_document=None,
    statements: bool = False,
) -> BuildSummary:
    """Extract events from `documents` and add them to the store at `path`.

    Documents whose id and content hash the store already holds are skipped (so an
    interrupted build resumes); changed documents, or all with `replace`, are re-extracted
    and replace their earlier version.

    Args:
        on_document: called as `on_document(document, events)` after each document (progress).
        statements: also code bare reporting verbs as events (see `extract_events`).
    """
    from .extract import extract_by_document
    from .graph import build_graph

    summary = BuildSummary()
    with GraphStore(path) as store:
        known = store.document_hashes()
        stale: list[str] = []

        def todo() -> Iterator[Document]:
            for doc in documents:
                digest = doc.content_hash()
                if not replace and known.get(doc.id) == digest:
                    summary.skipped += 1
                    continue
                if doc.id in known:
                    stale.append(doc.id)
                    summary.replaced += 1
                yield doc

        batch: list[tuple[Document, list[Event]]] = []

        def flush() -> None:
            if stale:
                store.remove_documents(list(stale))
                stale.clear()
            docs = [Document(d.id, "", d.date, d.url, d.title, d.source, d.content_hash())
                    for d, _ in batch]
            graph = build_graph([e for _, evs in batch for e in evs], documents=docs)
            summary.triples += store.add(graph)
            batch.clear()

        for doc, events in extract_by_document(todo(), nlp=nlp, model=model,
                                               batch_size=min(batch_size, 64), n_process=n_process,
                                               statements=statements):
            summary.documents += 1
            summary.events += len(events)
            batch.append((doc, events))
            if on_document is not None:
                on_document(doc, events)
            if len(batch) >= batch_size:
                flush()
        if batch or stale:
            flush()
        store.finalize()
    return summary


def store_query_result(store: GraphStore, text: str, bindings: dict | None = None):
    """Run a (checked) query on the store and return a `kgbuild.query.QueryResult`."""
    import pyoxigraph

    from .query import QueryResult

    from .errors import QueryError

    try:
        result = store.query(text, bindings)
    except SyntaxError as err:
        raise QueryError(f"SPARQL syntax error: {' '.join(str(err).split())}") from None
    except (RuntimeError, OSError, ValueError) as err:
        raise QueryError(f"the query failed: {' '.join(str(err).split())}") from None
    if isinstance(result, pyoxigraph.QueryBoolean):
        return QueryResult("ASK", boolean=bool(result))
    if isinstance(result, pyoxigraph.QueryTriples):
        out = bind_prefixes(Graph())
        for t in result:
            out.add((_rd(t.subject), _rd(t.predicate), _rd(t.object)))
        return QueryResult("CONSTRUCT", graph=out)
    variables = [v.value for v in result.variables]
    rows = [[_rd(sol[v]) if sol[v] is not None else None for v in variables] for sol in result]
    return QueryResult("SELECT", variables, rows)
