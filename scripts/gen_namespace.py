#!/usr/bin/env python3
"""Generate kgbuild/graph/namespace.py from ontology/kgbuild.ttl.

Usage:
    python scripts/gen_namespace.py           # (re)write kgbuild/graph/namespace.py
    python scripts/gen_namespace.py --check   # exit 1 if the file is out of date

Every subject in the kg: namespace typed owl:Class, owl:ObjectProperty,
owl:DatatypeProperty or owl:AnnotationProperty becomes one annotated
attribute of ``KG`` (an rdflib ``DefinedNamespace``), with the first sentence
of its rdfs:comment as an inline comment. Classes come first, then object,
datatype and annotation properties; each group is sorted by name.
"""

from __future__ import annotations

import argparse
import difflib
import keyword
import re
import sys
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology" / "kgbuild.ttl"
OUTPUT = ROOT / "kgbuild" / "graph" / "namespace.py"

KG_NS = "https://w3id.org/kgbuild/ns#"
KGR_NS = "https://w3id.org/kgbuild/id/"
SEM_NS = "http://semanticweb.cs.vu.nl/2009/11/sem/"
SCHEMA_NS = "https://schema.org/"
GEO_NS = "http://www.opengis.net/ont/geosparql#"
WGS_NS = "http://www.w3.org/2003/01/geo/wgs84_pos#"

# (rdf:type of the term, heading used in the generated file)
GROUPS: list[tuple[URIRef, str]] = [
    (OWL.Class, "Classes"),
    (OWL.ObjectProperty, "Object properties"),
    (OWL.DatatypeProperty, "Datatype properties"),
    (OWL.AnnotationProperty, "Annotation properties"),
]

# Abbreviations whose full stop does not end a sentence.
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "cf.", "vs.")


class OntologyError(Exception):
    """The ontology cannot be turned into a namespace module."""


def first_sentence(text: str) -> str:
    """Return the first sentence of ``text`` on a single line."""
    flat = " ".join(text.split())
    protected = flat
    for i, abbr in enumerate(_ABBREVIATIONS):
        protected = protected.replace(abbr, f"\x00{i}\x00")
    match = re.search(r"[.!?](?=\s|$)", protected)
    sentence = protected[: match.end()] if match else protected
    for i, abbr in enumerate(_ABBREVIATIONS):
        sentence = sentence.replace(f"\x00{i}\x00", abbr)
    return sentence


def english_comment(graph: Graph, term: URIRef) -> str | None:
    """Prefer the @en comment, then an untagged one, then any."""
    comments = [c for c in graph.objects(term, RDFS.comment) if isinstance(c, Literal)]
    for wanted in ("en", None):
        for comment in sorted(comments):
            if comment.language == wanted:
                return str(comment)
    return str(sorted(comments)[0]) if comments else None


def collect_terms(graph: Graph) -> list[tuple[str, list[tuple[str, str]]]]:
    """Return ``[(heading, [(local_name, comment), ...]), ...]``."""
    seen: dict[str, URIRef] = {}
    groups = []
    for rdf_type, heading in GROUPS:
        entries = []
        for subject in set(graph.subjects(RDF.type, rdf_type)):
            if not isinstance(subject, URIRef) or not str(subject).startswith(KG_NS):
                continue
            name = str(subject)[len(KG_NS):]
            if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("_"):
                raise OntologyError(f"kg:{name} is not usable as a Python attribute name")
            if name in seen:
                raise OntologyError(f"kg:{name} is typed as more than one kind of term")
            seen[name] = rdf_type
            comment = english_comment(graph, subject)
            if not comment:
                raise OntologyError(f"kg:{name} has no rdfs:comment")
            entries.append((name, first_sentence(comment)))
        entries.sort(key=lambda entry: (entry[0].lower(), entry[0]))
        if entries:
            groups.append((heading, entries))
    if not seen:
        raise OntologyError(f"no terms in namespace {KG_NS} found")
    return groups


def ontology_header(graph: Graph) -> tuple[str, str, str]:
    """Return (ontology IRI, version IRI, version info)."""
    ontologies = sorted(s for s in graph.subjects(RDF.type, OWL.Ontology) if isinstance(s, URIRef))
    if len(ontologies) != 1:
        raise OntologyError(f"expected exactly one owl:Ontology, found {len(ontologies)}")
    ontology = ontologies[0]
    version_iri = graph.value(ontology, OWL.versionIRI)
    version_info = graph.value(ontology, OWL.versionInfo)
    if version_iri is None or version_info is None:
        raise OntologyError("the owl:Ontology needs owl:versionIRI and owl:versionInfo")
    return str(ontology), str(version_iri), str(version_info)


