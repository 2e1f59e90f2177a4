"""Incremental reasoning: adding facts to a reasoned store gives, triple for triple, what a full run
over all the facts gives (conclusions, justifications, entailments), and fails without a trace."""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from rightsgraph import KnowledgeBase, ReasoningError
from rightsgraph import graphs as G
from rightsgraph import resources
from rightsgraph.errors import StoreError
from rightsgraph.store.oxigraph import OxigraphStore
from rightsgraph.synthetic import generate, generation_event

FIXTURES = Path(__file__).parent / "fixtures"
ALL = ["CN", "US", "EU", "DE", "UK", "JP"]
AS_OF = "2028-01-01"
CASE = "https://w3id.org/rightsgraph/case/li-v-liu/"
RG = G.RG
BLOCK = "https://w3id.org/rightsgraph/synthetic/1/"
PUBLISHED = (G.FACTS, G.ENTAILMENTS, G.CONCLUSIONS, G.JUSTIFICATIONS, G.CONTEXT)


def snapshot(kb: KnowledgeBase, graphs=PUBLISHED) -> dict[str, set]:
    return {g: set(kb.store.triples(g)) for g in graphs}


def from_scratch(facts: Graph, jurisdictions=ALL, rules_dir: Path | None = None) -> dict[str, set]:
    kb = KnowledgeBase(rules_dir=rules_dir)
    kb.load(facts)
    kb.reason(jurisdictions, AS_OF)
    return snapshot(kb)


def split(graph: Graph, seed: int, share: float) -> tuple[Graph, Graph]:
    triples = sorted(graph, key=lambda t: " ".join(x.n3() for x in t))
    random.Random(seed).shuffle(triples)
    cut = int(len(triples) * share)
    first, rest = Graph(), Graph()
    for t in triples[:cut]:
        first.add(t)
    for t in triples[cut:]:
        rest.add(t)
    return first, rest


CASES = sorted(p.stem for p in resources.CASES_DIR.glob("*.ttl"))


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("seed, share", [(0, 0.5), (1, 0.9)])
def test_facts_added_in_two_steps_give_the_graph_of_a_full_run(case, seed, share):
    """Whatever part of a decision's facts comes first, adding the rest incrementally ends where a
    full run over all of them does: conclusions gained and lost, and every justification."""
    whole = Graph().parse(resources.case_file(case))
    first, rest = split(whole, seed, share)
    kb = KnowledgeBase()
    kb.load(first)
    kb.reason(ALL, AS_OF)
    report = kb.add(rest)
    assert report.facts_added == len(rest)
    assert not report.full_run
    assert snapshot(kb) == from_scratch(whole)


def test_one_more_generation_event_updates_only_what_it_reaches_and_equals_a_full_run():
    facts = Graph().parse(data="".join(generate(3000, seed=5)), format="nt")
    kb = KnowledgeBase()
    kb.load(facts)
    kb.reason(ALL, AS_OF)
    firings_before = kb.store.count(G.JUSTIFICATIONS)
    event = Graph().parse(data="".join(generation_event(1, 0, seed=5)), format="nt")
    report = kb.add(event)
    assert report.facts_added == len(event) and report.conclusions_added > 0 and not report.full_run
    # the new output's user designed prompts and parameters and kept a record: under CN law it is a work by its user
    output = URIRef(BLOCK + "extra-0-output")
    authors = {(str(d.values("candidate")[0]), str(d.status).rsplit("#", 1)[-1])
               for d in kb.determinations("AuthorshipDetermination", about=str(output), jurisdiction="CN")}
    assert {who for who, status in authors if status == "Established"} == {BLOCK + "user-1"}
    assert (BLOCK + "lora", "NotEstablished") in authors  # the model it ran is never the author
    assert max(report.rules.values()) < 20, "a rule was re-applied far beyond the new output"
    assert kb.store.count(G.JUSTIFICATIONS) > firings_before
    assert snapshot(kb) == from_scratch(facts + event)


def li_v_liu_assignment() -> Graph:
    return Graph().parse(format="turtle", data=f"""
        @prefix rg: <{RG}> . @prefix case: <{CASE}> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        case:publisher a rg:LegalPerson .
        case:assignment a rg:Assignment ; rg:grantor case:Li ; rg:grantee case:publisher ;
            rg:concernsCreation case:image ; rg:inWriting true ; rg:agreedOn "2023-03-01"^^xsd:date .""")


def holders(kb: KnowledgeBase) -> set[tuple[str, str]]:
    return {(str(d.values("holder")[0]).rsplit("/", 1)[-1], str(d.values("right")[0]).rsplit("#", 1)[-1])
            for d in kb.determinations("OwnershipDetermination", about=CASE + "image", jurisdiction="CN")
            if str(d.status).endswith("#Established")}


def test_a_written_assignment_added_later_moves_the_economic_rights_and_keeps_attribution_with_the_author():
    """Li v. Liu, then Li assigns his economic rights in writing: the incremental update withdraws
    his ownership of them (a conclusion lost, not only gained) and the result equals a full run."""
    kb = KnowledgeBase()
    kb.load_case("li-v-liu")
    kb.reason(["CN"], AS_OF)
    assert ("Li", "CN_Art10_1_12_InformationNetworkDisseminationRight") in holders(kb)
    report = kb.add(li_v_liu_assignment())
    assert report.conclusions_removed > 0
    after = holders(kb)
    assert ("Li", "CN_Art10_1_12_InformationNetworkDisseminationRight") not in after
    assert ("publisher", "CN_Art10_1_12_InformationNetworkDisseminationRight") in after
    assert ("Li", "CN_Art10_1_2_AttributionRight") in after
    whole = Graph().parse(resources.case_file("li-v-liu")) + li_v_liu_assignment()
    assert snapshot(kb) == from_scratch(whole, ["CN"])


