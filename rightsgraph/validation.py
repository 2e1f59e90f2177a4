"""Checking facts against the SHACL shapes with pyshacl, the reference implementation.

The report is an object, not pyshacl's ``(conforms, graph, text)`` tuple: each result names the
focus node, the file the node came from, the property path, the offending value and the shape's
message in English (and Chinese where the shape gives one).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

from rightsgraph.resources import SHAPES_DIR

#: Shapes of the rule files themselves, not of case data.
RULE_SHAPES = "rules.ttl"


def data_shape_files(directory: Path = SHAPES_DIR) -> list[Path]:
    return sorted(p for p in directory.glob("*.ttl") if p.name != RULE_SHAPES)


def load_shapes(files: Iterable[Path]) -> Graph:
    graph = Graph()
    for path in files:
        graph.parse(path, format="turtle")
    return graph


@dataclass(frozen=True)
class ValidationResult:
    focus: str
    severity: str
    message: str
    message_zh: str | None = None
    path: str | None = None
    value: str | None = None
    shape: str | None = None
    source: str | None = None

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        path = f" {self.path}" if self.path else ""
        return f"{where}<{self.focus}>{path}: {self.message}"


@dataclass
class ValidationReport:
    """The outcome of validating facts against shapes."""

    conforms: bool
    results: list[ValidationResult] = field(default_factory=list)
    report_graph: Graph | None = None

    def __bool__(self) -> bool:
        return self.conforms

    def to_json(self) -> dict[str, Any]:
        return {"conforms": self.conforms, "results": [r.__dict__ for r in self.results]}

    def to_text(self) -> str:
        if self.conforms and not self.results:
            return "Conforms: the facts satisfy every shape."
        if self.conforms:
            lines = [f"Conforms, with {len(self.results)} warning(s)."]
        else:
            lines = [f"Does not conform: {len(self.results)} problem(s)."]
        lines += [f"  {r.severity}: {r}" for r in self.results]
        return "\n".join(lines)


def _messages(report: Graph, result) -> tuple[str, str | None]:
    english, chinese, other = None, None, None
    for message in report.objects(result, SH.resultMessage):
        if isinstance(message, Literal) and message.language == "zh":
            chinese = str(message)
        elif isinstance(message, Literal) and message.language in (None, "en"):
            english = english or str(message)
        else:
            other = other or str(message)
    return english or other or "constraint violated", chinese


def validate_graph(data: Graph, shapes: Graph, ontology: Graph | None = None,
                   sources: dict[str, str] | None = None) -> ValidationReport:
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                           abort_on_first=False, allow_warnings=True, advanced=False)
    results = []
    for result in report.subjects(SH.resultSeverity, None):
        focus = report.value(result, SH.focusNode)
        english, chinese = _messages(report, result)
        severity = report.value(result, SH.resultSeverity)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        shape = report.value(result, SH.sourceShape)
        results.append(ValidationResult(
            focus=str(focus), severity=str(severity).rsplit("#", 1)[-1], message=english, message_zh=chinese,
            path=path.n3() if isinstance(path, URIRef) else (str(path) if path is not None else None),
            value=value.n3() if value is not None else None,
            shape=str(shape) if isinstance(shape, URIRef) else None,
            source=sources.get(str(focus)) if sources is not None else None))
    results.sort(key=lambda r: (r.source or "", r.focus, r.path or "", r.message))
    return ValidationReport(bool(conforms), results, report)
