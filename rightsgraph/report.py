"""A case report: every determination, grouped by jurisdiction and kind, with optional proof trees.

It knows the ontology's determination classes, not any rule: a new kind of conclusion added to the
ontology shows up here without a change to Python.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import URIRef

from rightsgraph import graphs as G
from rightsgraph.api import Determination, KnowledgeBase
from rightsgraph.terms import compact

SHOWN_ELSEWHERE = {G.RG + "reason", G.RG + "bearingFact", G.RG + "factor"}
FINDING_KINDS = {G.RG + "InfringementDetermination", G.RG + "DutyBreachDetermination",
                 G.RG + "ContractConflictDetermination"}


@dataclass
class CaseReport:
    title: str
    determinations: list[Determination]
    labels: dict[str, str]
    proofs: dict[str, str] = field(default_factory=dict)
    proofs_json: dict[str, Any] = field(default_factory=dict)

    @property
    def has_findings(self) -> bool:
        return any(d.kind in FINDING_KINDS and d.status != G.RG + "NotEstablished" for d in self.determinations)

    def _name(self, value: Any) -> str:
        return self.labels.get(str(value)) or compact(value if not isinstance(value, str) else URIRef(value))

    def rows(self) -> tuple[list[str], list[list[str]]]:
        headers = ["jurisdiction", "kind", "about", "status", "details", "reason", "iri"]
        rows = []
        for d in self.determinations:
            details = "; ".join(f"{compact(URIRef(p))}={', '.join(self._name(v) for v in vs)}"
                                for p, vs in sorted(d.properties.items()) if p not in SHOWN_ELSEWHERE)
            rows.append([compact(URIRef(d.jurisdiction)) if d.jurisdiction else "",
                         compact(URIRef(d.kind)).removeprefix("rg:").removesuffix("Determination"),
                         self._name(d.about) if d.about else "", compact(URIRef(d.status)).removeprefix("rg:")
                         if d.status else "", details, " ".join(str(r) for r in d.values("reason")), d.iri])
        return headers, rows

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "has_findings": self.has_findings,
                "determinations": [{**d.to_json(), "about_label": self._name(d.about) if d.about else None,
                                    **({"proof": self.proofs_json[d.iri]} if d.iri in self.proofs_json else {})}
                                   for d in self.determinations]}

    def to_text(self) -> str:
        lines = [self.title] if self.title else []
        by_jurisdiction: dict[str, list[Determination]] = {}
        for d in self.determinations:
            by_jurisdiction.setdefault(d.jurisdiction or "", []).append(d)
        if not self.determinations:
            lines.append("No conclusions: no rule applied to these facts for the chosen jurisdictions and date.")
        for jur in sorted(by_jurisdiction):
            lines += ["", f"== {self._name(jur)} ({compact(URIRef(jur))}) =="]
            kinds: dict[str, list[Determination]] = {}
            for d in by_jurisdiction[jur]:
                kinds.setdefault(d.kind, []).append(d)
            for kind in sorted(kinds):
                lines.append(f"-- {self._name(kind)}")
                for d in kinds[kind]:
                    status = compact(URIRef(d.status)).removeprefix("rg:") if d.status else "?"
                    details = ", ".join(f"{compact(URIRef(p)).removeprefix('rg:')}: "
                                        f"{', '.join(self._name(v) for v in vs)}"
                                        for p, vs in sorted(d.properties.items()) if p not in SHOWN_ELSEWHERE)
                    lines.append(f"   [{status}] {self._name(d.about) if d.about else ''}"
                                 f"{' (' + details + ')' if details else ''}")
                    for reason in d.values("reason"):
                        lines.append(f"      why: {reason}")
                    bearing = d.values("bearingFact")
                    if bearing:
                        lead = ("OPEN, needs human assessment; facts that bear on it: " if d.status == G.RG + "Open"
                                else "rests on: ")
                        lines.append("      " + lead + ", ".join(self._name(b) for b in bearing))
                    for factor in d.values("factor"):
                        lines.append(f"      factor: {self._name(factor)}")
                    if d.iri in self.proofs:
                        lines += ["      " + line for line in self.proofs[d.iri].splitlines()]
        return "\n".join(lines)


def case_report(kb: KnowledgeBase, *, title: str = "", with_proofs: bool | set[str] = True) -> CaseReport:
    """Every determination; proofs for all (True), none (False) or the given determination kinds."""
    determinations = sorted(kb.determinations(), key=lambda d: (d.jurisdiction or "", d.kind, d.about or "", d.iri))
    rows = kb.query(
        """SELECT DISTINCT ?n ?l WHERE { ?n <http://www.w3.org/2000/01/rdf-schema#label> ?l
             FILTER(LANG(?l) = '' || LANGMATCHES(LANG(?l), 'en')) }""",
        graphs=[G.FACTS, G.ONTOLOGY])
    labels = {str(r["n"]): str(r["l"]) for r in rows}  # type: ignore[index, union-attr]
    report = CaseReport(title, determinations, labels)
    if with_proofs:
        kinds = with_proofs if isinstance(with_proofs, set) else None
        for d in determinations:
            if kinds is not None and d.kind not in kinds:
                continue
            explanation = kb.explain(d.iri)
            report.proofs[d.iri] = explanation.to_text(compact)
            report.proofs_json[d.iri] = explanation.to_json(compact)
    return report
