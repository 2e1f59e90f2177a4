"""Rule firings: how the engine records one application of a rule, and how a record is read back.

A firing is one solution of a rule's ``WHERE``. Recording its premises and products as reified
statements costs about six triples per conclusion triple, which made the justifications the bulk
of every store. A firing is therefore recorded by the values of its variables, from which the rule's
own patterns give back everything else (the way Soufflé or Datalog provenance keeps the rule and
its ground atoms rather than copies of them)::

    <firing/…> rg:firedRule <rule> ;
               rg:focus <the $this node> ;
               rg:produced <the node the template writes about> ;
               <binding/author> <…> ; <binding/right> <…> .

* ``rg:produced`` links the firing to each subject of the rule's template: the conclusion nodes.
  SPARQL walks proofs through it (``queries/justification-tree.rq``) and incremental reasoning finds
  the firings behind a node with one index lookup.
* ``binding/<name>`` (one property per variable of the rule) holds the value of each variable that
  a premise or the template mentions. When the template writes about a single variable, that
  variable's value is the ``rg:produced`` node and is not repeated as a binding.

:func:`premises` and :func:`products` instantiate the rule's patterns with those values: the
premises are the positive triple patterns of the ``WHERE`` (those under ``UNION`` or ``OPTIONAL`` only
when the store holds them), the products are the template's triples. The firing's IRI is the SHA-1
of the rule and the values, so reasoning twice gives the same graph.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Mapping

from rdflib import Literal, URIRef, Variable
from rdflib.term import Node

from rightsgraph.graphs import BINDING_BASE, RG
from rightsgraph.rules.analysis import Pattern, RuleAnalysis
from rightsgraph.store.base import Store

THIS = Variable("this")
FIRED_RULE = URIRef(RG + "firedRule")
FOCUS = URIRef(RG + "focus")
PRODUCED = URIRef(RG + "produced")
PREMISE_PATTERN = URIRef(RG + "premisePattern")
TRIPLE_PATTERN = URIRef(RG + "TriplePattern")
PATTERN_SUBJECT, PATTERN_PREDICATE, PATTERN_OBJECT = (URIRef(RG + f"pattern{r}") for r in ("Subject", "Predicate", "Object"))
CONDITIONAL = URIRef(RG + "conditional")
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
Triple = tuple[Node, Node, Node]


def template_subjects(analysis: RuleAnalysis) -> list[object]:
    """The subjects of the template, in order: the nodes a firing is ``rg:produced`` link to."""
    seen: list[object] = []
    for s, _, _ in analysis.template:
        if s not in seen:
            seen.append(s)
    return seen


def produced_variable(analysis: RuleAnalysis) -> Variable | None:
    """The template's one subject variable, whose value ``rg:produced`` holds (None if it has several)."""
    subjects = template_subjects(analysis)
    return subjects[0] if len(subjects) == 1 and isinstance(subjects[0], Variable) else None


def binding_variables(analysis: RuleAnalysis) -> list[Variable]:
    """The variables a firing records as ``binding/<name>``: every variable of a premise or of the
    template, except ``$this`` (``rg:focus``) and the one produced variable (``rg:produced``)."""
    found: set[Variable] = set()
    for triple in [*analysis.premises, *analysis.path_premises, *analysis.template]:
        found |= {t for t in (triple[0], triple[2], triple[1]) if isinstance(t, Variable)}
    found.discard(THIS)
    found.discard(produced_variable(analysis))  # type: ignore[arg-type]
    return sorted(found, key=str)


def binding_property(var: Variable) -> URIRef:
    return URIRef(BINDING_BASE + str(var))


@dataclass(frozen=True)
class Firing:
    """One recorded application of a rule: its IRI, the rule and the values of its variables."""

    iri: str
    rule: str
    bindings: Mapping[Variable, Node]


def instantiate(patterns: Iterable[Pattern], bindings: Mapping[Variable, Node]) -> list[tuple]:
    """The patterns whose every variable is bound, with the variables replaced (template semantics:
    a pattern with an unbound variable produces nothing)."""
    out = []
    for pattern in patterns:
        triple = tuple(bindings.get(t) if isinstance(t, Variable) else t for t in pattern)
        if None not in triple and triple not in out:
            out.append(triple)
    return out


def products(analysis: RuleAnalysis, firing: Firing) -> list[Triple]:
    """The template triples this firing wrote (supertypes the engine adds are entailments, not products)."""
    return instantiate(analysis.template, firing.bindings)  # type: ignore[return-value]


