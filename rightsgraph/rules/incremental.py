"""Incremental reasoning: new facts into a reasoned store, its conclusions brought up to date in place.

A full run (:mod:`rightsgraph.rules.engine`) re-derives everything. When a few facts are added to
a store that has been reasoned (one more generation event, say), this module updates the derived
graphs so that they equal what a full run over all the facts would give, at the same as-of date and
for the same jurisdictions, touching only what the change can reach:

1. The new facts (those not already asserted) go into ``facts``; the OWL entailments of the new
   facts alone are added (all of them are one-premise rules, so that is exact; a new triple of a
   transitive property recomputes the entailments instead).
2. Stratum by stratum, each rule is re-applied only to the focus nodes (``$this``) that a changed
   triple can reach through the rule's patterns (:mod:`rightsgraph.rules.locality`): the rule's
   earlier firings at those nodes are withdrawn, the rule is applied to them again, and a conclusion
   is removed when no firing produces it any more (a truth-maintenance step in the manner of DRed;
   additions can remove conclusions because rules read under ``FILTER NOT EXISTS``, ``MINUS`` and
   ``OPTIONAL``). What changed feeds the next strata.
3. A recursive component that loses a conclusion could keep it alive through a cycle of its own
   firings, so that case (and only that one) falls back to a full run.

Every change to a published graph is journalled in ``graph/incremental/*``; if anything fails, the
journal is played back and the store is exactly as it was. ``tests/test_incremental.py`` checks on
every case graph and on the synthetic chain that the result equals a run from scratch, triple for
triple, conclusions, justifications and entailments.
"""
from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from rdflib import URIRef, Variable

from rightsgraph import graphs as G
from rightsgraph.errors import ReasoningError, RightsGraphError
from rightsgraph.owl import TBox, materialise
from rightsgraph.rules import engine
from rightsgraph.rules import firings as F
from rightsgraph.rules.analysis import RuleAnalysis, path_predicates
from rightsgraph.rules.compile import compile_rule
from rightsgraph.rules.locality import render
from rightsgraph.rules.model import Rule, RuleBase
from rightsgraph.store.base import Store, Triple

INC = G.GRAPH_BASE + "incremental/"
SUBMITTED = INC + "submitted"
NEW_FACTS = INC + "facts"  # the journal of facts: those this update added
JOURNAL = {  # published graph -> (what this update added to it, what it removed from it)
    G.CONCLUSIONS: (INC + "conclusions-added", INC + "conclusions-removed"),
    G.ENTAILMENTS: (INC + "entailments-added", INC + "entailments-removed"),
    G.JUSTIFICATIONS: (INC + "justifications-added", INC + "justifications-removed"),
}
SCRATCH_C, SCRATCH_J, SCRATCH_E = INC + "scratch/conclusions", INC + "scratch/justifications", INC + "scratch/entailments"
WITHDRAWN, CANDIDATES, GONE = INC + "scratch/withdrawn", INC + "scratch/candidates", INC + "scratch/gone"
WANTED = INC + "scratch/wanted-types"
ALL = (SUBMITTED, NEW_FACTS, *[g for pair in JOURNAL.values() for g in pair], SCRATCH_C, SCRATCH_J, SCRATCH_E,
       WITHDRAWN, CANDIDATES, GONE, WANTED)
#: the published graphs a rule reads, plus what this update removed (a chain may run through it)
READ = G.PUBLISHED.rule_input
REACH = READ + (JOURNAL[G.CONCLUSIONS][1],)
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


class _FallBack(Exception):
    """The change cannot be followed incrementally; a full run gives the right answer."""


@dataclass
class IncrementalReport:
    """What an incremental update did. ``rules`` maps each re-applied rule to the number of focus
    nodes it was re-applied to (``-1``: all of them); ``full_run`` says why a full run was made instead."""

    facts_added: int = 0
    conclusions_added: int = 0
    conclusions_removed: int = 0
    rules: dict[str, int] = field(default_factory=dict)
    full_run: str = ""
    seconds: float = 0.0


