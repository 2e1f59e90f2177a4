"""The ontology opens the way Protégé opens it (OWL API) and HermiT accepts it.

Each check is also run on a copy with a planted defect, to prove it can fail.
"""
from __future__ import annotations

import pytest

from conftest import ALIGNED, CATALOG, ENTRY, ONTOLOGY, needs_java
from rightsgraph.owlcheck import check_with_hermit, check_with_owlapi

pytestmark = pytest.mark.java


@pytest.mark.parametrize("entry", [ENTRY, ALIGNED], ids=["core", "aligned"])
def test_owlapi_loads_entry_without_any_problem(entry):
    needs_java()
    report = check_with_owlapi(entry, CATALOG)
    assert report.loaded and report.ok, "\n".join(report.problems())
    # every module, the licences (and for the aligned entry the alignments) came from local files
    assert all(" <- file:" in o for o in report.ontologies)
    files = list((ONTOLOGY / "modules").glob("*.ttl")) + list((ONTOLOGY / "licences").glob("*.ttl")) + [ENTRY]
    if entry == ALIGNED:
        files += list((ONTOLOGY / "alignments").glob("*.ttl")) + [ALIGNED]
    loaded = {o.split(" <- file:")[1] for o in report.ontologies}
    assert loaded == {str(f.resolve()) for f in files}


def test_owlapi_reports_a_dl_violation_and_an_undeclared_annotation(ontology_copy):
    needs_java()
    module = ontology_copy / "modules" / "determinations.ttl"
    text = module.read_text(encoding="utf-8")
    planted = "rdfs:range owl:Thing ;\n    skos:definition \"A relation from a rule firing to a node it wrote"
    assert planted in text
    text = text.replace(planted, "rdfs:range <http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement> ;\n"
                                 "    skos:definition \"A relation from a rule firing to a node it wrote")
    text += "\nrg:Determination <http://example.org/undeclaredNote> \"x\" .\n"
    module.write_text(text, encoding="utf-8")
    report = check_with_owlapi(ontology_copy / "rightsgraph.ttl", ontology_copy / "catalog-v001.xml")
    assert not report.ok
    joined = "\n".join(report.profile_violations)
    assert "UseOfReservedVocabularyForClassIRI" in joined and "produced" in joined
    assert "undeclaredNote" in joined


def test_owlapi_reports_an_import_missing_from_the_catalog(ontology_copy):
    needs_java()
    catalog = ontology_copy / "catalog-v001.xml"
    lines = [l for l in catalog.read_text().splitlines() if "modules/rights\"" not in l]
    catalog.write_text("\n".join(lines) + "\n")
    report = check_with_owlapi(ontology_copy / "rightsgraph.ttl", catalog)
    assert not report.ok
    assert not report.loaded or report.unresolved_imports


@pytest.mark.parametrize("entry", [ENTRY, ALIGNED], ids=["core", "aligned"])
def test_hermit_finds_the_ontology_consistent_with_no_unsatisfiable_class(entry):
    needs_java()
    report = check_with_hermit(entry, CATALOG)
    assert report.consistent, report.error
    assert report.unsatisfiable == []


def test_hermit_reports_a_planted_unsatisfiable_class(ontology_copy):
    needs_java()
    module = ontology_copy / "modules" / "agents.ttl"
    module.write_text(module.read_text(encoding="utf-8") + """
rg:ImpossibleAgent a owl:Class ;
    rdfs:subClassOf rg:Agent, [ a owl:Class ; owl:complementOf rg:Agent ] .
""", encoding="utf-8")
    report = check_with_hermit(ontology_copy / "rightsgraph.ttl")
    assert report.consistent
    assert report.unsatisfiable == ["https://w3id.org/rightsgraph/ontology#ImpossibleAgent"]


def test_punned_right_class_as_value_of_rg_right_stays_owl2_dl(ontology_copy):
    """A determination naming a right by its class IRI (OWL 2 punning) is still OWL 2 DL."""
    needs_java()
    entry = ontology_copy / "punning-example.ttl"
    entry.write_text("""
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rg: <https://w3id.org/rightsgraph/ontology#> .
<https://example.org/punning> a owl:Ontology ; owl:imports <https://w3id.org/rightsgraph/ontology> .
<https://example.org/d> a owl:NamedIndividual, rg:InfringementDetermination ;
    rg:right rg:CN_Art10_1_12_InformationNetworkDisseminationRight ;
    rg:status rg:Established ;
    rg:jurisdiction <https://w3id.org/rightsgraph/jurisdiction/CN> .
""", encoding="utf-8")
    report = check_with_owlapi(entry, ontology_copy / "catalog-v001.xml")
    assert report.ok, "\n".join(report.problems())