def premises(analysis: RuleAnalysis, firing: Firing) -> tuple[list[Triple], list[Triple], list[tuple]]:
    """(premises that held in every solution, premises read under UNION/OPTIONAL, path premises).

    The second list holds candidates only: such a premise counts when the store holds it, since
    another branch of the UNION may be the one that matched (see :class:`rightsgraph.explain.Explainer`).
    """
    certain = [p for p in analysis.premises if p not in analysis.conditional_premises]
    conditional = [p for p in analysis.premises if p in analysis.conditional_premises]
    return (instantiate(certain, firing.bindings), instantiate(conditional, firing.bindings),  # type: ignore[return-value]
            instantiate(analysis.path_premises, firing.bindings))


def read(rows: Iterable[tuple[Node, Node, Node]], analyses: Mapping[str, RuleAnalysis]) -> list[Firing]:
    """Firings from their triples (``firing, property, value``), in IRI order. A firing whose rule
    has no analysis (a store reasoned with another rule base) comes back with the bindings it has."""
    triples: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
    for f, p, o in rows:
        triples[f].append((p, o))
    firings = []
    for f in sorted(triples, key=str):
        rule = next((str(o) for p, o in triples[f] if p == FIRED_RULE), "")
        analysis = analyses.get(rule)
        produced_var = produced_variable(analysis) if analysis is not None else None
        bindings: dict[Variable, Node] = {}
        for p, o in triples[f]:
            if p == FOCUS:
                bindings[THIS] = o
            elif p == PRODUCED and produced_var is not None:
                bindings[produced_var] = o
            elif str(p).startswith(BINDING_BASE):
                bindings[Variable(str(p)[len(BINDING_BASE):])] = o
        firings.append(Firing(str(f), rule, bindings))
    return firings


def firings_producing(store: Store, graph: str, nodes: Iterable[Node],
                      analyses: Mapping[str, RuleAnalysis]) -> list[Firing]:
    """The firings recorded in ``graph`` that produced a statement about one of ``nodes``."""
    values = " ".join(n.n3() for n in sorted(set(nodes), key=str))  # type: ignore[attr-defined]
    if not values:
        return []
    rows = store.select(f"SELECT ?f ?p ?o WHERE {{ VALUES ?node {{ {values} }} GRAPH <{graph}> {{ "
                        f"?f <{PRODUCED}> ?node . ?f ?p ?o }} }}")
    return read(((r["f"], r["p"], r["o"]) for r in rows), analyses)


def all_firings(store: Store, graph: str, analyses: Mapping[str, RuleAnalysis]) -> list[Firing]:
    rows = store.select(f"SELECT ?f ?p ?o WHERE {{ GRAPH <{graph}> {{ ?f <{FIRED_RULE}> ?r . ?f ?p ?o }} }}")
    return read(((r["f"], r["p"], r["o"]) for r in rows), analyses)


def produced_by(firings: Iterable[Firing], analyses: Mapping[str, RuleAnalysis]) -> set[Triple]:
    """Every triple the firings wrote."""
    out: set[Triple] = set()
    for firing in firings:
        analysis = analyses.get(firing.rule)
        if analysis is not None:
            out.update(products(analysis, firing))
    return out


def all_products(store: Store, graph: str, analyses: Mapping[str, RuleAnalysis]) -> set[Triple]:
    """Every triple the firings recorded in ``graph`` wrote (what the rules derived, without the
    supertypes the engine adds as entailments)."""
    return produced_by(all_firings(store, graph, analyses), analyses)


def recorded_as(term: object, analysis: RuleAnalysis) -> object:
    """How a firing records a pattern's term: the property holding a variable's value, or the constant."""
    if not isinstance(term, Variable):
        return term
    if term == THIS:
        return FOCUS
    if term == produced_variable(analysis):
        return PRODUCED
    return binding_property(term)


def premise_patterns(rule_iri: str, analysis: RuleAnalysis) -> list[Triple]:
    """The rule's premise patterns as data (``rg:premisePattern``), so SPARQL can instantiate them with
    a firing's values: each term is a constant or the property the firing records its value under."""
    rule = URIRef(rule_iri)
    out: list[Triple] = []
    for i, pattern in enumerate(analysis.premises):
        node = URIRef(f"{rule_iri}#premise-{i}")
        out += [(rule, PREMISE_PATTERN, node), (node, RDF_TYPE, TRIPLE_PATTERN)]
        for role, term in zip((PATTERN_SUBJECT, PATTERN_PREDICATE, PATTERN_OBJECT), pattern):
            out.append((node, role, recorded_as(term, analysis)))  # type: ignore[arg-type]
        if pattern in analysis.conditional_premises:
            out.append((node, CONDITIONAL, Literal(True)))
    return out
