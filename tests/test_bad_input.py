"""Bad input gets one clear line naming the file, line or node, and leaves the store as it was."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rightsgraph import InputError, KnowledgeBase, ParseError
from rightsgraph.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
CASE = Path(__file__).resolve().parent.parent / "data" / "cases" / "li-v-liu.ttl"


def snapshot(kb: KnowledgeBase) -> dict[str, set]:
    return {g: set(kb.store.triples(g)) for g in kb.store.graph_names()}


def test_malformed_turtle_names_file_line_and_column():
    kb = KnowledgeBase()
    with pytest.raises(ParseError) as caught:
        kb.load(FIXTURES / "malformed.ttl")
    assert caught.value.line == 3 and caught.value.column is not None
    assert str(caught.value).startswith(f"{FIXTURES / 'malformed.ttl'}:3:")


def test_malformed_json_ld_names_file_and_position(tmp_path):
    bad = tmp_path / "case.jsonld"
    bad.write_text('{"@id": "http://example.org/a",\n "http://example.org/p": [1, }')
    with pytest.raises(ParseError) as caught:
        KnowledgeBase().load(bad)
    assert str(bad) in str(caught.value) and caught.value.line == 2


def test_a_large_n_triples_file_the_store_parses_itself_names_file_line_and_column_too(tmp_path):
    """N-Triples without blank nodes goes straight into the store; a syntax error there is the same
    one clear line, and nothing was written."""
    bad = tmp_path / "platform.nt"
    good = "".join(f"<http://example.org/s{i}> <http://example.org/p> \"{i}\" .\n" for i in range(1000))
    bad.write_text(good + "<http://example.org/x> <http://example.org/p> \"unterminated .\n" + good)
    kb = KnowledgeBase()
    with pytest.raises(ParseError) as caught:
        kb.load(bad)
    assert caught.value.line == 1001 and str(caught.value).startswith(f"{bad}:1001:")
    assert not kb.store.has_triples("https://w3id.org/rightsgraph/graph/facts")


def test_a_file_the_store_parsed_itself_is_named_in_validation_reports(tmp_path):
    source = tmp_path / "outputs.nt"
    source.write_text("<http://example.org/out> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                      "<https://w3id.org/rightsgraph/ontology#AIGeneratedOutput> .\n")
    kb = KnowledgeBase()
    assert kb.load(source).triples == 1
    report = kb.validate()
    assert not report.conforms  # an output without its generation
    assert {r.source for r in report.results} == {str(source)}


def test_a_load_that_fails_half_way_leaves_the_store_as_it_was():
    kb = KnowledgeBase()
    kb.load(CASE)
    before = snapshot(kb)
    with pytest.raises(ParseError):
        kb.load(CASE, FIXTURES / "family-data.ttl", FIXTURES / "malformed.ttl")  # two good files, then a bad one
    assert snapshot(kb) == before


def test_facts_are_kept_exactly_as_loaded(tmp_path):
    from rdflib import Graph
    from rdflib.compare import isomorphic
    kb = KnowledgeBase()
    kb.load(CASE)
    kb.reason(["CN"], as_of="2023-11-27")
    exported = Graph().parse(data=kb.export("facts"), format="turtle")
    assert isomorphic(exported, Graph().parse(CASE, format="turtle"))


def test_an_unknown_jurisdiction_or_a_bad_date_is_refused_before_anything_changes():
    kb = KnowledgeBase()
    kb.load(CASE)
    kb.reason(["CN"], as_of="2023-11-27")
    before = snapshot(kb)
    with pytest.raises(InputError, match=r"unknown jurisdiction 'XX'; known: .*CN"):
        kb.reason(["XX"], as_of="2023-11-27")
    with pytest.raises(InputError, match=r"bad date '2023-13-01': write it as YYYY-MM-DD"):
        kb.reason(["US"], as_of="2023-13-01")
    assert snapshot(kb) == before


@pytest.mark.parametrize("args, message", [
    (["reason", str(CASE), "-j", "XX", "-d", "2023-11-27"], "unknown jurisdiction 'XX'"),
    (["reason", str(CASE), "-j", "CN", "-d", "27/11/2023"], "bad date '27/11/2023'"),
    (["reason", "no/such/file.ttl", "-j", "CN"], "no/such/file.ttl: no such file"),
    (["validate", str(FIXTURES / "malformed.ttl")], "malformed.ttl:3:"),
    (["reason", "--case", "no-such-case", "-j", "CN"], "no case 'no-such-case'"),
    (["query", "no-such-query", str(CASE)], "no query named 'no-such-query'"),
])
def test_cli_input_errors_exit_2_with_one_line_and_no_traceback(args, message):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert len([line for line in result.output.splitlines() if line.startswith("error:")]) == 1


def test_cli_usage_error_exits_2():
    result = CliRunner().invoke(main, ["reason", "--no-such-option"])
    assert result.exit_code == 2


def test_validate_exits_1_on_non_conformance_and_names_the_node():
    broken = sorted((Path(__file__).resolve().parent.parent / "data" / "examples" / "broken").glob("*.ttl"))
    assert broken, "the broken examples are missing"
    result = CliRunner().invoke(main, ["validate", str(broken[0]), "--format", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    assert report["conforms"] is False and report["results"]
    assert all(r["focus"] and r["message"] for r in report["results"])
    assert any(r["source"] == str(broken[0]) for r in report["results"])


def test_validate_exits_0_on_the_li_v_liu_case():
    result = CliRunner().invoke(main, ["validate", str(CASE)])
    assert result.exit_code == 0, result.output
    assert "Conforms" in result.output
