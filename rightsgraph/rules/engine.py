"""A reasoning run: OWL materialisation, then the legal rules stratum by stratum to a fixpoint.

A run must leave the store as it was if it fails. When the store holds no derived graphs yet (a
fresh knowledge base, or after ``clear_conclusions``), the run writes straight into the published
``entailments``, ``conclusions``, ``justifications`` and ``context`` graphs and drops them again on
failure, with a marker in ``context`` that only a finished run removes, so a run cut short by a
killed process is recognised and dropped by the next one. When earlier conclusions exist, the run
writes into staging graphs and publishes them in one ``MOVE`` only when all of it has succeeded:
copying millions of triples costs as much as deriving them, so it is paid only when there is
something to keep. Within a recursive component only the rules that read something a rule changed
in the previous round are run again (delta-driven at rule granularity).
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
from rightsgraph.rules import firings
from rightsgraph.rules.analysis import RuleAnalysis, analyse, cache_key
from rightsgraph.rules.cache import cached
from rightsgraph.rules.compile import compile_rule
from rightsgraph.rules.model import Rule, RuleBase
from rightsgraph.rules.stratify import Component, depends, stratify
from rightsgraph.store.base import Store

STAGING = dict(zip(G.STAGED.derived, G.PUBLISHED.derived))
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

    Stratifying compares every rule's signatures with every other's (about 0.8 s for the bundled
    rule base), so a plan is kept in the process and on disk for the same rules and the same
    ontology (an incremental update plans on every call)."""
    key = (tuple(rules), id(tbox))
    cached_plan = _PLANS.get(key)
    if cached_plan is not None and cached_plan[0] is tbox:
        return cached_plan[1], cached_plan[2]
    analyses = {rule.iri: analyse(rule) for rule in rules}
    by_iri = {rule.iri: rule for rule in rules}
    order = cached("plan", repr((sorted(cache_key(r) for r in rules), [(r.iri, r.order, r.overrides) for r in rules],
                                 tbox.fingerprint())),
                   lambda: [([r.iri for r in c.rules], c.recursive) for c in stratify(rules, analyses, tbox)])
    components = [Component([by_iri[iri] for iri in iris], recursive) for iris, recursive in order]
    if len(_PLANS) > 16:
        _PLANS.clear()
    _PLANS[key] = (tbox, analyses, components)
    return analyses, components


def _context_update(graph: str, as_of: dt.date, jurisdictions: Sequence[str]) -> str:
    juris = " ".join(f"<{G.RG}forJurisdiction> <{j}> ;" for j in jurisdictions)
    return (f"INSERT DATA {{ GRAPH <{graph}> {{ <{G.CONTEXT}> a <{G.RG}ReasoningContext> ; {juris} "
            f"<{G.RG}asOf> \"{as_of.isoformat()}\"^^<http://www.w3.org/2001/XMLSchema#date> . }} }}")


def recover(store: Store) -> bool:
    """Drop what a run cut short while writing in place left behind (the store had no derived graphs
    before it, so it has none after); True if there was something to drop."""
    if not store.has_triples(G.RUNNING):
        return False
    store.clear(*G.DERIVED, G.RUNNING)
    return True


def _rule_metadata(rule_base: RuleBase, rules: list[Rule], analyses: dict[str, RuleAnalysis]) -> list[tuple]:
    """Triples describing the applied rules (label, sources, jurisdiction, dates, premise patterns)
    for the justifications graph."""
    wanted = {URIRef(r.iri) for r in rules}
    keep = {"http://www.w3.org/2000/01/rdf-schema#label", "http://purl.org/dc/terms/source",
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://www.w3.org/2000/01/rdf-schema#comment",
            G.RG + "jurisdiction", G.RG + "inForceFrom", G.RG + "inForceUntil", G.RG + "temporalAnchor",
            G.RG + "overrides"}
    patterns = [t for rule in rules for t in firings.premise_patterns(rule.iri, analyses[rule.iri])]
    return [(s, p, o) for s, p, o in rule_base.graph if s in wanted and str(p) in keep] + patterns


def _firing_counts(store: Store, graph: str, rules: Sequence[str] | None = None) -> dict[str, int]:
    """Firings per rule: an index lookup per rule; a new firing is the only way a rule adds something."""
    values = f"VALUES ?r {{ {' '.join(f'<{r}>' for r in rules)} }}" if rules is not None else ""
    rows = store.select(f"SELECT ?r (COUNT(?f) AS ?n) WHERE {{ {values} GRAPH <{graph}> "
                        f"{{ ?f <{G.RG}firedRule> ?r }} }} GROUP BY ?r")
    return {str(row["r"]): int(row["n"]) for row in rows}


