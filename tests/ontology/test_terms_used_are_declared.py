"""Every rg: term that the rule base, the case graphs, the queries or the examples use is declared
in the ontology: a typo or a forgotten term fails here instead of silently never matching."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from rightsgraph.graphs import RG
from rightsgraph.resources import ontology_files

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([*(ROOT / "reasoning").rglob("*.ttl"), *(ROOT / "data" / "cases").glob("*.ttl"),
                  *(ROOT / "data" / "examples").glob("*.ttl"), *(ROOT / "queries").glob("*.rq")])
NOT_TERMS = {"ontologyPrefixes"}  # the SHACL prefix-declaration node of reasoning/prefixes.ttl


@pytest.fixture(scope="module")
def declared() -> set[str]:
    graph = Graph()
    for path in ontology_files():
        graph.parse(path, format="turtle")
    return {str(s)[len(RG):] for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(RG)}


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(ROOT)) for p in SOURCES])
def test_every_rg_term_used_is_declared(path, declared):
    text = path.read_text(encoding="utf-8")
    used = set(re.findall(r"\brg:([A-Za-z_][A-Za-z0-9_]*)", text))
    used |= set(re.findall(re.escape(RG) + r"([A-Za-z_][A-Za-z0-9_]*)", text))
    missing = sorted(used - declared - NOT_TERMS)
    assert not missing, f"{path.relative_to(ROOT)} uses undeclared terms: {missing}"
