"""SHACL Core validation as SPARQL queries run inside the store, for graphs too large for pyshacl.

pyshacl is the reference: it needs the whole data graph in rdflib, which at a million triples
costs more than everything else RightsGraph does together. This module compiles the subset of SHACL
Core that RightsGraph's shapes use into one SPARQL ``SELECT`` per constraint, evaluated by the store
(Oxigraph here, any endpoint remotely). ``tests/test_shacl_sparql.py`` proves on every case graph
and every broken example that the results equal pyshacl's. A shape using anything else raises
:class:`UnsupportedShape`, and :meth:`KnowledgeBase.validate` then falls back to pyshacl.

Each constraint component (SHACL 1.0, section 4) is one class that writes a *violation pattern*:
a group graph pattern with a solution for each value node (or focus node) that violates it. Shapes
nest (``sh:node``, ``sh:not``, ``sh:or``, ``sh:and``) by wrapping the nested shape's violation
patterns in ``EXISTS``/``NOT EXISTS``.
"""
from __future__ import annotations

import itertools
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Iterable, Sequence

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from rightsgraph.store.base import Store
from rightsgraph.validation import ValidationReport, ValidationResult


class UnsupportedShape(Exception):
    """A shape uses a SHACL feature this compiler does not translate."""


_counter = itertools.count()
RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"


def _fresh(name: str) -> str:
    return f"?__{name}{next(_counter)}"


def sparql_path(shapes: Graph, path: Node) -> str:
    """A SHACL property path (section 2.3.1) as a SPARQL property path."""
    if isinstance(path, URIRef):
        return path.n3()
    if (path, RDF.first, None) in shapes:
        return "(" + "/".join(sparql_path(shapes, p) for p in Collection(shapes, path)) + ")"
    for predicate, template in ((SH.inversePath, "^{}"), (SH.oneOrMorePath, "{}+"), (SH.zeroOrMorePath, "{}*"),
                                (SH.zeroOrOnePath, "{}?")):
        inner = shapes.value(path, predicate)
        if inner is not None:
            return "(" + template.format(sparql_path(shapes, inner)) + ")"
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(sparql_path(shapes, p) for p in Collection(shapes, alternatives)) + ")"
    raise UnsupportedShape(f"unsupported property path {path!r}")


@dataclass
class Context:
    """What a component needs: the shapes graph, the shape, the focus variable and, for a property
    shape, the path (value nodes are then ``?focus path ?value``)."""

    shapes: Graph
    shape: Node
    focus: str
    path: str | None

    def values(self, var: str) -> str:
        return f"{self.focus} {self.path} {var} ." if self.path else f"BIND({self.focus} AS {var})"


class Component(ABC):
    """One SHACL constraint component; ``parameter`` is its main parameter (sh:class, ...)."""

    parameter: URIRef
    name: str

    @abstractmethod
    def violation(self, ctx: Context, value: Node) -> tuple[str, str | None]:
        """The violation pattern and the variable holding the offending value (None: the focus)."""


class ClassComponent(Component):
    """sh:class (4.1.1): each value node is a SHACL instance of the class, through rdfs:subClassOf."""

    parameter, name = SH["class"], "ClassConstraintComponent"

    def violation(self, ctx, value):
        v = _fresh("v")
        return f"{ctx.values(v)} FILTER NOT EXISTS {{ {v} a/<{RDFS_SUBCLASS}>* {value.n3()} }}", v


class DatatypeComponent(Component):
    """sh:datatype (4.1.2): each value node is a literal of the datatype."""

    parameter, name = SH.datatype, "DatatypeConstraintComponent"

    def violation(self, ctx, value):
        v = _fresh("v")
        return f"{ctx.values(v)} FILTER(!isLiteral({v}) || DATATYPE({v}) != {value.n3()})", v


class NodeKindComponent(Component):
    """sh:nodeKind (4.1.3)."""

    parameter, name = SH.nodeKind, "NodeKindConstraintComponent"
    TESTS = {SH.IRI: "isIRI({v})", SH.BlankNode: "isBlank({v})", SH.Literal: "isLiteral({v})",
             SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))", SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
             SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))"}

    def violation(self, ctx, value):
        v = _fresh("v")
        return f"{ctx.values(v)} FILTER(!{self.TESTS[value].format(v=v)})", v


def _count_violation(ctx: Context, comparison: str) -> str:
    """Focus nodes whose number of distinct values on the path fails ``comparison`` (``< 2``, ``> 1``)."""
    v, c = _fresh("v"), _fresh("c")
    return (f"{{ SELECT {ctx.focus} (COUNT(DISTINCT {v}) AS {c}) WHERE {{ {ctx.focus} {ctx.path} {v} }} "
            f"GROUP BY {ctx.focus} }} FILTER({c} {comparison})")


