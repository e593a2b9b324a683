"""Draw the ontology (classes, properties) as a Mermaid class diagram inside README.md.

    python scripts/ontology_diagram.py          # rewrite the diagram in README.md
    python scripts/ontology_diagram.py --check  # exit 1 if README.md is out of date

The diagram sits between the markers `<!-- ontology:start -->` and `<!-- ontology:end -->`;
GitHub and most Markdown viewers render Mermaid blocks as pictures.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.collection import Collection

ROOT = Path(__file__).resolve().parent.parent
KG = "https://w3id.org/kgbuild/ns#"
START, END = "<!-- ontology:start -->", "<!-- ontology:end -->"


def local(node) -> str:
    return str(node)[len(KG):] if str(node).startswith(KG) else ""


def members(g: Graph, node) -> list:
    """A class or datatype, or the members of an owl:unionOf."""
    union = g.value(node, OWL.unionOf)
    return list(Collection(g, union)) if union is not None else [node]


def diagram(ttl: Path) -> str:
    g = Graph().parse(ttl, format="turtle")
    classes = sorted(local(c) for c in g.subjects(RDF.type, OWL.Class) if local(c))
    lines = ["```mermaid", "classDiagram", "  direction LR"]
    fields: dict[str, list[str]] = {c: [] for c in classes}
    for p in sorted(g.subjects(RDF.type, OWL.DatatypeProperty)):
        rng = [str(r).rsplit("#", 1)[-1] for r in members(g, g.value(p, RDFS.range))
               if isinstance(r, URIRef)]
        kind = "/".join(rng) or "literal"
        for dom in g.objects(p, RDFS.domain):
            for d in members(g, dom):
                if local(d) in fields:
                    fields[local(d)].append(f"{kind} {local(p)}")
    for c in classes:
        body = fields[c]
        if body:
            lines.append(f"  class {c} {{")
            lines += [f"    {f}" for f in body]
            lines.append("  }")
        else:
            lines.append(f"  class {c}")
    for c in classes:
        for sup in g.objects(URIRef(KG + c), RDFS.subClassOf):
            if local(sup):
                lines.append(f"  {local(sup)} <|-- {c}")
    for p in sorted(g.subjects(RDF.type, OWL.ObjectProperty)):
        doms = [d for dom in g.objects(p, RDFS.domain) for d in members(g, dom)]
        rngs = [r for rng in g.objects(p, RDFS.range) for r in members(g, rng)]
        for d in doms:
            for r in rngs:
                if local(d) and local(r):
                    lines.append(f"  {local(d)} --> {local(r)} : {local(p)}")
    lines.append("```")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    if START not in text or END not in text:
        print(f"README.md has no {START} … {END} markers", file=sys.stderr)
        return 1
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    new = f"{head}{START}\n{diagram(ROOT / 'ontology' / 'kgbuild.ttl')}\n{END}{tail}"
    if args.check:
        if new != text:
            print("README.md ontology diagram is out of date; run scripts/ontology_diagram.py",
                  file=sys.stderr)
            return 1
        return 0
    readme.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