def reasoning_context(store: Store) -> tuple[list[str], dt.date]:
    """The jurisdictions and as-of date of the published conclusions."""
    if store.has_triples(G.RUNNING):
        raise ReasoningError("the last reasoning run did not finish: run reason() again before adding facts")
    rows = store.select(f"SELECT ?j ?d WHERE {{ GRAPH <{G.CONTEXT}> {{ <{G.CONTEXT}> <{G.RG}asOf> ?d . "
                        f"OPTIONAL {{ <{G.CONTEXT}> <{G.RG}forJurisdiction> ?j }} }} }}")
    if not rows:
        raise ReasoningError("the store has not been reasoned yet: run reason() before adding facts incrementally")
    return sorted({str(r["j"]) for r in rows if r.get("j") is not None}), dt.date.fromisoformat(str(rows[0]["d"]))


# -- journalled changes to the published graphs ------------------------------------------------------
def _insert(store: Store, target: str, source: str) -> None:
    """Add ``source``'s triples to ``target``, journalling those that were not there (journal first)."""
    added, _ = JOURNAL[target]
    store.update(f"INSERT {{ GRAPH <{added}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{source}> {{ ?s ?p ?o }} "
                 f"FILTER NOT EXISTS {{ GRAPH <{target}> {{ ?s ?p ?o }} }} }}")
    store.update(f"ADD <{source}> TO <{target}>")


def _delete(store: Store, target: str, source: str) -> None:
    """Remove ``source``'s triples from ``target``, journalling those that were there before this update.

    Journal first, then change: if the second step never happens, playing the journal back is
    harmless, so the two need not be atomic (a remote endpoint may apply them one by one)."""
    added, removed = JOURNAL[target]
    store.update(f"INSERT {{ GRAPH <{removed}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{source}> {{ ?s ?p ?o }} "
                 f"GRAPH <{target}> {{ ?s ?p ?o }} FILTER NOT EXISTS {{ GRAPH <{added}> {{ ?s ?p ?o }} }} }}")
    store.update(f"DELETE {{ GRAPH <{target}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{source}> {{ ?s ?p ?o }} "
                 f"GRAPH <{target}> {{ ?s ?p ?o }} }}")


def _roll_back(store: Store) -> None:
    """Play the journal back. Every step can be repeated, so a roll-back cut short is finished by the next one."""
    store.update(f"DELETE {{ GRAPH <{G.FACTS}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{NEW_FACTS}> {{ ?s ?p ?o }} }}")
    for target, (added, removed) in JOURNAL.items():
        store.update(f"DELETE {{ GRAPH <{target}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{added}> {{ ?s ?p ?o }} }} ; "
                     f"ADD <{removed}> TO <{target}>")
    store.clear(*ALL)


def _triples(store: Store, graph: str, *, absent_from: str | None = None) -> list[tuple]:
    absent = f"FILTER NOT EXISTS {{ GRAPH <{absent_from}> {{ ?s ?p ?o }} }}" if absent_from else ""
    rows = store.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} {absent} }}")
    return [(r["s"], r["p"], r["o"]) for r in rows]


