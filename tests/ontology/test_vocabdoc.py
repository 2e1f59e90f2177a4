"""docs/vocabulary.md is generated from the ontology and is fresh."""
from __future__ import annotations

from rdflib import OWL, RDF

from conftest import ONTOLOGY, RG, ROOT
from rightsgraph.vocabdoc import generate_reference

DOC = ROOT / "docs" / "vocabulary.md"


def test_vocabulary_reference_is_fresh():
    assert DOC.read_text(encoding="utf-8") == generate_reference(ONTOLOGY), (
        "docs/vocabulary.md is stale: run `python -m rightsgraph.vocabdoc > docs/vocabulary.md`")


def test_reference_documents_every_rg_class_and_property_with_both_labels(tbox):
    text = generate_reference(ONTOLOGY)
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in tbox.subjects(RDF.type, kind):
            if str(term).startswith(str(RG)):
                assert f"### rg:{term[len(str(RG)):]}\n" in text, term
    assert "**AI-generated output** · 人工智能生成内容" in text
    assert "- Domain: `rg:Act` or `rg:InfringementDetermination`" in text
