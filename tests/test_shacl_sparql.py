"""The SPARQL validator reports exactly what pyshacl reports, on every case and broken example."""
from __future__ import annotations

from pathlib import Path

import pytest

from rightsgraph import KnowledgeBase

ROOT = Path(__file__).resolve().parent.parent
INPUTS = sorted((ROOT / "data" / "cases").glob("*.ttl")) + sorted((ROOT / "data" / "examples").rglob("*.ttl"))


def key(report):
    return sorted({(r.focus, r.path, r.value, r.message, r.severity) for r in report.results})


@pytest.mark.parametrize("path", INPUTS, ids=[p.stem for p in INPUTS])
def test_sparql_validation_equals_pyshacl(path):
    kb = KnowledgeBase()
    kb.load(path)
    reference = kb.validate(engine="pyshacl")
    ours = kb.validate(engine="sparql")
    assert ours.conforms == reference.conforms
    assert key(ours) == key(reference)


def test_the_broken_examples_are_caught_by_both():
    broken = sorted((ROOT / "data" / "examples" / "broken").glob("*.ttl"))
    assert broken
    for path in broken:
        kb = KnowledgeBase()
        kb.load(path)
        assert not kb.validate(engine="sparql").conforms, path