# -- which focus nodes a change reaches ---------------------------------------------------------------
class Delta:
    """Every triple added or removed so far, indexed by predicate (and by class for ``rdf:type``)."""

    def __init__(self) -> None:
        self.by_predicate: dict[object, list[tuple]] = defaultdict(list)
        #: by predicate and object: most patterns with a constant object are ``?x a <Class>``
        self.by_predicate_object: dict[tuple, list[tuple]] = defaultdict(list)
        self.log: list[tuple] = []

    @property
    def size(self) -> int:
        return len(self.log)

    def extend(self, triples: Iterable[tuple]) -> None:
        for triple in triples:
            self.by_predicate[triple[1]].append(triple)
            self.by_predicate_object[triple[1], triple[2]].append(triple)
            self.log.append(triple)

    def matching(self, pattern: tuple) -> list[tuple] | None:
        """Bindings of ``pattern``'s variables by changed triples (``None``: a path; cannot say)."""
        s, p, o = pattern
        if not isinstance(p, (URIRef, Variable)):  # a property path
            preds, anything = path_predicates(p)
            return None if self.log and (anything or preds & set(map(str, self.by_predicate))) else []
        if isinstance(p, URIRef) and not isinstance(o, Variable):
            candidates = self.by_predicate_object.get((p, o), [])
        elif isinstance(p, URIRef):
            candidates = self.by_predicate.get(p, [])
        else:
            candidates = self.log
        rows = set()
        for triple in candidates:
            binding: dict[Variable, object] = {}
            for term, value in zip(pattern, triple):
                if isinstance(term, Variable):
                    if binding.setdefault(term, value) != value:
                        break
                elif term != value:
                    break
            else:
                rows.add(tuple(sorted(binding.items())))
        return [dict(row) for row in rows]


def _reach(store: Store, links: list[tuple[list[dict], str]]) -> set:
    """Focus nodes joined by each chain to the bindings of its changed pattern: one query for all
    (each chain a UNION branch of its own, bound by its VALUES)."""
    focus, branches = set(), []
    for rows, chain in links:
        if chain == "":
            focus |= {row[Variable("this")] for row in rows}
            continue
        names = sorted({v for row in rows for v in row}, key=str)
        values = " ".join("(" + " ".join(row[v].n3() for v in names) + ")" for row in rows)
        branches.append(f"{{ VALUES ({' '.join(v.n3() for v in names)}) {{ {values} }} {chain} }}")
    if branches:
        query = f"SELECT DISTINCT ?this WHERE {{ {' UNION '.join(branches)} }}"
        focus |= {row["this"] for row in store.select(query, default_graphs=list(REACH)) if row.get("this") is not None}
    return focus


def _reads_any(rule: Rule, analysis: RuleAnalysis, delta: Delta) -> bool:
    """Whether the rule reads (anywhere, its target included) a predicate the delta changed."""
    changed = set(map(str, delta.by_predicate))
    read = {sig.predicate for sig in analysis.reads | analysis.negates}
    read |= {str(RDF_TYPE) if t.kind == "class" else t.value for t in rule.targets if t.kind != "node"}
    return None in read or bool(read & changed) or any(t.kind == "node" for t in rule.targets) and bool(changed)


def _affected(store: Store, rule: Rule, analysis: RuleAnalysis, delta: Delta) -> set | None:
    """Focus nodes whose result the delta can change (``None``: any of them may change)."""
    if not analysis.local:  # patterns behind an aggregate, a sub-select, GRAPH, or no $this
        return None if _reads_any(rule, analysis, delta) else set()
    if not _reads_any(rule, analysis, delta):
        return set()
    links: list[tuple[list[dict], str]] = []
    for locality in analysis.localities:
        rows = delta.matching(locality.pattern)
        if rows == []:
            continue
        if rows is None or locality.chain is None:
            return None
        links.append((rows, locality.chain))
        if locality.also:
            links.append((rows, render(locality.also, {v for row in rows for v in row})))
    return _reach(store, links) if links else set()


# -- one rule, re-applied where the change reaches --------------------------------------------------
def _producers(store: Store, triples: Iterable[tuple], analyses: dict[str, RuleAnalysis]) -> dict[tuple, set[str]]:
    """For each triple, the rules whose published firings (still) write it."""
    wanted = set(triples)
    found: dict[tuple, set[str]] = defaultdict(set)
    for firing in F.firings_producing(store, G.JUSTIFICATIONS, {t[0] for t in wanted}, analyses):
        for triple in F.produced_by([firing], analyses):
            if triple in wanted:
                found[triple].add(firing.rule)
    return found


