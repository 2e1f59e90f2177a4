"""The OWL materialiser derives what owlrl, the reference OWL 2 RL reasoner, derives for the
constructs the rules rely on (domain and range axioms are left out on purpose: see rightsgraph/owl.py)."""
from __future__ import annotations

from pathlib import Path

import owlrl
import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from rightsgraph import KnowledgeBase
from rightsgraph import graphs as G

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted((ROOT / "data" / "cases").glob("*.ttl"))
IGNORED_OBJECTS = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}


@pytest.mark.parametrize("case", CASES[:3], ids=[c.stem for c in CASES[:3]])
def test_materialisation_equals_owlrl_on_the_facts(case):
    kb = KnowledgeBase()
    kb.load(case)
    kb.reason(["CN"], as_of="2026-11-25")
    facts = set(kb.store.triples(G.FACTS))
    subjects = {s for s, _, _ in facts if isinstance(s, URIRef)}
    ours = {t for t in kb.store.triples(G.ENTAILMENTS) if t[0] in subjects}  # not the ontology's own individuals

    closure = Graph()
    for triple in kb.store.triples(G.ONTOLOGY):
        if triple[1] not in (RDFS.domain, RDFS.range):
            closure.add(triple)
    for triple in facts:
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    reference = {(s, p, o) for s, p, o in closure
                 if s in subjects and (s, p, o) not in facts and p != OWL.sameAs and o not in IGNORED_OBJECTS
                 and not (p == RDF.type and o in (OWL.Class, RDFS.Class))
                 and not str(o).startswith(G.SKOLEM_BASE)}  # anonymous class expressions: no rule names them
    assert ours, "no entailments: the comparison would prove nothing"
    assert ours - reference == set(), "entailed by us only"
    assert reference - ours == set(), "entailed by owlrl only"
