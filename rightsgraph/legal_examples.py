"""Legal examples: expected holdings as data, in the manner of OpenFisca's YAML tests.

A YAML file (format: tests/legal_examples/README.md) gives a case graph, optionally changed by a
SPARQL Update, the jurisdictions and as-of date, and what must and must not be derived. Running an
example loads the case, applies the change, reasons, and matches determinations.

Matching is exact on what is listed: a ``derive`` entry matches a determination that has every
listed property value; ``not_derive`` entries must match none; for each type in ``exact`` the set
of determinations of that type must be exactly those the ``derive`` entries of that type matched.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml
from rdflib import Literal, URIRef

from rightsgraph import KnowledgeBase
from rightsgraph.graphs import CONCLUSIONS, RG
from rightsgraph.terms import expand

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES_DIR = ROOT / "tests" / "legal_examples"
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@dataclass
class LegalExample:
    file: str
    case: str
    source: str
    name: str
    jurisdictions: list[str]
    as_of: str
    derive: list[dict[str, Any]] = field(default_factory=list)
    not_derive: list[dict[str, Any]] = field(default_factory=list)
    exact: list[str] = field(default_factory=list)
    change: str | None = None
    xfail: str | None = None

    @property
    def id(self) -> str:
        return f"{Path(self.file).stem}: {self.name}"


def load_examples(directory: Path = EXAMPLES_DIR) -> list[LegalExample]:
    examples = []
    for path in sorted(directory.glob("*.yaml")):
        relative = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in doc.get("examples", []):
            examples.append(LegalExample(
                file=str(relative), case=item.get("case", doc["case"]),
                source=item.get("source", doc.get("source", "")), name=item["name"],
                jurisdictions=list(item["jurisdictions"]), as_of=str(item["as_of"]),
                derive=item.get("derive") or [], not_derive=item.get("not_derive") or [],
                exact=item.get("exact") or [], change=item.get("change"), xfail=item.get("xfail")))
    return examples


def term(value: Any):
    if isinstance(value, bool):
        return Literal(value)
    if isinstance(value, int):
        return Literal(value)
    if isinstance(value, str) and (value.startswith("<") or (":" in value and " " not in value
                                                             and value.split(":", 1)[0].isalnum())):
        return expand(value)
    return Literal(str(value))


def matching(kb: KnowledgeBase, pattern: dict[str, Any]) -> set[str]:
    """Determination IRIs having every property value of ``pattern``."""
    lines, bindings = [], {}
    for i, (key, value) in enumerate(sorted(pattern.items())):
        predicate = RDF_TYPE if key == "a" else expand(key)
        values = value if isinstance(value, list) else [value]
        for j, v in enumerate(values):
            bindings[f"v{i}_{j}"] = term(v)
            lines.append(f"?d <{predicate}> ?v{i}_{j} .")
    rows = kb.query(f"SELECT DISTINCT ?d WHERE {{ ?d a <{RG}Determination> . {' '.join(lines)} }}",
                    graphs=[CONCLUSIONS], bindings=bindings)
    return {str(r["d"]) for r in rows}  # type: ignore[index]


def fired_rules(kb: KnowledgeBase) -> set[str]:
    rows = kb.query(f"SELECT DISTINCT ?r WHERE {{ ?f <{RG}firedRule> ?r }}",
                    graphs=["https://w3id.org/rightsgraph/graph/justifications"])
    return {str(r["r"]) for r in rows}  # type: ignore[index]


def coverage(examples: list[LegalExample]) -> dict[str, list[str]]:
    """Rule IRI -> names of the examples in which it fired."""
    fired: dict[str, list[str]] = {}
    for example in examples:
        kb, _ = run_example(example)
        for rule in fired_rules(kb):
            fired.setdefault(rule, []).append(example.name)
    return fired


def run_example(example: LegalExample) -> tuple[KnowledgeBase, list[str]]:
    """Reason over the example's facts and return the knowledge base and every failed expectation."""
    kb = KnowledgeBase()
    if example.change:  # the change is plain SPARQL Update over the case, as its default graph
        scratch = ox.Store()
        scratch.load(path=str(ROOT / example.case), format=ox.RdfFormat.TURTLE)
        scratch.update(example.change)
        kb.load_text(scratch.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()).decode(),
                     format="ntriples", source=f"{example.case} (changed)")
    else:
        kb.load(ROOT / example.case)
    kb.reason(example.jurisdictions, as_of=example.as_of)
    problems = []
    matched_by_type: dict[str, set[str]] = {}
    for pattern in example.derive:
        found = matching(kb, pattern)
        if not found:
            problems.append(f"not derived: {pattern}")
        kind = pattern.get("a")
        if kind:
            matched_by_type.setdefault(str(expand(kind)), set()).update(found)
    for pattern in example.not_derive:
        found = matching(kb, pattern)
        if found:
            problems.append(f"derived but must not be: {pattern} -> {sorted(found)}")
    for kind in example.exact:
        iri = str(expand(kind))
        everything = matching(kb, {"a": kind})
        extra = everything - matched_by_type.get(iri, set())
        if extra:
            details = [f"{d.iri} about {d.about} status {d.status} {d.properties}" for d in kb.determinations()
                       if d.iri in extra]
            problems.append(f"exact {kind}: also derived {details}")
    return kb, problems