def _types(store: Store, nodes: set, analyses: dict[str, RuleAnalysis],
           supers: dict[str, set[str]]) -> tuple[list[tuple], list[tuple]]:
    """Make the types of ``nodes`` what a full run gives: those a firing produced, and the
    superclasses of each (the compiled rules write them). Returns the type triples added and removed."""
    if not nodes:
        return [], []
    wanted = set()
    for firing in F.firings_producing(store, G.JUSTIFICATIONS, nodes, analyses):
        for x, p, c in F.produced_by([firing], analyses):
            if p == RDF_TYPE and x in nodes:
                wanted |= {(x, RDF_TYPE, URIRef(d)) for d in supers.get(str(c), ())} | {(x, RDF_TYPE, c)}
    values = f"VALUES ?x {{ {' '.join(n.n3() for n in sorted(nodes, key=str))} }}"
    held = {(row["x"], RDF_TYPE, row["d"]) for row in store.select(
        f"SELECT ?x ?d WHERE {{ {values} GRAPH <{G.CONCLUSIONS}> {{ ?x a ?d }} }}")}
    added, removed = sorted(wanted - held), sorted(held - wanted)
    store.clear(WANTED, GONE)
    store.add(WANTED, added)
    store.add(GONE, removed)
    _insert(store, G.CONCLUSIONS, WANTED)
    _delete(store, G.CONCLUSIONS, GONE)
    return added, removed


def _reapply(store: Store, rule: Rule, analyses: dict[str, RuleAnalysis], focus: set | None, *, as_of: dt.date,
             supers: dict[str, set[str]], recursive: set[str]) -> tuple[list[tuple], list[tuple]]:
    """Withdraw the rule's firings at ``focus`` (all, if None), apply it there again; returns the
    conclusions added and removed. ``recursive`` names the rules of recursive components."""
    analysis = analyses[rule.iri]
    store.clear(SCRATCH_C, SCRATCH_J, WITHDRAWN, GONE)
    where_focus = (f"?f <{G.RG}focus> ?this . VALUES ?this {{ {' '.join(n.n3() for n in focus)} }}"
                   if focus is not None else "")
    store.update(f"INSERT {{ GRAPH <{WITHDRAWN}> {{ ?f ?x ?y }} }} WHERE {{ GRAPH <{G.JUSTIFICATIONS}> {{ "
                 f"?f <{G.RG}firedRule> <{rule.iri}> . {where_focus} ?f ?x ?y }} }}")
    withdrawn = F.read(store.triples(WITHDRAWN), analyses)
    candidates = F.produced_by(withdrawn, analyses)  # what the withdrawn firings wrote
    _delete(store, G.JUSTIFICATIONS, WITHDRAWN)
    store.update(compile_rule(rule, analysis, as_of=as_of, read_graphs=READ, conclusions_graph=SCRATCH_C,
                              justifications_graph=SCRATCH_J, supers=supers,
                              focus=sorted(focus, key=str) if focus is not None else None))
    lost = store.ask(f"ASK {{ GRAPH <{WITHDRAWN}> {{ ?f <{G.RG}firedRule> ?r }} "
                     f"FILTER NOT EXISTS {{ GRAPH <{SCRATCH_J}> {{ ?f <{G.RG}firedRule> ?r }} }} }}")
    if lost and rule.iri in recursive:  # what it still derives may rest on a cycle through the lost firing
        raise _FallBack(f"rule <{rule.iri}> of a recursive component lost a firing")
    added = _triples(store, SCRATCH_C, absent_from=G.CONCLUSIONS)
    _insert(store, G.CONCLUSIONS, SCRATCH_C)
    _insert(store, G.JUSTIFICATIONS, SCRATCH_J)
    producers = _producers(store, candidates, analyses) if candidates else {}
    if lost and recursive and any(rules and rules <= recursive for rules in producers.values()):
        # a product kept alive only by a recursive rule's firing may rest on itself
        raise _FallBack(f"a conclusion rule <{rule.iri}> no longer derives is still derived by a recursive rule")
    # a withdrawn product that no firing produces any more is no longer a conclusion
    removed = sorted(t for t in candidates if t not in producers)
    store.add(GONE, removed)
    _delete(store, G.CONCLUSIONS, GONE)
    typed = {t[0] for t in added if t[1] == RDF_TYPE} | {t[0] for t in candidates if t[1] == RDF_TYPE}
    more_added, more_removed = _types(store, typed, analyses, supers)
    return added + more_added, removed + more_removed


