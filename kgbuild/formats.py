"""Every format kgbuild reads or writes, in one table: its name (the `--format` value),
kind, file suffixes, media types, and what reads and writes it.

RDF and SPARQL-results formats are built on pyoxigraph's `RdfFormat` and
`QueryResultsFormat` (their label, first suffix and first media type come from there).
`build`, `export`, `viz`, `read_table`, `serve` (content negotiation) and `push`/remote
queries look formats up here, by name, suffix or media type, always within a kind:

- `GRAPH`: RDF graphs (files, CONSTRUCT answers, what is pushed);
- `RESULTS`: the answers to SELECT and ASK queries that `serve` writes and remote
  queries read;
- `NETWORK`, `TABLE`, `VIEW`: what `export` and `viz` write.

Order matters: within a kind, formats are listed in kgbuild's order of preference (the
first is the default of content negotiation), and a format's first suffix and media type
are the ones it writes and sends; the others are also read.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import QueryResultsFormat, RdfFormat

GRAPH, RESULTS, NETWORK, TABLE, VIEW = "graph", "results", "network", "table", "view"


@dataclass(frozen=True)
class Format:
    """One format of one kind.

    Attributes:
        name: the `--format` value (and `serve`'s `format` parameter).
        kind: GRAPH, RESULTS, NETWORK, TABLE or VIEW.
        label: the name people know it by.
        suffixes: file suffixes, lower case with the dot; the first is the one written.
        media_types: the first is the one sent or answered; the others are understood.
        aliases: other names `serve`'s `format` parameter takes.
        rdflib: rdflib's parser and serializer name (RDF and SPARQL results).
        oxigraph: the pyoxigraph format (`RdfFormat` or `QueryResultsFormat`).
        reader: what reads a file of it: "oxigraph" (rdflib when Oxigraph refuses it),
            "rdflib", "kgbuild"; None when kgbuild does not read it as a file.
        writer: what writes it: "oxigraph", "rdflib", "networkx", "matplotlib",
            "kgbuild"; None when kgbuild does not write it as a file.
        quads: the format keeps named graphs, one per document (TriG, N-Quads).
    """

    name: str
    kind: str
    label: str
    suffixes: tuple[str, ...] = ()
    media_types: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    rdflib: str | None = None
    oxigraph: RdfFormat | QueryResultsFormat | None = None
    reader: str | None = None
    writer: str | None = None
    quads: bool = False

    @property
    def suffix(self) -> str:
        """The suffix a file of this format is given."""
        return self.suffixes[0]

    @property
    def media_type(self) -> str:
        """The media type this format is sent with."""
        return self.media_types[0]

    @property
    def rdflib_name(self) -> str:
        """`rdflib`, for a format rdflib reads and writes."""
        if self.rdflib is None:
            raise ValueError(f"rdflib does not read or write {self.label}")
        return self.rdflib

    @property
    def rdf_format(self) -> RdfFormat:
        """`oxigraph`, for an RDF format Oxigraph reads and writes."""
        if not isinstance(self.oxigraph, RdfFormat):
            raise ValueError(f"{self.label} is no RDF format of Oxigraph")
        return self.oxigraph

    @property
    def is_file(self) -> bool:
        """kgbuild writes and reads files of this format."""
        return self.writer is not None


def _rdf(name: str, ox: RdfFormat, *, suffixes: tuple[str, ...] = (),
         media_types: tuple[str, ...] = (), **fields) -> Format:
    """A graph format, its label, first suffix and first media type from pyoxigraph."""
    return Format(name, GRAPH, ox.name, (f".{ox.file_extension}",) + suffixes,
                  (ox.media_type,) + media_types, oxigraph=ox, **fields)


def _results(name: str, ox: QueryResultsFormat | None, label: str, *,
             media_types: tuple[str, ...] = (), **fields) -> Format:
    """A format of SELECT/ASK answers, its first media type from pyoxigraph."""
    first = (ox.media_type.split(";")[0],) if ox is not None else ()
    return Format(name, RESULTS, label, media_types=first + media_types, oxigraph=ox, **fields)


FORMATS: tuple[Format, ...] = (
    _rdf("turtle", RdfFormat.TURTLE, suffixes=(".turtle",), aliases=("ttl",), rdflib="turtle",
         reader="oxigraph", writer="oxigraph"),
    # text/plain: N-Triples as a browser shows it (and as some servers label it)
    _rdf("nt", RdfFormat.N_TRIPLES, suffixes=(".ntriples",), media_types=("text/plain",),
         aliases=("ntriples",), rdflib="nt", reader="oxigraph", writer="rdflib"),
    _rdf("rdfxml", RdfFormat.RDF_XML, rdflib="xml"),  # answers only, never a kgbuild file
    _rdf("jsonld", RdfFormat.JSON_LD, suffixes=(".json",), rdflib="json-ld", reader="rdflib",
         writer="rdflib"),
    _rdf("trig", RdfFormat.TRIG, rdflib="trig", reader="oxigraph", writer="oxigraph", quads=True),
    _rdf("nquads", RdfFormat.N_QUADS, suffixes=(".nquads",), rdflib="nquads", reader="oxigraph",
         writer="oxigraph", quads=True),
    _results("json", QueryResultsFormat.JSON, "SPARQL JSON", media_types=("application/json",),
             rdflib="json"),
    _results("xml", QueryResultsFormat.XML, "SPARQL XML", media_types=("application/xml",),
             rdflib="xml"),
    _results("csv", QueryResultsFormat.CSV, "CSV"),
    _results("tsv", QueryResultsFormat.TSV, "TSV"),
    _results("html", None, "HTML table", media_types=("text/html",), writer="kgbuild"),
    Format("graphml", NETWORK, "GraphML", (".graphml",), ("application/graphml+xml",),
           writer="networkx"),
    Format("gexf", NETWORK, "GEXF", (".gexf",), ("application/gexf+xml",), writer="networkx"),
    Format("csv", TABLE, "CSV", (".csv",), ("text/csv",), reader="kgbuild", writer="kgbuild"),
    Format("tsv", TABLE, "TSV", (".tsv", ".tab"), ("text/tab-separated-values",),
           reader="kgbuild", writer="kgbuild"),
    Format("parquet", TABLE, "Parquet", (".parquet", ".pq"), ("application/vnd.apache.parquet",),
           reader="kgbuild", writer="kgbuild"),
    Format("geojson", TABLE, "GeoJSON", (".geojson",), ("application/geo+json",),
           writer="kgbuild"),
    Format("html", VIEW, "HTML page", (".html", ".htm"), ("text/html",), writer="kgbuild"),
    Format("png", VIEW, "PNG picture", (".png",), ("image/png",), writer="matplotlib"),
    Format("svg", VIEW, "SVG picture", (".svg",), ("image/svg+xml",), writer="matplotlib"),
)


def formats(*kinds: str, files: bool = False) -> tuple[Format, ...]:
    """The formats of these kinds, in order; with `files`, only those kgbuild writes as files."""
    return tuple(f for kind in kinds for f in FORMATS if f.kind == kind and (f.is_file or not files))


def names(*kinds: str, files: bool = False) -> tuple[str, ...]:
    """The names of `formats(*kinds, files=files)`."""
    return tuple(f.name for f in formats(*kinds, files=files))


def by_name(name: str, *kinds: str, files: bool = False) -> Format | None:
    """The format of these kinds called `name` (or one of its aliases), else None."""
    name = name.strip().lower()
    return next((f for f in formats(*kinds, files=files) if name == f.name or name in f.aliases), None)


def get(name: str, *kinds: str) -> Format:
    """The format of these kinds called `name`, which kgbuild's code names (KeyError if none)."""
    found = by_name(name, *kinds)
    if found is None:
        raise KeyError(name)
    return found


def by_suffix(path: str | Path, *kinds: str, files: bool = False) -> Format | None:
    """The format of these kinds that the suffix of `path` names, else None."""
    suffix = Path(str(path)).suffix.lower()
    return next((f for f in formats(*kinds, files=files) if suffix and suffix in f.suffixes), None)


def by_media_type(media_type: str, *kinds: str) -> Format | None:
    """The format of these kinds with this media type (parameters ignored), else None."""
    media_type = media_type.split(";")[0].strip().lower()
    return next((f for f in formats(*kinds) if media_type in f.media_types), None)


def suffix_of(path: str | Path) -> str:
    """The suffix of `path` as messages show it: '.xyz', or 'no suffix'."""
    return Path(str(path)).suffix or "no suffix"
