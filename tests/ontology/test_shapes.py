"""SHACL shapes: well-formed (SHACL-SHACL), accept Li v. Liu, reject each broken variant with the right message."""
from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SH

from conftest import CASE, EXAMPLES, ROOT, SHAPES

SHACL_SHACL = Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl"
SHAPE_FILES = sorted(SHAPES.glob("*.ttl"))


def validate(data: Graph, shapes: Graph, tbox: Graph):
    conforms, report, text = pyshacl.validate(data, shacl_graph=shapes, ont_graph=tbox, inference="none",
                                              advanced=True)
    results = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        messages = {m.language: str(m) for m in report.objects(r, SH.resultMessage)}
        results.append({"focus": report.value(r, SH.focusNode), "path": report.value(r, SH.resultPath),
                        "messages": messages})
    return conforms, results, text


@pytest.mark.parametrize("path", SHAPE_FILES, ids=lambda p: p.name)
def test_shapes_file_conforms_to_shacl_shacl(path):
    conforms, _, text = pyshacl.validate(Graph().parse(path), shacl_graph=Graph().parse(SHACL_SHACL),
                                         inference="none")
    assert conforms, text


def test_shacl_shacl_rejects_a_malformed_shape():
    bad = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:property [ sh:path ex:p ; sh:minCount "one" ] .""", format="turtle")
    conforms, _, _ = pyshacl.validate(bad, shacl_graph=Graph().parse(SHACL_SHACL), inference="none")
    assert not conforms


@pytest.mark.parametrize("path", SHAPE_FILES, ids=lambda p: p.name)
def test_every_message_is_given_in_english_and_chinese(path):
    g = Graph().parse(path)
    holders = set(g.subjects(SH.message, None))
    assert holders, f"{path.name} has no sh:message"
    for h in holders:
        langs = {m.language for m in g.objects(h, SH.message)}
        assert langs == {"en", "zh"}, (path.name, h, langs)


def test_li_v_liu_example_conforms(instance_shapes, tbox):
    data = Graph().parse(EXAMPLES / "li-v-liu-example.ttl")
    conforms, results, text = validate(data, instance_shapes, tbox)
    assert conforms, text
    # the shapes did look at it: the image, the generation and the acts are targeted
    assert (CASE.image, RDF.type, URIRef("https://w3id.org/rightsgraph/ontology#AIGeneratedOutput")) in data


BROKEN = {
    "output-without-generation": (CASE.image, "does not say how it was generated", "缺少生成过程"),
    "act-without-date": (CASE.liuPosting, "has no date", "缺少日期"),
    "act-without-jurisdiction": (CASE.liPosting, "does not say where it took place", "缺少行为地"),
    "unknown-licence-string": (CASE.StableDiffusion, "is not a known licence", "不是已知的许可"),
    "date-as-string": (CASE.liPosting, "must be an xsd:date literal", "xsd:date"),
    "model-typed-as-agent": (CASE.StableDiffusion, "an AI model is never a legal subject", "人工智能模型不是法律主体"),
}


def test_every_broken_variant_is_tested():
    assert {p.stem for p in (EXAMPLES / "broken").glob("*.ttl")} == set(BROKEN)


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_variant_fails_with_a_message_naming_the_problem(instance_shapes, tbox, name):
    focus, en, zh = BROKEN[name]
    data = Graph().parse(EXAMPLES / "broken" / f"{name}.ttl")
    conforms, results, text = validate(data, instance_shapes, tbox)
    assert not conforms
    # exactly this problem is reported: one result, on the right node, in both languages
    assert len(results) == 1, text
    (result,) = results
    assert result["focus"] == focus, text
    assert en in result["messages"]["en"], result["messages"]
    assert zh in result["messages"]["zh"], result["messages"]


RULE_OK = """
@prefix rg: <https://w3id.org/rightsgraph/ontology#> . @prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/rightsgraph/rule/test/r> a sh:SPARQLRule, rg:LegalRule ;
    rdfs:label "test rule"@en ;
    dcterms:source <https://w3id.org/rightsgraph/source/cn/copyright-law/2020/art/11> ;
    rg:jurisdiction <https://w3id.org/rightsgraph/jurisdiction/CN> ;
    rg:inForceFrom "2021-06-01"^^xsd:date ;
    sh:construct "CONSTRUCT { $this a rg:Creation } WHERE { }" .
"""


def _rule_results(text, tbox):
    shapes = Graph().parse(SHAPES / "rules.ttl")
    return validate(Graph().parse(data=text, format="turtle"), shapes, tbox)


def test_rule_shapes_accept_a_complete_rule(tbox):
    conforms, _, text = _rule_results(RULE_OK, tbox)
    assert conforms, text


@pytest.mark.parametrize("change,message", [
    (('    sh:construct "CONSTRUCT { $this a rg:Creation } WHERE { }" .',
      '    sh:construct "CONSTRUCT { $this a rg:Creation } WHERE { }", "CONSTRUCT { } WHERE { }" .'),
     "exactly one sh:construct"),
    (('    rg:inForceFrom "2021-06-01"^^xsd:date ;\n', '    rg:inForceFrom "2021-06-01" ;\n'), "exactly one rg:inForceFrom"),
    (('    dcterms:source <https://w3id.org/rightsgraph/source/cn/copyright-law/2020/art/11> ;\n', ''),
     "does not cite its legal source"),
    (('    rg:jurisdiction <https://w3id.org/rightsgraph/jurisdiction/CN> ;\n', ''), "does not name its jurisdiction"),
    (('    rdfs:label "test rule"@en ;\n', ''), "has no rdfs:label"),
], ids=["two-constructs", "date-as-string", "no-source", "no-jurisdiction", "no-label"])
def test_rule_shapes_reject_an_incomplete_rule(tbox, change, message):
    old, new = change
    assert old in RULE_OK
    conforms, results, text = _rule_results(RULE_OK.replace(old, new), tbox)
    assert not conforms
    assert any(message in r["messages"]["en"] for r in results), text


def test_rule_files_in_reasoning_conform_to_the_rule_shapes(tbox):
    files = sorted((ROOT / "reasoning").rglob("*.ttl"))
    if not files:
        pytest.skip("no rule files yet")
    shapes = Graph().parse(SHAPES / "rules.ttl")
    rules = Graph()
    for f in files:
        rules.parse(f)
    rg_rule = URIRef("https://w3id.org/rightsgraph/ontology#LegalRule")
    assert len(set(rules.subjects(RDF.type, rg_rule))) > 0
    conforms, _, text = validate(rules, shapes, tbox)
    assert conforms, text