def _entailments(store: Store, tbox: TBox) -> list[tuple]:
    """Bring the OWL entailments up to date with the new facts; returns what they gained."""
    materialise(store, tbox, sources=(NEW_FACTS,), target=SCRATCH_E)
    transitive = {p for p, sups in tbox.superproperties.items() if sups & tbox.transitive} | tbox.transitive
    used = {str(r["p"]) for r in store.select(
        f"SELECT DISTINCT ?p WHERE {{ {{ GRAPH <{NEW_FACTS}> {{ ?s ?p ?o }} }} UNION {{ GRAPH <{SCRATCH_E}> {{ ?s ?p ?o }} }} }}")}
    if used & transitive:  # a chain may join old and new triples: recompute, then compare
        store.clear(SCRATCH_E)
        materialise(store, tbox, sources=(G.FACTS, G.ONTOLOGY), target=SCRATCH_E)
        store.clear(CANDIDATES)
        store.update(f"INSERT {{ GRAPH <{CANDIDATES}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{G.ENTAILMENTS}> {{ ?s ?p ?o }} "
                     f"FILTER NOT EXISTS {{ GRAPH <{SCRATCH_E}> {{ ?s ?p ?o }} }} }}")
    else:  # entailed before, asserted now: a full run keeps it out of the entailments
        for source in (G.FACTS, G.ONTOLOGY):
            store.update(f"DELETE {{ GRAPH <{SCRATCH_E}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{SCRATCH_E}> {{ ?s ?p ?o }} "
                         f"GRAPH <{source}> {{ ?s ?p ?o }} }}")
        store.clear(CANDIDATES)
        store.update(f"INSERT {{ GRAPH <{CANDIDATES}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{NEW_FACTS}> {{ ?s ?p ?o }} "
                     f"GRAPH <{G.ENTAILMENTS}> {{ ?s ?p ?o }} }}")
    gained = _triples(store, SCRATCH_E, absent_from=G.ENTAILMENTS)
    lost = _triples(store, CANDIDATES)
    _delete(store, G.ENTAILMENTS, CANDIDATES)
    _insert(store, G.ENTAILMENTS, SCRATCH_E)
    return gained + lost


def _add_new_facts(store: Store, triples: Sequence[Triple]) -> list[tuple]:
    """Put the facts not yet asserted into ``facts`` (and the journal); returns them."""
    store.add(SUBMITTED, triples)
    store.update(f"INSERT {{ GRAPH <{NEW_FACTS}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{SUBMITTED}> {{ ?s ?p ?o }} "
                 f"FILTER NOT EXISTS {{ GRAPH <{G.FACTS}> {{ ?s ?p ?o }} }} }}")
    new = _triples(store, NEW_FACTS)
    if new:
        store.update(f"ADD <{NEW_FACTS}> TO <{G.FACTS}>")
    return new


