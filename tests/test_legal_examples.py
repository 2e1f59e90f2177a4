"""Every legal example in tests/legal_examples/*.yaml, one test each, named by what it proves;
and every rule fires in at least one example and stays silent in another of its jurisdiction."""
from __future__ import annotations

import pytest

from rightsgraph import KnowledgeBase
from rightsgraph.legal_examples import fired_rules, load_examples, run_example

EXAMPLES = load_examples()
FIRED: dict[str, set[str]] = {}  # example id -> rules that fired, filled as the examples run


def _param(example):
    marks = [pytest.mark.xfail(reason=example.xfail, strict=True)] if example.xfail else []
    return pytest.param(example, id=example.id, marks=marks)


@pytest.mark.parametrize("example", [_param(e) for e in EXAMPLES])
def test_legal_example(example):
    kb, problems = run_example(example)
    FIRED[example.id] = fired_rules(kb)
    assert not problems, f"{example.name} ({example.source}):\n  " + "\n  ".join(problems)


def test_there_are_legal_examples_for_every_bundled_case():
    from rightsgraph.resources import CASES_DIR
    cases = {p.name for p in CASES_DIR.glob("*.ttl")}
    covered = {e.case.rsplit("/", 1)[-1] for e in EXAMPLES}
    assert cases and cases <= covered, f"cases without legal examples: {sorted(cases - covered)}"


def test_every_rule_fires_in_one_example_and_stays_silent_in_another():
    missing = [e.id for e in EXAMPLES if e.id not in FIRED]
    for example in EXAMPLES:  # when run alone, run what the parametrised test did not
        if example.id in missing:
            FIRED[example.id] = fired_rules(run_example(example)[0])
    rules = KnowledgeBase().rule_base.rules
    never_fires = [r.iri for r in rules if not any(r.iri in fired for fired in FIRED.values())]
    always_fires = []
    for rule in rules:
        relevant = [e for e in EXAMPLES if rule.jurisdictions and
                    {f"https://w3id.org/rightsgraph/jurisdiction/{j.upper()}" for j in e.jurisdictions}
                    & set(rule.jurisdictions)]
        if relevant and all(rule.iri in FIRED[e.id] for e in relevant):
            always_fires.append(rule.iri)
    assert not never_fires, f"rules that no legal example makes fire: {never_fires}"
    assert not always_fires, f"rules never shown not to fire in an example of their jurisdiction: {always_fires}"
