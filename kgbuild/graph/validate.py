"""SHACL validation of a built graph against `ontology/shapes.ttl` (pyshacl)."""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from rdflib import Graph
from rdflib.namespace import SH


@dataclass(frozen=True)
class Violation:
    """One failed constraint, in plain words."""

    focus: str
    path: str | None
    message: str
    severity: str

    def __str__(self) -> str:
        where = f" ({self.path.rsplit('#', 1)[-1]})" if self.path else ""
        return f"{self.focus}{where}: {self.message}"


def shapes_graph() -> Graph:
    """The SHACL shapes shipped with the ontology."""
    text = resources.files("kgbuild.ontology").joinpath("shapes.ttl").read_text("utf-8")
    return Graph().parse(data=text, format="turtle")


def validate_graph(graph: Graph) -> list[Violation]:
    """All SHACL violations of `graph` (an empty list when it conforms)."""
    from pyshacl import validate

    _, report, _ = validate(graph, shacl_graph=shapes_graph(), inference="none",
                            allow_warnings=True)
    out = []
    for result in report.subjects(SH.resultSeverity, None):
        message = report.value(result, SH.resultMessage)
        path = report.value(result, SH.resultPath)
        out.append(Violation(focus=str(report.value(result, SH.focusNode)),
                             path=str(path) if path is not None else None,
                             message=str(message) if message is not None else "constraint failed",
                             severity=str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]))
    return sorted(out, key=lambda v: (v.focus, v.message))