def render(graph: Graph) -> str:
    """Return the text of kgbuild/graph/namespace.py for the ontology in ``graph``."""
    ontology_iri, version_iri, version = ontology_header(graph)
    groups = collect_terms(graph)
    counts = ", ".join(f"{len(entries)} {heading.lower()}" for heading, entries in groups)

    lines = [
        '"""RDF namespaces of the kgbuild ontology.',
        "",
        "GENERATED FILE - DO NOT EDIT. It is generated from ontology/kgbuild.ttl",
        "(the ``kgbuild.ontology`` package) by scripts/gen_namespace.py.",
        "After changing the ontology, regenerate it from the repository root with::",
        "",
        "    python scripts/gen_namespace.py",
        "",
        "and check that it is current with ``python scripts/gen_namespace.py --check``.",
        "",
        f"Ontology {ontology_iri}, version {version}.",
        f"Terms: {counts}.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from rdflib import Namespace, URIRef",
        "from rdflib.graph import Graph",
        "from rdflib.namespace import (",
        "    DCTERMS,",
        "    OWL,",
        "    PROV,",
        "    RDF,",
        "    RDFS,",
        "    SKOS,",
        "    XSD,",
        "    DefinedNamespace,",
        ")",
        "",
        "__all__ = [",
        '    "DCTERMS",',
        '    "GEO",',
        '    "KG",',
        '    "KGR",',
        '    "ONTOLOGY_IRI",',
        '    "ONTOLOGY_VERSION",',
        '    "ONTOLOGY_VERSION_IRI",',
        '    "OWL",',
        '    "PREFIXES",',
        '    "PROV",',
        '    "RDF",',
        '    "RDFS",',
        '    "SCHEMA",',
        '    "SEM",',
        '    "SKOS",',
        '    "WGS",',
        '    "XSD",',
        '    "bind_prefixes",',
        "]",
        "",
        f'ONTOLOGY_IRI = URIRef("{ontology_iri}")',
        f'ONTOLOGY_VERSION_IRI = URIRef("{version_iri}")',
        f'ONTOLOGY_VERSION = "{version}"',
        "",
        "",
        "class KG(DefinedNamespace):",
        '    """Terms of the kgbuild ontology (closed: unknown names raise AttributeError)."""',
        "",
        f'    _NS = Namespace("{KG_NS}")',
        "    _fail = True",
    ]
    for heading, entries in groups:
        lines.append("")
        lines.append(f"    # {heading}")
        for name, comment in entries:
            lines.append(f"    {name}: URIRef  # {comment}")
    lines += [
        "",
        "",
        "#: Resource IRIs minted by kgbuild (events, mentions, actors, documents...).",
        f'KGR = Namespace("{KGR_NS}")',
        "#: Simple Event Model.",
        f'SEM = Namespace("{SEM_NS}")',
        "#: schema.org, https form (the same IRI as rdflib's ``SDO``).",
        f'SCHEMA = Namespace("{SCHEMA_NS}")',
        "#: GeoSPARQL (geometries as WKT).",
        f'GEO = Namespace("{GEO_NS}")',
        "#: W3C Basic Geo (WGS84 lat/long).",
        f'WGS = Namespace("{WGS_NS}")',
        "",
        "#: Prefixes bound by :func:`bind_prefixes`, in binding order.",
        "PREFIXES: dict[str, str] = {",
        '    "kg": str(KG),',
        '    "kgr": str(KGR),',
        '    "sem": str(SEM),',
        '    "prov": str(PROV),',
        '    "skos": str(SKOS),',
        '    "dcterms": str(DCTERMS),',
        '    "schema": str(SCHEMA),',
        '    "xsd": str(XSD),',
        '    "rdfs": str(RDFS),',
        '    "owl": str(OWL),',
        '    "geo": str(GEO),',
        '    "wgs": str(WGS),',
        "}",
        "",
        "",
        "def bind_prefixes(graph: Graph) -> Graph:",
        '    """Bind the kgbuild prefixes on ``graph`` and return it.',
        "",
        "    Existing bindings of these prefixes, or of these namespaces to other",
        "    prefixes, are replaced so serialisations always use the same names.",
        '    """',
        "    for prefix, namespace in PREFIXES.items():",
        "        graph.bind(prefix, Namespace(namespace), override=True, replace=True)",
        "    return graph",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if kgbuild/graph/namespace.py differs from what would be generated",
    )
    args = parser.parse_args(argv)

    graph = Graph().parse(ONTOLOGY, format="turtle")
    try:
        text = render(graph)
    except OntologyError as err:
        print(f"error: {ONTOLOGY}: {err}", file=sys.stderr)
        return 2

    current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else None
    rel = OUTPUT.relative_to(ROOT)
    if args.check:
        if current == text:
            print(f"{rel} is up to date")
            return 0
        print(f"{rel} is out of date; run: python scripts/gen_namespace.py", file=sys.stderr)
        diff = difflib.unified_diff(
            (current or "").splitlines(keepends=True),
            text.splitlines(keepends=True),
            fromfile=f"{rel} (on disk)",
            tofile=f"{rel} (generated)",
        )
        sys.stderr.writelines(diff)
        return 1

    if current == text:
        print(f"{rel} unchanged")
    else:
        OUTPUT.write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {rel}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
