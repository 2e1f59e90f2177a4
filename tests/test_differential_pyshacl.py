"""Our engine derives exactly what pyshacl, the reference SHACL-AF implementation, derives.

pyshacl runs the same ``sh:SPARQLRule``s with ``iterate_rules`` over the same input (facts,
ontology, the OWL entailments and the reasoning context), exported by
:func:`rightsgraph.rules.export.export_shacl_af` with strata and dates in force written out.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph

from rightsgraph import KnowledgeBase
from rightsgraph import graphs as G
from rightsgraph.rules.analysis import Analyses
from rightsgraph.rules.export import export_shacl_af
from rightsgraph.rules.firings import all_products

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
ALL = ["CN", "US", "EU", "DE", "UK", "JP"]


def produced(kb: KnowledgeBase) -> set[tuple]:
    """What the engine's firings wrote, read back from the justifications graph."""
    return all_products(kb.store, G.JUSTIFICATIONS, Analyses(kb.rule_base.rules))


def pyshacl_conclusions(kb: KnowledgeBase, jurisdictions: list[str], as_of: dt.date) -> set[tuple]:
    shapes = export_shacl_af(kb.rule_base, kb.tbox, jurisdictions=kb.resolve_jurisdictions(jurisdictions),
                             as_of=as_of)
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