def _drop(store: Store, graphs: Sequence[str]) -> str:
    """Best effort: a server that just died cannot drop anything; the next run drops them first."""
    try:
        store.clear(*graphs)
        return ""
    except Exception as exc:  # noqa: BLE001 - the original failure is what the user must see
        return f" (the graphs it wrote could not be dropped: {exc}; the next run drops them)"


def run(store: Store, rule_base: RuleBase, tbox: TBox, *, jurisdictions: Sequence[str], as_of: dt.date,
        progress: Progress | None = None, max_rounds: int = 100) -> RunReport:
    say = progress or (lambda _msg: None)
    started = time.perf_counter()
    report = RunReport(tuple(jurisdictions), as_of)
    rules, report.skipped = select_rules(rule_base, jurisdictions, as_of)
    analyses, components = plan(rules, tbox)
    report.components = len(components)
    recover(store)
    in_place = not any(store.has_triples(g) for g in G.DERIVED)
    graphs = G.PUBLISHED if in_place else G.STAGED
    compiled = {
        rule.iri: compile_rule(rule, analyses[rule.iri], as_of=as_of, read_graphs=graphs.rule_input,
                               conclusions_graph=graphs.conclusions, justifications_graph=graphs.justifications,
                               supers=tbox.superclasses, dialect=store.dialect)
        for rule in rules
    }
    store.clear(*G.STAGED.derived)
    current = "preparing the derived graphs"
    try:
        if in_place:  # the marker goes first and is the last thing removed
            store.update(_context_update(G.RUNNING, as_of, jurisdictions))
        store.update(_context_update(graphs.context, as_of, jurisdictions))
        store.add(graphs.justifications, _rule_metadata(rule_base, rules, analyses))
        current = "OWL materialisation"
        say(f"materialising the ontology's entailments ({len(tbox.superclasses)} classes)")
        t0 = time.perf_counter()
        materialise(store, tbox, sources=(G.FACTS, G.ONTOLOGY), target=graphs.entailments)
        report.owl_seconds = time.perf_counter() - t0
        for number, component in enumerate(components, 1):
            say(f"stratum {number}/{len(components)}: " + ", ".join(r.iri.rsplit("/", 1)[-1] for r in component.rules))
            pending = list(component.rules)
            counted = _firing_counts(store, graphs.justifications, [r.iri for r in pending]) if component.recursive else {}
            for rounds in range(1, max_rounds + 2):
                if rounds > max_rounds:
                    raise ReasoningError(f"no fixpoint after {max_rounds} rounds in rules "
                                         + ", ".join(r.iri for r in component.rules))
                for rule in pending:
                    current = f"rule <{rule.iri}> ({rule.source_file})"
                    stats = report.rules.setdefault(rule.iri, RuleStats(rule.iri))
                    t0 = time.perf_counter()
                    store.update(compiled[rule.iri])
                    stats.seconds += time.perf_counter() - t0
                    stats.runs += 1
                if not component.recursive:
                    break
                now = _firing_counts(store, graphs.justifications, [r.iri for r in pending])
                changed = [r for r in pending if now.get(r.iri, 0) > counted.get(r.iri, 0)]
                counted.update(now)
                if not changed:
                    break
                writes = set().union(*(analyses[r.iri].writes for r in changed))
                pending = [r for r in component.rules
                           if depends(analyses[r.iri].reads | analyses[r.iri].negates, writes, tbox)]
        current = "publishing the conclusions"
        if in_place:
            store.clear(G.RUNNING)
        else:
            store.replace_graphs(STAGING)
    except Exception as exc:
        detail = str(exc) if isinstance(exc, RightsGraphError) else f"{type(exc).__name__}: {exc}"
        dropped = _drop(store, [*graphs.derived, G.RUNNING] if in_place else list(G.STAGED.derived))
        raise ReasoningError(f"reasoning failed at {current}: {detail}; the published conclusions are "
                             f"unchanged{dropped}") from exc
    for rule, count in _firing_counts(store, G.JUSTIFICATIONS).items():
        if rule in report.rules:
            report.rules[rule].firings = report.rules[rule].new_conclusions = count
    report.firings = sum(stats.firings for stats in report.rules.values())
    report.conclusions = store.count(G.CONCLUSIONS)
    report.seconds = time.perf_counter() - started
    return report
