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
from ..graph.datasets import partition
from ..graph.namespace import bind_prefixes
from ..graph.quads import ox_quads, ox_triples

#: format name -> (rdflib format, file suffix)
RDF_FORMATS = {
    "turtle": ("turtle", ".ttl"),
    "nt": ("nt", ".nt"),
    "jsonld": ("json-ld", ".jsonld"),
    "trig": ("trig", ".trig"),
    "nquads": ("nquads", ".nq"),
}
_BY_SUFFIX = {suffix: name for name, (_, suffix) in RDF_FORMATS.items()} | {
    ".turtle": "turtle", ".ntriples": "nt", ".json": "jsonld", ".nquads": "nquads"}


def format_for(path: str | Path, fmt: str | None = None) -> str:
    """The RDF format name for a path: `fmt` if given, else from the file suffix."""
    if fmt:
        if fmt not in RDF_FORMATS:
            raise GraphError(f"unknown RDF format '{fmt}'; choose one of {', '.join(RDF_FORMATS)}")
        return fmt
    suffix = Path(str(path)).suffix.lower()
    if suffix not in _BY_SUFFIX:
        raise GraphError(f"{path}: cannot tell the RDF format from '{suffix or 'no suffix'}'; "
                         f"name the format ({', '.join(RDF_FORMATS)})")
    return _BY_SUFFIX[suffix]


def _reading_format(path: Path, fmt: str | None) -> str:
    """The RDF format of a graph file to read: `fmt`, else from its suffix."""
    if fmt or path.suffix.lower() in _BY_SUFFIX:
        return format_for(path, fmt)
    suffixes = ", ".join(sorted({suffix for _, suffix in RDF_FORMATS.values()}))
    raise GraphError(f"{path}: cannot tell the RDF format from "
                     f"'{path.suffix or 'no suffix'}'; name the file with one of {suffixes}, "
                     "or give a store folder")


def jsonld_context() -> dict:
    """The JSON-LD context shipped in `ontology/context.jsonld`."""
    import json

    text = resources.files("kgbuild.ontology").joinpath("context.jsonld").read_text("utf-8")
    return json.loads(text).get("@context", {})


QUAD_FORMATS = frozenset({"trig", "nquads"})
#: format name -> the name of its `pyoxigraph.RdfFormat`, for the formats `load_into` has
#: Oxigraph read (ten times faster than rdflib; JSON-LD stays with rdflib's reader)
OXIGRAPH_READS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "trig": "TRIG", "nquads": "N_QUADS"}
#: format name -> the name of its `pyoxigraph.RdfFormat`, for the formats Oxigraph writes
#: faster than rdflib (measured in bench/RESULTS.md; rdflib's N-Triples writer is faster)
OXIGRAPH_FORMATS = {"turtle": "TURTLE", "trig": "TRIG", "nquads": "N_QUADS"}


def serialize_graph(graph: Graph, fmt: str = "turtle") -> str:
    """The graph as text in one of RDF_FORMATS (TriG and N-Quads: one named graph per
    document, see `to_dataset`)."""
    name = format_for("", fmt)
    rdf_format = RDF_FORMATS[name][0]
    if name == "jsonld":
        return graph.serialize(format=rdf_format, context=jsonld_context(), auto_compact=True)
    if name not in OXIGRAPH_FORMATS:  # N-Triples: rdflib's writer is the faster one here
        return graph.serialize(format=rdf_format)
    return _ESCAPED.sub(_unescape_noncharacter, oxigraph_serialize(graph, name).decode("utf-8"))


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

    triples = (sorted(graph, key=lambda t: (str(t[0]), str(t[1])))  # one block per subject
               if name != "nquads" else graph)
    quads = ox_quads(partition(triples) if name in QUAD_FORMATS else
                     ((s, p, o, None) for s, p, o in triples))
    prefixes = {prefix: str(ns) for prefix, ns in graph.namespaces() if prefix}
    data = pyoxigraph.serialize(quads, format=getattr(pyoxigraph.RdfFormat, OXIGRAPH_FORMATS[name]),
                                prefixes=prefixes)
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
    import pyoxigraph

    if str(path) != "-" and Path(path).is_file():
        name = _reading_format(Path(path), fmt)
        if name in OXIGRAPH_READS:
            try:
                store.bulk_load(path=str(path), format=getattr(pyoxigraph.RdfFormat, OXIGRAPH_READS[name]))
                return name in QUAD_FORMATS
            except (SyntaxError, ValueError, OSError):
                store.clear()
    store.bulk_extend(ox_triples(load_file(path, fmt)))
    return False


def _parse(source, name: str, shown: str) -> Graph:
    """A graph parsed from a path or bytes in RDF format `name` (quads flattened)."""
    graph = bind_prefixes(Graph())
    given = {"data": source} if isinstance(source, bytes) else {"source": source}
    try:
        if name in QUAD_FORMATS:
            ds = Dataset()
            ds.parse(format=RDF_FORMATS[name][0], **given)
            for s, p, o, _ in ds.quads((None, None, None, None)):
                graph.add((s, p, o))
        else:
            graph.parse(format=RDF_FORMATS[name][0], **given)
    except (ParserError, SyntaxError, ValueError, UnicodeDecodeError, Exception) as err:  # noqa: BLE001
        reason = " ".join(str(err).split())[:300]
        raise GraphError(f"{shown}: not valid {name} RDF: {reason}") from None
    return graph


def _load_stdin(fmt: str | None) -> Graph:
    """The graph on standard input; without `fmt`, JSON-LD when it starts with '{' or '[',
    else TriG (which reads Turtle and N-Triples too), else N-Quads."""
    data = sys.stdin.buffer.read()
    if not data.strip():
        raise GraphError("-: standard input is empty; pipe a graph into it "
                         "(cat graph.ttl | kgbuild …)")
    if fmt:
        return _parse(data, format_for("-", fmt), "-")
    if data.lstrip()[:1] in (b"{", b"["):
        return _parse(data, "jsonld", "-")
    try:
        return _parse(data, "trig", "-")
    except GraphError as first:
        try:
            return _parse(data, "nquads", "-")
        except GraphError:
            raise GraphError(str(first).replace("not valid trig RDF",
                                                "not valid Turtle/TriG/N-Quads/JSON-LD")) from None
