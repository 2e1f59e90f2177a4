"""Proof trees: why a conclusion holds, down to asserted facts, with the legal source of each step.

The engine records every rule application as a firing: the rule, its focus node, the nodes it wrote
about (``rg:produced``) and the values of its variables (:mod:`rightsgraph.rules.firings`). Explaining
a node finds the firings that produced statements about it and instantiates each rule's patterns
with the recorded values: the template gives what the firing produced, the positive patterns of the
``WHERE`` its premises. Each premise is an asserted fact, an OWL entailment of the ontology, part of
the ontology or the reasoning context, or the product of an earlier firing, explained in turn.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from rdflib import URIRef
from rdflib.term import Node

from rightsgraph import graphs as G
from rightsgraph.rules import firings as F
from rightsgraph.rules.analysis import RuleAnalysis
from rightsgraph.store.base import Store

Triple = tuple[Node, Node, Node]


@dataclass
class Derivation:
    """One application of one rule."""

    firing: str
    rule: str
    label: str
    legal_sources: list[str]
    jurisdictions: list[str]
    as_of: str
    produced: list[Triple]
    premises: list["Proof"] = field(default_factory=list)


@dataclass
class Proof:
    """Why one statement holds: ``basis`` is asserted, derived, entailed, ontology, context or path."""

    triple: Triple
    basis: str
    derivation: Derivation | None = None


@dataclass
class Explanation:
    """Every derivation that produced a statement about ``node``."""

    node: str
    derivations: list[Derivation]

    def to_json(self, compact=str) -> dict[str, Any]:
        def triple(t: Triple) -> list[str]:
            return [compact(x) for x in t]

        def derivation(d: Derivation) -> dict[str, Any]:
            return {"rule": d.rule, "label": d.label, "legal_sources": d.legal_sources,
                    "jurisdictions": d.jurisdictions, "as_of": d.as_of,
                    "produced": [triple(t) for t in d.produced],
                    "premises": [proof(p) for p in d.premises]}

        def proof(p: Proof) -> dict[str, Any]:
            out: dict[str, Any] = {"statement": triple(p.triple), "basis": p.basis}
            if p.derivation:
                out["derivation"] = derivation(p.derivation)
            return out

        return {"node": self.node, "derivations": [derivation(d) for d in self.derivations]}

    def to_text(self, compact=str) -> str:
        """A proof tree; premises produced by one firing share a line, and a firing already shown
        in the tree is referred to, not repeated, so shared sub-proofs print once."""
        lines = [compact(URIRef(self.node))]
        seen: set[str] = set()
        for i, d in enumerate(self.derivations):
            _render(d, lines, "", i == len(self.derivations) - 1, compact, seen)
        return "\n".join(lines)


def _premise_groups(premises: list[Proof]) -> list[tuple[str, list[Proof]]]:
    """Premises in order, those derived by the same firing gathered under its first position."""
    groups: dict[str, list[Proof]] = {}
    order: list[str] = []
    for i, p in enumerate(premises):
        key = p.derivation.firing if p.derivation else f"#{i}"
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(p)
    return [(key, groups[key]) for key in order]


def _render(d: Derivation, lines: list[str], indent: str, last: bool, compact, seen: set[str]) -> None:
    branch, cont = ("└─ ", "   ") if last else ("├─ ", "│  ")
    sources = ", ".join(compact(URIRef(s)) for s in d.legal_sources) or "no source"
    lines.append(f"{indent}{branch}by rule {compact(URIRef(d.rule))}: {d.label}")
    lines.append(f"{indent}{cont}   source: {sources}; jurisdiction: "
                 f"{', '.join(compact(URIRef(j)) for j in d.jurisdictions)}; as of {d.as_of}")
    seen.add(d.firing)
    groups = _premise_groups(d.premises)
    for j, (key, proofs) in enumerate(groups):
        p_last = j == len(groups) - 1
        p_branch, p_cont = ("└─ ", "   ") if p_last else ("├─ ", "│  ")
        first = proofs[0]
        subject = compact(first.triple[0])
        statements = "; ".join(f"{compact(p.triple[1])} {compact(p.triple[2])}" for p in proofs)
        derivation = first.derivation
        if derivation is not None and derivation.firing in seen:
            lines.append(f"{indent}{cont}{p_branch}{subject} {statements}   "
                         f"[derived by {compact(URIRef(derivation.rule))}, shown above]")
            continue
        lines.append(f"{indent}{cont}{p_branch}{subject} {statements}   [{first.basis}]")
        if derivation is not None:
            _render(derivation, lines, indent + cont + p_cont, True, compact, seen)


class Explainer:
    """Reads firings from a store and instantiates them with the rules' analyses (by rule IRI)."""

    def __init__(self, store: Store, analyses: Mapping[str, RuleAnalysis]):
        self.store = store
        self.analyses = analyses
        self._rules: dict[str, tuple[str, list[str], list[str]]] = {}
        self._as_of: str | None = None
        self._about: dict[Node, list[F.Firing]] = {}  # a tree asks about the same subjects again and again

    def _rule(self, iri: str) -> tuple[str, list[str], list[str]]:
        if iri not in self._rules:
            rows = self.store.select(
                f"""SELECT ?label ?source ?j WHERE {{ GRAPH <{G.JUSTIFICATIONS}> {{
                    OPTIONAL {{ <{iri}> <http://www.w3.org/2000/01/rdf-schema#label> ?label }}
                    OPTIONAL {{ <{iri}> <http://purl.org/dc/terms/source> ?source }}
                    OPTIONAL {{ <{iri}> <{G.RG}jurisdiction> ?j }} }} }}""")
            label = next((str(r["label"]) for r in rows if "label" in r), iri)
            sources = sorted({str(r["source"]) for r in rows if "source" in r})
            juris = sorted({str(r["j"]) for r in rows if "j" in r})
            self._rules[iri] = (label, sources, juris)
        return self._rules[iri]

    @property
    def as_of(self) -> str:
        if self._as_of is None:
            rows = self.store.select(f"SELECT ?d WHERE {{ GRAPH <{G.CONTEXT}> {{ <{G.CONTEXT}> <{G.RG}asOf> ?d }} }}")
            self._as_of = str(rows[0]["d"]) if rows else ""
        return self._as_of

    def _producing(self, t: Triple) -> list[F.Firing]:
        """The firings that wrote ``t``: those that produced its subject and whose template gives it."""
        if t[0] not in self._about:
            self._about[t[0]] = F.firings_producing(self.store, G.JUSTIFICATIONS, [t[0]], self.analyses)
        return [f for f in self._about[t[0]] if f.rule in self.analyses and t in F.products(self.analyses[f.rule], f)]

    def _in(self, graphs: tuple[str, ...], t: Triple) -> bool:
        s, p, o = (x.n3() for x in t)
        return self.store.ask(f"ASK {{ {s} {p} {o} }}", default_graphs=list(graphs))

    def derivation(self, firing: F.Firing, path: frozenset[str]) -> Derivation:
        label, sources, juris = self._rule(firing.rule)
        d = Derivation(firing.iri, firing.rule, label, sources, juris, self.as_of, [])
        analysis = self.analyses.get(firing.rule)
        if analysis is None:  # reasoned with another rule base: say so rather than guess
            d.label = f"{label} (rule not in the loaded rule base: premises unknown)"
            return d
        d.produced = F.products(analysis, firing)
        certain, conditional, paths = F.premises(analysis, firing)
        # a premise of another UNION branch, or of an OPTIONAL that did not match, is none
        held = certain + [t for t in conditional if self._in(G.PUBLISHED.rule_input, t)]
        for t in held:
            d.premises.append(self.prove(t, path | {firing.iri}))
        for s, p, o in paths:
            d.premises.append(Proof((s, URIRef(f"urn:path:{p.n3()}"), o), "property path"))
        return d

    def prove(self, t: Triple, path: frozenset[str] = frozenset()) -> Proof:
        if self._in((G.FACTS,), t):
            return Proof(t, "asserted")
        for firing in self._producing(t):
            if firing.iri not in path:
                return Proof(t, "derived", self.derivation(firing, path))
        for graph, basis in ((G.ENTAILMENTS, "entailed by the ontology"), (G.CONCLUSIONS, "entailed by the ontology"),
                             (G.ONTOLOGY, "ontology"), (G.CONTEXT, "reasoning context")):
            if self._in((graph,), t):
                return Proof(t, basis)
        return Proof(t, "unknown")

    def explain(self, node: str) -> Explanation:
        found = F.firings_producing(self.store, G.JUSTIFICATIONS, [URIRef(node)], self.analyses)
        return Explanation(node, [self.derivation(f, frozenset()) for f in found])
