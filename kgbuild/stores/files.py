"""Reading and writing graphs in the RDF formats (Turtle, N-Triples, JSON-LD, TriG, N-Quads)."""
from __future__ import annotations

import re
import sys
from importlib import resources
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.exceptions import ParserError

from ..atomic import open_output
from ..errors import GraphError
from ..formats import GRAPH, Format, by_suffix, formats, get, names, suffix_of
from ..graph.datasets import partition
from ..graph.namespace import bind_prefixes
from ..graph.quads import ox_quads, ox_triples


def format_for(path: str | Path, fmt: str | None = None) -> str:
    """The RDF format name for a path: `fmt` if given, else from the file suffix."""
    if fmt:
        if fmt not in names(GRAPH, files=True):
            raise GraphError(f"unknown RDF format '{fmt}'; choose one of {', '.join(names(GRAPH, files=True))}")
        return fmt
    found = by_suffix(path, GRAPH, files=True)
    if found is None:
        raise GraphError(f"{path}: cannot tell the RDF format from '{Path(str(path)).suffix.lower() or 'no suffix'}'; "
                         f"name the format ({', '.join(names(GRAPH, files=True))})")
    return found.name


def _reading_format(path: Path, fmt: str | None) -> Format:
    """The RDF format of a graph file to read: `fmt`, else from its suffix."""
    if fmt or by_suffix(path, GRAPH, files=True) is not None:
        return _format(format_for(path, fmt))
    suffixes = ", ".join(sorted(f.suffix for f in formats(GRAPH, files=True)))
    raise GraphError(f"{path}: cannot tell the RDF format from "
                     f"'{suffix_of(path)}'; name the file with one of {suffixes}, "
                     "or give a store folder")


def _format(name: str) -> Format:
    """The graph file format called `name` (checked by `format_for`)."""
    return get(name, GRAPH)


def jsonld_context() -> dict:
    """The JSON-LD context shipped in `ontology/context.jsonld`."""
    import json

    text = resources.files("kgbuild.ontology").joinpath("context.jsonld").read_text("utf-8")
    return json.loads(text).get("@context", {})


def serialize_graph(graph: Graph, fmt: str = "turtle") -> str:
    """The graph as text in one of the graph file formats of `kgbuild.formats` (TriG and
    N-Quads: one named graph per document, see `partition`). Each is written by its
    registered writer: Oxigraph where it is faster than rdflib (measured in
    bench/RESULTS.md), rdflib for N-Triples and JSON-LD."""
    found = _format(format_for("", fmt))
    if found.name == "jsonld":
        return graph.serialize(format=found.rdflib_name, context=jsonld_context(), auto_compact=True)
    if found.writer != "oxigraph":
        return graph.serialize(format=found.rdflib_name)
    return _ESCAPED.sub(_unescape_noncharacter, oxigraph_serialize(graph, found.name).decode("utf-8"))


#: A \\u or \\U escape not itself escaped (an even run of backslashes before it)
_ESCAPED = re.compile(r"(?<!\\)((?:\\\\)*)\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))")


def _unescape_noncharacter(match: re.Match) -> str:
    """Oxigraph escapes Unicode noncharacters (U+FFFE, U+FDD0 …), which raptor refuses as
    escapes but reads as characters (as rdflib writes them); other escapes stay."""
    code = int(match.group(2) or match.group(3), 16)
    if 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE:
        return match.group(1) + chr(code)
    return match.group(0)


def oxigraph_serialize(graph: Graph, name: str) -> bytes:
    """Turtle, TriG or N-Quads of the graph written by Oxigraph (several times faster than
    rdflib's writers), subjects in order, with the graph's used prefixes; literals keep
    their lexical forms. TriG and N-Quads hold one named graph per document (see
    `partition`)."""
    import pyoxigraph

    found = _format(name)
    triples = (sorted(graph, key=lambda t: (str(t[0]), str(t[1])))  # one block per subject
               if name != "nquads" else graph)
    quads = ox_quads(partition(triples) if found.quads else
                     ((s, p, o, None) for s, p, o in triples))
    prefixes = {prefix: str(ns) for prefix, ns in graph.namespaces() if prefix}
    data = pyoxigraph.serialize(quads, format=found.rdf_format, prefixes=prefixes)
    assert data is not None  # (bytes when given no output)
    return _used_prefixes_only(data)


