"""A reasoning run: OWL materialisation, then the legal rules stratum by stratum to a fixpoint.

Everything a run writes goes into staging graphs; only when the whole run has succeeded are they
moved over the published ``entailments``, ``conclusions``, ``justifications`` and ``context`` graphs in
one update. A rule that fails leaves the published graphs, and so the store as users see it, as
they were. Within a recursive component only the rules that read something a rule changed in the
previous round are run again (delta-driven at rule granularity).
"""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

from rdflib import URIRef

from rightsgraph import graphs as G
from rightsgraph.errors import ReasoningError, RightsGraphError
from rightsgraph.owl import TBox, materialise
from rightsgraph.rules.analysis import RuleAnalysis, analyse
from rightsgraph.rules.compile import compile_rule
from rightsgraph.rules.model import Rule, RuleBase
from rightsgraph.rules.stratify import Component, depends, stratify
from rightsgraph.store.base import Store

STAGING = {
    G.STAGING_ENTAILMENTS: G.ENTAILMENTS,
    G.STAGING_CONCLUSIONS: G.CONCLUSIONS,
    G.STAGING_JUSTIFICATIONS: G.JUSTIFICATIONS,
    G.STAGING_CONTEXT: G.CONTEXT,
}
Progress = Callable[[str], None]


@dataclass
class RuleStats:
    """What one rule did in a run; ``new_conclusions`` counts the firings that could add something."""

    rule: str
    runs: int = 0
    seconds: float = 0.0
    new_conclusions: int = 0
    firings: int = 0


@dataclass
class RunReport:
    """What a run did: the rules applied in order, rounds, sizes and timings."""

    jurisdictions: tuple[str, ...]
    as_of: dt.date
    components: int = 0
    conclusions: int = 0
    firings: int = 0
    seconds: float = 0.0
    owl_seconds: float = 0.0
    rules: dict[str, RuleStats] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


def select_rules(rule_base: RuleBase, jurisdictions: Sequence[str], as_of: dt.date) -> tuple[list[Rule], list[str]]:
    """The rules of the chosen jurisdictions; a rule without a temporal anchor must be in force on ``as_of``."""
    chosen, skipped = [], []
    for rule in rule_base.for_jurisdictions(jurisdictions):
        if rule.temporal_anchor is None and not rule.in_force_on(as_of):
            skipped.append(rule.iri)
        elif rule.in_force_from is not None and rule.in_force_from > as_of:
            skipped.append(rule.iri)
        else:
            chosen.append(rule)
    return chosen, skipped


_PLANS: dict[tuple, tuple[TBox, dict[str, RuleAnalysis], list[Component]]] = {}


def plan(rules: list[Rule], tbox: TBox) -> tuple[dict[str, RuleAnalysis], list[Component]]:
    """Analyse and stratify; raises before anything is written if a rule is unusable.

    Stratifying compares every rule's signatures with every other's (about 0.6 s for the bundled
    rule base), so a plan is kept for the same rules and the same ontology (an incremental update
    plans on every call)."""
    key = (tuple(rules), id(tbox))
    cached = _PLANS.get(key)
    if cached is not None and cached[0] is tbox:
        return cached[1], cached[2]
    analyses = {rule.iri: analyse(rule) for rule in rules}
    components = stratify(rules, analyses, tbox)
    if len(_PLANS) > 16:
        _PLANS.clear()
    _PLANS[key] = (tbox, analyses, components)
    return analyses, components


def _context_update(as_of: dt.date, jurisdictions: Sequence[str]) -> str:
    juris = " ".join(f"<{G.RG}forJurisdiction> <{j}> ;" for j in jurisdictions)
    return (f"INSERT DATA {{ GRAPH <{G.STAGING_CONTEXT}> {{ <{G.CONTEXT}> a <{G.RG}ReasoningContext> ; {juris} "
            f"<{G.RG}asOf> \"{as_of.isoformat()}\"^^<http://www.w3.org/2001/XMLSchema#date> . }} }}")


def _rule_metadata(rule_base: RuleBase, rules: list[Rule]) -> list[tuple]:
    """Triples describing the applied rules (label, sources, jurisdiction, dates) for the justifications graph."""
    wanted = {URIRef(r.iri) for r in rules}
    keep = {"http://www.w3.org/2000/01/rdf-schema#label", "http://purl.org/dc/terms/source",
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://www.w3.org/2000/01/rdf-schema#comment",
            G.RG + "jurisdiction", G.RG + "inForceFrom", G.RG + "inForceUntil", G.RG + "temporalAnchor",
            G.RG + "overrides"}
    return [(s, p, o) for s, p, o in rule_base.graph if s in wanted and str(p) in keep]


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _firings(store: Store, rule: str) -> int:
    rows = store.select(f"SELECT (COUNT(?f) AS ?n) WHERE {{ GRAPH <{G.STAGING_JUSTIFICATIONS}> "
                        f"{{ ?f <{G.RG}firedRule> <{rule}> }} }}")
    return int(rows[0]["n"]) if rows else 0