def test_adding_facts_already_asserted_changes_nothing():
    kb = KnowledgeBase()
    kb.load_case("li-v-liu")
    kb.reason(["CN"], AS_OF)
    before = snapshot(kb)
    report = kb.add(resources.case_file("li-v-liu"))
    assert report.facts_added == 0 and not report.rules
    assert snapshot(kb) == before


def test_a_recursive_component_that_loses_a_conclusion_is_handed_to_a_full_run():
    data = Graph().parse(format="turtle", data="""@prefix ex: <http://example.org/> .
        ex:a a ex:Node ; ex:link ex:b . ex:b a ex:Node ; ex:link ex:c . ex:c a ex:Node .""")
    blocked = Graph().parse(format="turtle", data="@prefix ex: <http://example.org/> . ex:b ex:blocked true .")
    rules = FIXTURES / "toy-rules-blocking"
    kb = KnowledgeBase(rules_dir=rules)
    kb.load(data)
    kb.reason(["CN"], AS_OF)
    reaches = lambda: {(str(s)[-1], str(o)[-1]) for s, p, o in kb.store.triples(G.CONCLUSIONS)  # noqa: E731
                       if str(p).endswith("reaches")}
    assert reaches() == {("a", "b"), ("a", "c"), ("b", "c")}
    report = kb.add(blocked)
    assert "recursive" in report.full_run
    assert reaches() == {("a", "b")}
    assert snapshot(kb) == from_scratch(data + blocked, ["CN"], rules_dir=rules)


TOYS = sorted(p.name for p in (FIXTURES / "incremental").iterdir() if p.is_dir())


@pytest.mark.parametrize("toy", TOYS)
def test_rule_shapes_that_defeat_locality_still_give_the_graph_of_a_full_run(toy):
    """Each toy rule base (tests/fixtures/incremental/*, its comment says what it probes) reasons over
    data.ttl, then gets added.ttl incrementally: the store must equal a full run over both, whether
    the update followed the change or handed it to a full run."""
    rules = FIXTURES / "incremental" / toy
    data = Graph().parse(rules / "data.ttl")
    added = Graph().parse(rules / "added.ttl")
    kb = KnowledgeBase(rules_dir=rules)
    kb.load(data)
    kb.reason(["CN"], AS_OF)
    derived = (G.CONCLUSIONS, G.JUSTIFICATIONS)
    before = snapshot(kb, derived)
    kb.add(added)
    expected = from_scratch(data + added, ["CN"], rules_dir=rules)
    assert snapshot(kb) == expected
    assert before != {g: expected[g] for g in derived}, "the toy must change what is derived, or it tests nothing"


class FailingStore(OxigraphStore):
    """Fails the n-th rule update, as a server dying half way would."""

    def __init__(self) -> None:
        super().__init__()
        self.fail_at, self.rule_updates = 0, 0

    def update(self, update: str) -> None:
        if "firedRule" in update and update.startswith("PREFIX"):
            self.rule_updates += 1
            if self.rule_updates == self.fail_at:
                raise StoreError("simulated failure")
        super().update(update)


@pytest.mark.parametrize("fail_at", [1, 4, 9])
def test_an_update_that_fails_half_way_leaves_the_store_as_it_was(fail_at):
    store = FailingStore()
    kb = KnowledgeBase(store=store)
    kb.load_case("li-v-liu")
    kb.reason(["CN"], AS_OF)
    before = {g: set(store.triples(g)) for g in store.graph_names()}
    store.fail_at, store.rule_updates = fail_at, 0
    with pytest.raises(ReasoningError, match=r"incremental reasoning failed at rule <.+>.*store is as it was"):
        kb.add(li_v_liu_assignment())
    assert {g: set(store.triples(g)) for g in store.graph_names()} == before


def test_adding_to_a_store_never_reasoned_says_to_reason_first():
    kb = KnowledgeBase()
    kb.load_case("li-v-liu")
    with pytest.raises(ReasoningError, match="run reason"):
        kb.add(li_v_liu_assignment())
    assert (URIRef(CASE + "assignment"), URIRef(RG + "inWriting"), Literal(True)) not in set(kb.store.triples(G.FACTS))


def test_the_command_line_adds_to_a_reasoned_store_on_disk(tmp_path):
    from click.testing import CliRunner
    from rightsgraph.cli import main
    store = tmp_path / "kb"
    runner = CliRunner()
    reasoned = runner.invoke(main, ["reason", "--store", str(store), "--case", "li-v-liu", "-j", "CN", "-d", AS_OF, "-q"])
    assert reasoned.exit_code == 0, reasoned.output
    extra = tmp_path / "assignment.ttl"
    li_v_liu_assignment().serialize(extra, format="turtle")
    added = runner.invoke(main, ["add", "--store", str(store), str(extra), "-q"])
    assert added.exit_code == 0, added.output
    assert "new facts" in added.output and "rules re-applied" in added.output
    kb = KnowledgeBase(store)
    try:
        assert ("publisher", "CN_Art10_1_12_InformationNetworkDisseminationRight") in holders(kb)
    finally:
        kb.close()
    refused = runner.invoke(main, ["add", str(extra)])
    assert refused.exit_code == 2 and "--store" in refused.output