def _used_prefixes_only(data: bytes) -> bytes:
    """Drop the `@prefix` lines of prefixes that the rest of the text never uses (rdflib
    binds two dozen vocabularies on every graph)."""
    if not data.startswith(b"@prefix "):
        return data
    lines = data.split(b"\n")
    count = next((i for i, line in enumerate(lines) if not line.startswith(b"@prefix ")), len(lines))
    body = b"\n".join(lines[count:])
    used = [line for line in lines[:count] if line.split()[1] in body]
    return b"\n".join(used + [body])


def save_graph(graph: Graph, path: str | Path, fmt: str | None = None) -> Path | None:
    """Write the graph to `path` atomically (or stdout for '-'); returns the path."""
    text = serialize_graph(graph, format_for(path, fmt) if str(path) != "-" else (fmt or "turtle"))
    with open_output(path) as fh:
        fh.write(text)
    return None if str(path) == "-" else Path(path)


def load_file(path: str | Path, fmt: str | None = None) -> Graph:
    """Parse an RDF file (format from `fmt` or the suffix), or for '-' standard input
    (`fmt`, else Turtle/TriG, N-Quads or JSON-LD as it looks).

    Raises:
        GraphError: missing file, unknown format, or not valid RDF (with the parser's reason).
    """
    if str(path) == "-":
        return _load_stdin(fmt)
    path = Path(path)
    if not path.is_file():
        raise GraphError(f"{path}: no such graph file or store")
    return _parse(path, _reading_format(path, fmt), str(path))


def load_into(store, path: str | Path, fmt: str | None = None) -> bool:
    """Load a graph file (or '-') into an empty pyoxigraph Store; returns True when the
    file's named graphs were kept (TriG and N-Quads read by Oxigraph). Oxigraph bulk-loads Turtle, N-Triples, TriG and N-Quads (named graphs kept, the triples
    of the others in the default graph); JSON-LD, standard input and a file Oxigraph
    refuses are read by rdflib (`load_file`, which reads relative IRIs and more, or says
    why not) into the default graph.

    Raises:
        GraphError: as `load_file`.
    """
    if str(path) != "-" and Path(path).is_file():
        found = _reading_format(Path(path), fmt)
        if found.reader == "oxigraph":
            try:
                store.bulk_load(path=str(path), format=found.oxigraph)
                return found.quads
            except (SyntaxError, ValueError, OSError):
                store.clear()
    store.bulk_extend(ox_triples(load_file(path, fmt)))
    return False


def _parse(source, found: Format, shown: str) -> Graph:
    """A graph parsed from a path or bytes in RDF format `found` (quads flattened)."""
    graph = bind_prefixes(Graph())
    given = {"data": source} if isinstance(source, bytes) else {"source": source}
    try:
        if found.quads:
            ds = Dataset()
            ds.parse(format=found.rdflib, **given)
            for s, p, o, _ in ds.quads((None, None, None, None)):
                graph.add((s, p, o))
        else:
            graph.parse(format=found.rdflib, **given)
    except (ParserError, SyntaxError, ValueError, UnicodeDecodeError, Exception) as err:  # noqa: BLE001
        reason = " ".join(str(err).split())[:300]
        raise GraphError(f"{shown}: not valid {found.name} RDF: {reason}") from None
    return graph


def _load_stdin(fmt: str | None) -> Graph:
    """The graph on standard input; without `fmt`, JSON-LD when it starts with '{' or '[',
    else TriG (which reads Turtle and N-Triples too), else N-Quads."""
    data = sys.stdin.buffer.read()
    if not data.strip():
        raise GraphError("-: standard input is empty; pipe a graph into it "
                         "(cat graph.ttl | kgbuild …)")
    if fmt:
        return _parse(data, _format(format_for("-", fmt)), "-")
    if data.lstrip()[:1] in (b"{", b"["):
        return _parse(data, _format("jsonld"), "-")
    try:
        return _parse(data, _format("trig"), "-")
    except GraphError as first:
        try:
            return _parse(data, _format("nquads"), "-")
        except GraphError:
            raise GraphError(str(first).replace("not valid trig RDF",
                                                "not valid Turtle/TriG/N-Quads/JSON-LD")) from None
