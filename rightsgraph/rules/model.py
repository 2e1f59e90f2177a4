"""Rules as data: reading ``sh:SPARQLRule`` nodes and their legal metadata from Turtle files.

A rule is a SHACL Advanced Features SPARQL rule (https://www.w3.org/TR/shacl-af/#SPARQLRule) whose
node also carries RightsGraph's legal metadata: ``dcterms:source``, ``rg:jurisdiction``,
``rg:inForceFrom``/``rg:inForceUntil``, ``rg:temporalAnchor`` and ``rg:overrides``. The shape that
points at the rule with ``sh:rule`` gives its focus nodes (``sh:targetClass``, ``sh:targetNode``,
``sh:targetSubjectsOf``, ``sh:targetObjectsOf``), bound to ``$this``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SH

from rightsgraph.errors import InputError, RuleError
from rightsgraph.loading import parse_file
from rightsgraph.graphs import RG

RGNS = Namespace(RG)


@dataclass(frozen=True)
class Target:
    """One SHACL target of the shape that owns a rule."""

    kind: str  # "class" | "node" | "subjectsOf" | "objectsOf"
    value: str


@dataclass(frozen=True)
class Rule:
    """One legal rule: its query and where it comes from in law."""

    iri: str
    label: str
    construct: str
    prefixes: tuple[tuple[str, str], ...]
    source_file: str
    legal_sources: tuple[str, ...] = ()
    jurisdictions: tuple[str, ...] = ()
    in_force_from: dt.date | None = None
    in_force_until: dt.date | None = None
    temporal_anchor: str | None = None
    overrides: tuple[str, ...] = ()
    targets: tuple[Target, ...] = ()
    comment: str = ""
    order: float = 0.0

    def in_force_on(self, day: dt.date) -> bool:
        return (self.in_force_from is None or self.in_force_from <= day) and (
            self.in_force_until is None or day <= self.in_force_until)

    @property
    def prologue(self) -> str:
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in self.prefixes)


@dataclass
class RuleBase:
    """All rules read from a set of files, plus the graph they were read from (for SPARQL over rules)."""

    rules: list[Rule] = field(default_factory=list)
    graph: Graph = field(default_factory=Graph)

    def by_iri(self, iri: str) -> Rule:
        for rule in self.rules:
            if rule.iri == iri:
                return rule
        raise InputError(f"no rule <{iri}> in the rule base")

    def for_jurisdictions(self, jurisdictions: Iterable[str]) -> list[Rule]:
        wanted = set(jurisdictions)
        return [r for r in self.rules if wanted & set(r.jurisdictions)]


def _date(rule: str, source: str, value: object) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, Literal) and isinstance(value.toPython(), dt.date):
        return value.toPython()
    raise RuleError(rule, source, f"dates in force must be xsd:date literals, got {value!r}")


def _prefixes(graph: Graph, rule: URIRef) -> tuple[tuple[str, str], ...]:
    found: dict[str, str] = {}
    for decl_holder in graph.objects(rule, SH.prefixes):
        for decl in graph.objects(decl_holder, SH.declare):
            prefix, ns = graph.value(decl, SH.prefix), graph.value(decl, SH.namespace)
            if prefix is not None and ns is not None:
                found[str(prefix)] = str(ns)
    return tuple(sorted(found.items()))


def _targets(graph: Graph, rule: URIRef) -> tuple[Target, ...]:
    targets = []
    kinds = {SH.targetClass: "class", SH.targetNode: "node", SH.targetSubjectsOf: "subjectsOf",
             SH.targetObjectsOf: "objectsOf"}
    for shape in graph.subjects(SH.rule, rule):
        for predicate, kind in kinds.items():
            targets += [Target(kind, str(v)) for v in graph.objects(shape, predicate)]
        if (shape, RDF.type, RDFS.Class) in graph:  # implicit class target (SHACL 2.1.3.3)
            targets.append(Target("class", str(shape)))
    return tuple(sorted(set(targets), key=lambda t: (t.kind, t.value)))


def load_rule_base(files: Iterable[Path]) -> RuleBase:
    """Read every rule of the given files; a file that does not parse names its line."""
    base = RuleBase()
    owner: dict[URIRef, str] = {}
    for path in files:
        parse_file(path)  # pyoxigraph names the line and column of a syntax error
        part = Graph()
        part.parse(path, format="turtle")
        for rule in part.subjects(RDF.type, SH.SPARQLRule):
            if isinstance(rule, URIRef):
                owner.setdefault(rule, str(path))
        base.graph += part
    graph = base.graph
    for node in sorted(set(graph.subjects(RDF.type, SH.SPARQLRule)), key=str):
        source = owner.get(node) if isinstance(node, URIRef) else None
        if not isinstance(node, URIRef):
            raise RuleError(str(node), source, "a rule needs an IRI so that conclusions can name it")
        iri = str(node)
        if (node, SH.deactivated, Literal(True)) in graph:
            continue
        constructs = list(graph.objects(node, SH.construct))
        if len(constructs) != 1:
            raise RuleError(iri, source, f"needs exactly one sh:construct, found {len(constructs)}")
        anchor = graph.value(node, RGNS.temporalAnchor)
        order = graph.value(node, SH.order)
        base.rules.append(Rule(
            iri=iri,
            label=str(graph.value(node, RDFS.label) or iri),
            construct=str(constructs[0]),
            prefixes=_prefixes(graph, node),
            source_file=source or "",
            legal_sources=tuple(sorted(str(s) for s in graph.objects(node, DCTERMS.source))),
            jurisdictions=tuple(sorted(str(j) for j in graph.objects(node, RGNS.jurisdiction))),
            in_force_from=_date(iri, source, graph.value(node, RGNS.inForceFrom)),
            in_force_until=_date(iri, source, graph.value(node, RGNS.inForceUntil)),
            temporal_anchor=str(anchor).lstrip("?$") if anchor is not None else None,
            overrides=tuple(sorted(str(o) for o in graph.objects(node, RGNS.overrides))),
            targets=_targets(graph, node),
            comment=str(graph.value(node, RDFS.comment) or ""),
            order=float(order) if order is not None else 0.0,
        ))
    return base
