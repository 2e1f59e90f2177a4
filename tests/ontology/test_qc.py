"""The QC queries under ontology/qc/ return no rows, and each one catches the defect it is for."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from conftest import ONTOLOGY, RG

QC = sorted((ONTOLOGY / "qc").glob("*.rq"))


def query_rows(graph: Graph, text: str) -> list[tuple[str, ...]]:
    """Run a SELECT with pyoxigraph (rdflib's engine takes tens of seconds on the 3-way UNION queries)."""
    store = pyoxigraph.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    result = store.query(text)
    names = [v.value for v in result.variables]
    return [tuple(sol[n].value if sol[n] is not None else "" for n in names) for sol in result]


def run(graph: Graph, name: str) -> list[tuple[str, ...]]:
    return query_rows(graph, (ONTOLOGY / "qc" / name).read_text())


def test_there_are_qc_queries_with_headers():
    assert {q.name for q in QC} >= {"term-annotations.rq", "property-domain-range.rq", "orphan-classes.rq",
                                    "undeclared-terms.rq", "defined-by.rq"}
    for q in QC:
        head = q.read_text().splitlines()[:2]
        assert head[0].startswith("#+ summary:") and head[1].startswith("#+ description:"), q


def _rows_by_module(graph: Graph, query: Path) -> dict[str, list[tuple[str, ...]]]:
    by_module: dict[str, list[tuple[str, ...]]] = {}
    for row in query_rows(graph, query.read_text()):
        modules = sorted(str(m) for m in graph.objects(URIRef(row[0]), RDFS.isDefinedBy)) or ["(no module)"]
        by_module.setdefault(modules[0], []).append(row)
    return by_module


@pytest.mark.parametrize("query", QC, ids=lambda p: p.name)
def test_qc_query_returns_no_rows(closure, query):
    assert _rows_by_module(closure, query) == {}


def _copy(graph: Graph) -> Graph:
    g = Graph()
    g += graph
    return g


def _drop_zh_label(g):
    g.remove((RG.Agent, RDFS.label, Literal("主体", lang="zh")))
    return RG.Agent, "no rdfs:label @zh"


def _drop_definition(g):
    g.remove((RG.actDate, SKOS.definition, None))
    return RG.actDate, "no skos:definition @en"


def _drop_range(g):
    g.remove((RG.actor, RDFS.range, None))
    return RG.actor, "no rdfs:range"


def _orphan(g):
    g.add((RG.Orphan, RDF.type, OWL.Class))
    g.add((RG.Orphan, RDFS.isDefinedBy, RG.x))
    return RG.Orphan, None


def _undeclared(g):
    g.add((RG.Creation, RDFS.seeAlso, RG.creatdBy))
    return RG.creatdBy, "rg:/jur: term without an OWL declaration"


def _no_defined_by(g):
    g.remove((RG.Agent, RDFS.isDefinedBy, None))
    return RG.Agent, "no rdfs:isDefinedBy"


@pytest.mark.parametrize("name,plant", [
    ("term-annotations.rq", _drop_zh_label),
    ("term-annotations.rq", _drop_definition),
    ("property-domain-range.rq", _drop_range),
    ("orphan-classes.rq", _orphan),
    ("undeclared-terms.rq", _undeclared),
    ("defined-by.rq", _no_defined_by),
], ids=["zh-label", "definition", "range", "orphan", "undeclared", "defined-by"])
def test_qc_query_catches_a_planted_defect(closure, name, plant):
    g = _copy(closure)
    term, problem = plant(g)
    rows = run(g, name)
    expected = (str(term),) if problem is None else (str(term), problem)
    assert expected in rows, rows
