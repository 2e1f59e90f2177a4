"""Our engine derives exactly what pyshacl, the reference SHACL-AF implementation, derives.

pyshacl runs the same ``sh:SPARQLRule``s with ``iterate_rules`` over the same input (facts,
ontology, the OWL entailments and the reasoning context). Two things that SHACL-AF leaves to the
engine are written out for it: the order of strata, as ``sh:order`` (pyshacl runs rules by
``sh:order``), and each rule's dates in force, as the same FILTER our compiler adds.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from rightsgraph import KnowledgeBase
from rightsgraph import graphs as G
from rightsgraph.rules.analysis import split_construct
from rightsgraph.rules.compile import temporal_filter
from rightsgraph.rules.engine import plan, select_rules

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
ALL = ["CN", "US", "EU", "DE", "UK", "JP"]


def produced(kb: KnowledgeBase) -> set[tuple]:
    rows = kb.query(f"""SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH <{G.JUSTIFICATIONS}> {{
        ?f <{G.RG}produced> ?st . ?st <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?s ;
        <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> ?p ; <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> ?o }} }}""")
    return {(r["s"], r["p"], r["o"]) for r in rows}


def pyshacl_conclusions(kb: KnowledgeBase, jurisdictions: list[str], as_of: dt.date) -> set[tuple]:
    rules, _ = select_rules(kb.rule_base, kb.resolve_jurisdictions(jurisdictions), as_of)
    _, components = plan(rules, kb.tbox)
    shapes = Graph()
    for triple in kb.rule_base.graph.triples((None, SH.declare, None)):
        shapes.add(triple)
    for s, p, o in kb.rule_base.graph:
        if (o, SH.declare, None) in kb.rule_base.graph or (s, SH.prefix, None) in kb.rule_base.graph:
            shapes.add((s, p, o))
    # pyshacl runs shapes by their sh:order, then each shape's rules by theirs, in one pass: so each
    # rule gets a shape of its own, with the same targets, ordered by its stratum.
    targets = {"class": SH.targetClass, "node": SH.targetNode, "subjectsOf": SH.targetSubjectsOf,
               "objectsOf": SH.targetObjectsOf}
    for number, component in enumerate(components):
        for rule in component.rules:
            node, shape = URIRef(rule.iri), URIRef(rule.iri + "#pyshacl-shape")
            for p, o in kb.rule_base.graph.predicate_objects(node):
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
                shapes.add((shape, targets[target.kind], URIRef(target.value)))
    data = Graph()
    for graph in (G.FACTS, G.ONTOLOGY, G.ENTAILMENTS, G.CONTEXT):
        for triple in kb.store.triples(graph):
            data.add(triple)
    before = set(data)
    pyshacl.validate(data, shacl_graph=shapes, advanced=True, inplace=True, iterate_rules=True, inference="none")
    return set(data) - before


CASES = sorted((ROOT / "data" / "cases").glob("*.ttl"))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_the_engine_derives_what_pyshacl_derives_on_each_case(case):
    kb = KnowledgeBase()
    kb.load(case)
    as_of = dt.date(2026, 11, 25)
    kb.reason(ALL, as_of=as_of)
    ours = produced(kb)
    reference = pyshacl_conclusions(kb, ALL, as_of)
    assert ours, "nothing derived: the comparison would prove nothing"
    assert ours - reference == set(), "derived by the engine only"
    assert reference - ours == set(), "derived by pyshacl only"


def test_the_engine_derives_what_pyshacl_derives_with_recursion_and_negation():
    kb = KnowledgeBase(rules_dir=FIXTURES / "toy-rules")
    kb.load(FIXTURES / "family-data.ttl")
    as_of = dt.date(2024, 1, 1)
    kb.reason(["CN"], as_of=as_of)
    assert produced(kb) == pyshacl_conclusions(kb, ["CN"], as_of)
