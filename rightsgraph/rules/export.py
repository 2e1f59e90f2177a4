"""The rule base as plain SHACL-AF, for any SHACL Advanced Features engine (pyshacl, TopBraid).

Two things SHACL-AF leaves to the engine are written out: the order of strata, as ``sh:order``
(each rule gets a shape of its own, since engines order shapes first and rules within a shape
second), and each rule's dates in force, as the same FILTER the compiler adds. Running the result
with pyshacl's ``iterate_rules`` derives what :func:`rightsgraph.rules.engine.run` derives; the
differential test and the benchmark use it to compare.
"""
from __future__ import annotations

import datetime as dt

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SH

from rightsgraph.rules.analysis import split_construct
from rightsgraph.rules.compile import temporal_filter
from rightsgraph.rules.engine import plan, select_rules
from rightsgraph.rules.model import RuleBase

TARGETS = {"class": SH.targetClass, "node": SH.targetNode, "subjectsOf": SH.targetSubjectsOf,
           "objectsOf": SH.targetObjectsOf}


def export_shacl_af(rule_base: RuleBase, tbox, *, jurisdictions: list[str], as_of: dt.date) -> Graph:
    """The rules that would run for ``jurisdictions`` on ``as_of``, as a SHACL-AF shapes graph."""
    rules, _ = select_rules(rule_base, jurisdictions, as_of)
    _, components = plan(rules, tbox)
    source = rule_base.graph
    shapes = Graph()
    for declaration_holder, _, declaration in source.triples((None, SH.declare, None)):
        shapes.add((declaration_holder, SH.declare, declaration))
        for triple in source.triples((declaration, None, None)):
            shapes.add(triple)
    for number, component in enumerate(components):
        for rule in component.rules:
            node, shape = URIRef(rule.iri), URIRef(rule.iri + "#shacl-af-shape")
            for p, o in source.predicate_objects(node):
                if p not in (SH.construct, SH.order):
                    shapes.add((node, p, o))
            construct = rule.construct
            if rule.temporal_anchor:
                prologue, template, where = split_construct(rule.construct)
                construct = f"{prologue}CONSTRUCT {{{template}}} WHERE {{ {where} {temporal_filter(rule, as_of)} }}"
            shapes.add((node, SH.construct, Literal(construct)))
            shapes.add((node, SH.order, Literal(number)))
            shapes.add((shape, RDF.type, SH.NodeShape))
            shapes.add((shape, SH.order, Literal(number)))
            shapes.add((shape, SH.rule, node))
            for target in rule.targets:
                shapes.add((shape, TARGETS[target.kind], URIRef(target.value)))
    return shapes