class MinCountComponent(Component):
    """sh:minCount (4.2.1): one (the only minimum our shapes use) is a NOT EXISTS."""

    parameter, name = SH.minCount, "MinCountConstraintComponent"

    def violation(self, ctx, value):
        n = int(value)
        if n == 1:
            return f"FILTER NOT EXISTS {{ {ctx.focus} {ctx.path} {_fresh('v')} }}", None
        if n < 1:
            return "FILTER(false)", None
        # a grouped count never sees a focus node with no value at all: leave it to pyshacl
        raise UnsupportedShape(f"sh:minCount {n} on shape {ctx.shape}")


class MaxCountComponent(Component):
    """sh:maxCount (4.2.2)."""

    parameter, name = SH.maxCount, "MaxCountConstraintComponent"

    def violation(self, ctx, value):
        return _count_violation(ctx, f"> {int(value)}"), None


class InComponent(Component):
    """sh:in (4.8.3)."""

    parameter, name = SH["in"], "InConstraintComponent"

    def violation(self, ctx, value):
        v = _fresh("v")
        members = ", ".join(m.n3() for m in Collection(ctx.shapes, value))
        return f"{ctx.values(v)} FILTER({v} NOT IN ({members}))", v


class HasValueComponent(Component):
    """sh:hasValue (4.8.2)."""

    parameter, name = SH.hasValue, "HasValueConstraintComponent"

    def violation(self, ctx, value):
        if ctx.path:
            return f"FILTER NOT EXISTS {{ {ctx.focus} {ctx.path} {value.n3()} }}", None
        return f"FILTER({ctx.focus} != {value.n3()})", None


class NodeComponent(Component):
    """sh:node (4.7.4): each value node conforms to the node shape."""

    parameter, name = SH.node, "NodeConstraintComponent"

    def violation(self, ctx, value):
        v = _fresh("v")
        inner = violation_union(ctx.shapes, value, v)
        return f"{ctx.values(v)} FILTER EXISTS {{ {inner} }}", v


class NotComponent(Component):
    """sh:not (4.6.1): each value node does not conform to the shape."""

    parameter, name = SH["not"], "NotConstraintComponent"

    def violation(self, ctx, value):
        v = _fresh("v")
        inner = violation_union(ctx.shapes, value, v)
        return f"{ctx.values(v)} FILTER NOT EXISTS {{ {inner} }}", v


class OrComponent(Component):
    """sh:or (4.6.3): each value node conforms to at least one of the shapes."""

    parameter, name = SH["or"], "OrConstraintComponent"

    def violation(self, ctx, value):
        v = _fresh("v")
        members = [violation_union(ctx.shapes, s, v) for s in Collection(ctx.shapes, value)]
        return ctx.values(v) + " " + " ".join(f"FILTER EXISTS {{ {m} }}" for m in members), v


class AndComponent(Component):
    """sh:and (4.6.2): each value node conforms to every shape."""

    parameter, name = SH["and"], "AndConstraintComponent"

    def violation(self, ctx, value):
        v = _fresh("v")
        members = [violation_union(ctx.shapes, s, v) for s in Collection(ctx.shapes, value)]
        return f"{ctx.values(v)} FILTER EXISTS {{ {' UNION '.join('{ ' + m + ' }' for m in members)} }}", v


COMPONENTS: dict[URIRef, Component] = {c.parameter: c for c in (
    ClassComponent(), DatatypeComponent(), NodeKindComponent(), MinCountComponent(), MaxCountComponent(),
    InComponent(), HasValueComponent(), NodeComponent(), NotComponent(), OrComponent(), AndComponent())}
#: Parameters that are not constraints (or that a component reads itself).
IGNORED = {SH.path, SH.message, SH.name, SH.description, SH.order, SH.group, SH.severity, SH.targetClass,
           SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.property, SH.deactivated, SH.rule,
           RDF.type, URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
           URIRef("http://www.w3.org/2000/01/rdf-schema#comment"), URIRef("http://www.w3.org/2000/01/rdf-schema#isDefinedBy")}


def _constraints(shapes: Graph, shape: Node) -> Iterable[tuple[Component, Node]]:
    for predicate, value in sorted(shapes.predicate_objects(shape), key=lambda pv: (str(pv[0]), str(pv[1]))):
        if predicate in COMPONENTS:
            yield COMPONENTS[predicate], value
        elif predicate not in IGNORED and str(predicate).startswith(str(SH)):
            raise UnsupportedShape(f"shape {shape} uses {predicate}")


