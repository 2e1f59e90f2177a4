"""The rule base as a listing: rules by jurisdiction with sources, dates in force and, on request,
the legal examples in which each rule fires."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from rdflib import URIRef

from rightsgraph import resources
from rightsgraph.graphs import JURISDICTION_BASE
from rightsgraph.rules.model import Rule, load_rule_base
from rightsgraph.terms import compact


@dataclass
class RuleListing:
    rules: list[Rule]
    exercised_by: dict[str, list[str]] = field(default_factory=dict)

    def by_jurisdiction(self) -> dict[str, list[Rule]]:
        grouped: dict[str, list[Rule]] = {}
        for rule in self.rules:
            for jur in rule.jurisdictions or ("(none)",):
                grouped.setdefault(jur, []).append(rule)
        return dict(sorted(grouped.items()))

    def rows(self) -> tuple[list[str], list[list[str]]]:
        headers = ["jurisdiction", "rule", "label", "sources", "in_force_from", "in_force_until", "file", "tests"]
        rows = []
        for jur, rules in self.by_jurisdiction().items():
            for r in rules:
                rows.append([compact(URIRef(jur)), compact(URIRef(r.iri)), r.label,
                             " ".join(compact(URIRef(s)) for s in r.legal_sources),
                             r.in_force_from.isoformat() if r.in_force_from else "",
                             r.in_force_until.isoformat() if r.in_force_until else "",
                             r.source_file, str(len(self.exercised_by.get(r.iri, [])))])
        return headers, rows

    def to_json(self) -> dict[str, Any]:
        return {compact(URIRef(jur)): {"count": len(rules), "rules": [
            {"iri": r.iri, "label": r.label, "legal_sources": list(r.legal_sources),
             "in_force_from": r.in_force_from.isoformat() if r.in_force_from else None,
             "in_force_until": r.in_force_until.isoformat() if r.in_force_until else None,
             "temporal_anchor": r.temporal_anchor, "file": r.source_file,
             "exercised_by": self.exercised_by.get(r.iri, [])} for r in rules]}
            for jur, rules in self.by_jurisdiction().items()}

    def to_text(self) -> str:
        lines = []
        for jur, rules in self.by_jurisdiction().items():
            lines.append(f"{compact(URIRef(jur))}: {len(rules)} rule(s)")
            for r in rules:
                dates = f"{r.in_force_from or '…'} – {r.in_force_until or '…'}"
                tests = self.exercised_by.get(r.iri)
                lines.append(f"  {compact(URIRef(r.iri))}  [{dates}]  {r.label}")
                lines.append(f"      source: {', '.join(compact(URIRef(s)) for s in r.legal_sources) or 'NONE'}")
                if tests is not None:
                    lines.append(f"      fires in {len(tests)} legal example(s)"
                                 + (": " + "; ".join(tests[:3]) + (" …" if len(tests) > 3 else "") if tests else ""))
        lines.append(f"{len(self.rules)} rules in all.")
        return "\n".join(lines)


def rule_listing(jurisdictions: Sequence[str] = (), coverage: dict[str, list[str]] | None = None) -> RuleListing:
    base = load_rule_base(resources.rule_files())
    rules = base.rules
    if jurisdictions:
        wanted = {j if "/" in j else JURISDICTION_BASE + j.upper() for j in jurisdictions}
        rules = [r for r in rules if wanted & set(r.jurisdictions)]
    return RuleListing(rules, coverage or {})