def _drop_staging(store: Store) -> str:
    """Best effort: a server that just died cannot drop anything; the next run clears staging first."""
    try:
        store.clear(*STAGING)
        return ""
    except Exception as exc:  # noqa: BLE001 - the original failure is what the user must see
        return f" (the staging graphs could not be dropped: {exc}; the next run drops them)"


def run(store: Store, rule_base: RuleBase, tbox: TBox, *, jurisdictions: Sequence[str], as_of: dt.date,
        progress: Progress | None = None, max_rounds: int = 100) -> RunReport:
    say = progress or (lambda _msg: None)
    started = time.perf_counter()
    report = RunReport(tuple(jurisdictions), as_of)
    rules, report.skipped = select_rules(rule_base, jurisdictions, as_of)
    analyses, components = plan(rules, tbox)
    report.components = len(components)
    compiled = {
        rule.iri: compile_rule(rule, analyses[rule.iri], as_of=as_of, read_graphs=G.RULE_INPUT,
                               conclusions_graph=G.STAGING_CONCLUSIONS, justifications_graph=G.STAGING_JUSTIFICATIONS)
        for rule in rules
    }
    store.clear(*STAGING)
    current = "preparing the staging graphs"
    try:
        store.update(_context_update(as_of, jurisdictions))
        store.add(G.STAGING_JUSTIFICATIONS, _rule_metadata(rule_base, rules))
        current = "OWL materialisation"
        say(f"materialising the ontology's entailments ({len(tbox.superclasses)} classes)")
        t0 = time.perf_counter()
        materialise(store, tbox, sources=(G.FACTS, G.ONTOLOGY), target=G.STAGING_ENTAILMENTS)
        report.owl_seconds = time.perf_counter() - t0
        for number, component in enumerate(components, 1):
            say(f"stratum {number}/{len(components)}: " + ", ".join(r.iri.rsplit("/", 1)[-1] for r in component.rules))
            pending = list(component.rules)
            rounds = 0
            while pending:
                rounds += 1
                if rounds > max_rounds:
                    raise ReasoningError(f"no fixpoint after {max_rounds} rounds in rules "
                                         + ", ".join(r.iri for r in component.rules))
                changed: list[Rule] = []
                for rule in pending:
                    current = f"rule <{rule.iri}> ({rule.source_file})"
                    stats = report.rules.setdefault(rule.iri, RuleStats(rule.iri))
                    t0 = time.perf_counter()
                    store.update(compiled[rule.iri])
                    stats.seconds += time.perf_counter() - t0
                    stats.runs += 1
                    # a new firing is the only way a rule can have added something; counting its own
                    # firings is an index lookup, where counting the conclusions graph is a scan
                    firings = _firings(store, rule.iri)
                    if firings > stats.firings:
                        stats.new_conclusions += firings - stats.firings
                        stats.firings = firings
                        changed.append(rule)
                if changed:  # supertypes of the classes just written, so rules reading superclasses see them
                    written = {c for r in changed for sig in analyses[r.iri].writes
                               if sig.predicate == RDF_TYPE for c in sig.classes}
                    supers = {c: tbox.superclasses[c] for c in written if c in tbox.superclasses}
                    if supers:
                        materialise(store, TBox(superclasses=supers), sources=(), target=G.STAGING_CONCLUSIONS)
                if not component.recursive or not changed:
                    break
                writes = set().union(*(analyses[r.iri].writes for r in changed))
                pending = [r for r in component.rules
                           if depends(analyses[r.iri].reads | analyses[r.iri].negates, writes, tbox)]
        current = "publishing the conclusions"
        store.replace_graphs(STAGING)
    except Exception as exc:
        detail = str(exc) if isinstance(exc, RightsGraphError) else f"{type(exc).__name__}: {exc}"
        raise ReasoningError(f"reasoning failed at {current}: {detail}; the published conclusions are "
                             f"unchanged{_drop_staging(store)}") from exc
    report.conclusions = store.count(G.CONCLUSIONS)
    report.firings = sum(stats.firings for stats in report.rules.values())
    report.seconds = time.perf_counter() - started
    return report
