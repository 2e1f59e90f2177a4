"""Every rg: and jur: term named in decision record 0001 exists in the ontology with that IRI."""
from __future__ import annotations

import re

import pytest
from rdflib import OWL, RDF, URIRef

from conftest import JUR, RG, ROOT

DECISION = ROOT / "docs" / "decisions" / "0001-core-vocabulary-and-rule-conventions.md"
# rg:ontologyPrefixes is the SHACL prefix-declaration node (sh:declare) that decision 0001 places in
# reasoning/prefixes.ttl; it is part of the rule base, not a term of the OWL ontology.
NOT_OWL_TERMS = {"rg:ontologyPrefixes"}
DECLARATIONS = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual}


def contract_terms() -> list[str]:
    text = DECISION.read_text(encoding="utf-8")
    terms = set()
    for code in re.findall(r"`([^`]+)`", text):
        terms.update(f"{p}:{l}" for p, l in re.findall(r"(?<![\w:/])(rg|jur):([A-Za-z_]\w*)", code))
    return sorted(terms - NOT_OWL_TERMS)


def test_the_decision_record_names_many_terms():
    terms = contract_terms()
    assert len(terms) > 250 and "rg:AIGeneratedOutput" in terms and "jur:DE" in terms


@pytest.mark.parametrize("term", contract_terms())
def test_contract_term_is_declared(closure, term):
    prefix, local = term.split(":")
    iri = URIRef((RG if prefix == "rg" else JUR)[local])
    kinds = set(closure.objects(iri, RDF.type))
    assert kinds & DECLARATIONS, f"{term} is not declared in the ontology"


def test_member_states_are_part_of_the_eu(closure):
    assert (JUR.DE, RG.partOf, JUR.EU) in closure
    assert (JUR.CZ, RG.partOf, JUR.EU) in closure
    for j in ("CN", "US", "EU", "DE", "CZ", "UK", "JP"):
        assert (JUR[j], RDF.type, RG.Jurisdiction) in closure


def test_derived_from_model_is_transitive_with_its_subproperties(closure):
    from rdflib import RDFS
    assert (RG.derivedFromModel, RDF.type, OWL.TransitiveProperty) in closure
    for sub in ("fineTunedFrom", "adapterOf", "mergedFrom", "quantisedFrom"):
        assert (RG[sub], RDFS.subPropertyOf, RG.derivedFromModel) in closure
