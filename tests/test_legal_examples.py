"""Every legal example in tests/legal_examples/*.yaml, one test each, named by what it proves."""
from __future__ import annotations

import pytest

from legal_examples_harness import load_examples, run_example

EXAMPLES = load_examples()


def _param(example):
    marks = [pytest.mark.xfail(reason=example.xfail, strict=True)] if example.xfail else []
    return pytest.param(example, id=example.id, marks=marks)


@pytest.mark.parametrize("example", [_param(e) for e in EXAMPLES])
def test_legal_example(example):
    _, problems = run_example(example)
    assert not problems, f"{example.name} ({example.source}):\n  " + "\n  ".join(problems)


def test_there_are_legal_examples_for_every_bundled_case():
    from rightsgraph.resources import CASES_DIR
    cases = {p.name for p in CASES_DIR.glob("*.ttl")}
    covered = {e.case.rsplit("/", 1)[-1] for e in EXAMPLES}
    assert cases and cases <= covered, f"cases without legal examples: {sorted(cases - covered)}"