def _full_run(store: Store, rule_base: RuleBase, tbox: TBox, triples: Sequence[Triple], *,
              jurisdictions: list[str], as_of: dt.date, progress: engine.Progress | None) -> IncrementalReport:
    started = time.perf_counter()
    store.clear(*ALL)
    report = IncrementalReport(facts_added=len(_add_new_facts(store, triples)))
    try:
        engine.run(store, rule_base, tbox, jurisdictions=jurisdictions, as_of=as_of, progress=progress)
    except Exception:
        store.update(f"DELETE {{ GRAPH <{G.FACTS}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{NEW_FACTS}> {{ ?s ?p ?o }} }}")
        raise
    finally:
        store.clear(*ALL)
    report.seconds = time.perf_counter() - started
    return report


# -- the update ------------------------------------------------------------------------------------
def add_facts(store: Store, rule_base: RuleBase, tbox: TBox, triples: Sequence[Triple], *,
              progress: engine.Progress | None = None, max_rounds: int = 100) -> IncrementalReport:
    """Add ``triples`` to the facts of a reasoned store and update what was derived from them."""
    started = time.perf_counter()
    say = progress or (lambda _msg: None)
    jurisdictions, as_of = reasoning_context(store)
    rules, _ = engine.select_rules(rule_base, jurisdictions, as_of)
    analyses, components = engine.plan(rules, tbox)
    report = IncrementalReport()
    if any(store.count(g) for g in (NEW_FACTS, *[g for pair in JOURNAL.values() for g in pair])):
        _roll_back(store)  # an update that was cut short (a killed process) is undone first
    store.clear(*ALL)
    current = "adding the facts"
    try:
        new = _add_new_facts(store, triples)
        report.facts_added = len(new)
        if not new:
            store.clear(*ALL)
            report.seconds = time.perf_counter() - started
            return report
        delta = Delta()
        delta.extend(new)
        current = "OWL materialisation"
        delta.extend(_entailments(store, tbox))
        supers = tbox.superclasses
        recursive = {r.iri for c in components if c.recursive for r in c.rules}
        for number, component in enumerate(components, 1):
            round_delta, seen = delta, delta.size
            for _round in range(max_rounds):
                for rule in component.rules:
                    current = f"rule <{rule.iri}> ({rule.source_file})"
                    focus = _affected(store, rule, analyses[rule.iri], round_delta)
                    if focus is not None and not focus:
                        continue
                    say(f"stratum {number}: {rule.iri.rsplit('/', 1)[-1]} at "
                        f"{'every focus node' if focus is None else len(focus)}")
                    report.rules[rule.iri] = -1 if focus is None else report.rules.get(rule.iri, 0) + len(focus)
                    added, removed = _reapply(store, rule, analyses, focus, as_of=as_of, supers=supers,
                                              recursive=recursive)
                    delta.extend(added)
                    delta.extend(removed)
                if not component.recursive or delta.size == seen:
                    break
                round_delta = Delta()  # the next round follows what this round changed
                round_delta.extend(delta.log[seen:])
                seen = delta.size
            else:
                raise ReasoningError(f"no fixpoint after {max_rounds} rounds in rules "
                                     + ", ".join(r.iri for r in component.rules))
        report.conclusions_added = store.count(JOURNAL[G.CONCLUSIONS][0])
        report.conclusions_removed = store.count(JOURNAL[G.CONCLUSIONS][1])
        store.clear(*ALL)
    except _FallBack as why:
        _roll_back(store)
        report = _full_run(store, rule_base, tbox, triples, jurisdictions=jurisdictions, as_of=as_of, progress=progress)
        report.full_run = str(why)
    except Exception as exc:
        detail = str(exc) if isinstance(exc, RightsGraphError) else f"{type(exc).__name__}: {exc}"
        try:
            _roll_back(store)
        except Exception as undo:  # noqa: BLE001 - the original failure is what the user must see
            raise ReasoningError(f"incremental reasoning failed at {current}: {detail}; undoing it failed too "
                                 f"({undo}): the journal is kept in {INC}* and the next add() plays it back") from exc
        raise ReasoningError(f"incremental reasoning failed at {current}: {detail}; the store is as it was") from exc
    report.seconds = time.perf_counter() - started
    return report