def violation_union(shapes: Graph, shape: Node, focus: str) -> str:
    """A pattern with a solution iff ``focus`` violates ``shape`` (for nesting)."""
    parts = []
    for _, pattern, _ in _shape_violations(shapes, shape, focus):
        parts.append("{ " + pattern + " }")
    return " UNION ".join(parts) if parts else "FILTER(false)"


def _shape_violations(shapes: Graph, shape: Node, focus: str):
    """(component, pattern, value var, property shape, path) for the shape and its property shapes."""
    out = []
    path_node = shapes.value(shape, SH.path)
    path = sparql_path(shapes, path_node) if path_node is not None else None
    for component, value in _constraints(shapes, shape):
        pattern, value_var = component.violation(Context(shapes, shape, focus, path), value)
        out.append((component, pattern, (value_var, shape, path_node)))
    for prop in sorted(shapes.objects(shape, SH.property), key=str):
        prop_path = sparql_path(shapes, shapes.value(prop, SH.path))
        for component, value in _constraints(shapes, prop):
            pattern, value_var = component.violation(Context(shapes, prop, focus, prop_path), value)
            out.append((component, pattern, (value_var, prop, shapes.value(prop, SH.path))))
    return out


def _target_pattern(shapes: Graph, shape: Node, focus: str) -> str | None:
    parts = [f"{focus} a/<{RDFS_SUBCLASS}>* {c.n3()} ." for c in shapes.objects(shape, SH.targetClass)]
    parts += [f"{focus} {p.n3()} [] ." for p in shapes.objects(shape, SH.targetSubjectsOf)]
    parts += [f"[] {p.n3()} {focus} ." for p in shapes.objects(shape, SH.targetObjectsOf)]
    parts += [f"VALUES {focus} {{ {n.n3()} }}" for n in shapes.objects(shape, SH.targetNode)]
    if (shape, RDF.type, URIRef("http://www.w3.org/2000/01/rdf-schema#Class")) in shapes:
        parts.append(f"{focus} a/<{RDFS_SUBCLASS}>* {shape.n3()} .")
    if not parts:
        return None
    return " UNION ".join("{ " + p + " }" for p in parts)


@dataclass(frozen=True)
class CompiledConstraint:
    shape: Node
    source_shape: Node
    component: str
    path: Node | None
    query: str
    messages: tuple[Literal, ...]
    severity: str


def compile_shapes(shapes: Graph) -> list[CompiledConstraint]:
    """One SELECT per constraint of every shape that has a target."""
    compiled = []
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        if (shape, SH.deactivated, Literal(True)) in shapes:
            continue
        target = _target_pattern(shapes, shape, "?focus")
        if target is None:
            continue
        for component, pattern, (value_var, source, path_node) in _shape_violations(shapes, shape, "?focus"):
            select_value = f"({value_var} AS ?value)" if value_var else ""
            query = f"SELECT DISTINCT ?focus {select_value} WHERE {{ {{ {target} }} {pattern} }}"
            messages = tuple(m for m in shapes.objects(source, SH.message) if isinstance(m, Literal))
            severity = shapes.value(source, SH.severity) or shapes.value(shape, SH.severity) or SH.Violation
            compiled.append(CompiledConstraint(shape, source, component.name, path_node, query, messages,
                                               str(severity).rsplit("#", 1)[-1]))
    return compiled


def validate_in_store(store: Store, shapes: Graph, *, graphs: Sequence[str],
                      sources: dict[str, str] | None = None) -> ValidationReport:
    """Run every compiled constraint over the merge of ``graphs``; the report matches pyshacl's."""
    results = []
    for constraint in compile_shapes(shapes):
        english = next((str(m) for m in constraint.messages if m.language in (None, "en")), None)
        chinese = next((str(m) for m in constraint.messages if m.language == "zh"), None)
        path = constraint.path
        path_text = path.n3() if isinstance(path, URIRef) else (str(path) if path is not None else None)
        for row in store.select(constraint.query, default_graphs=list(graphs)):
            focus = row["focus"]
            value = row.get("value")
            results.append(ValidationResult(
                focus=str(focus), severity=constraint.severity,
                message=english or f"{constraint.component} violated", message_zh=chinese,
                path=path_text if not isinstance(path, BNode) else None,
                value=value.n3() if value is not None else None,
                shape=str(constraint.source_shape) if isinstance(constraint.source_shape, URIRef) else None,
                source=sources.get(str(focus)) if sources is not None else None))
    results.sort(key=lambda r: (r.source or "", r.focus, r.path or "", r.message))
    conforms = not any(r.severity == "Violation" for r in results)
    return ValidationReport(conforms, results)
