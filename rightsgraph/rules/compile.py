"""Compiling a rule into one SPARQL update that derives its conclusions and records why.

The update inserts the rule's template into the conclusions graph and, for every solution, a firing
into the justifications graph: the rule, the focus node, the nodes the template writes about and
the values of the rule's variables (:mod:`rightsgraph.rules.firings` reads them back). Because all
of it is one ``INSERT ... WHERE`` evaluated by the store, the same text runs on Oxigraph and on any
SPARQL 1.1 endpoint, and the data never leaves the store.

The focus nodes of the rule's shape (SHACL-AF ``$this``) are joined in as a pattern, a rule with an
``rg:temporalAnchor`` gets a filter keeping only events inside its dates in force and not after the
as-of date, and each class the template gives a node comes with its superclasses (``supers``), so a
rule reading ``rg:Determination`` sees every kind without a separate materialisation pass.
"""
from __future__ import annotations

import datetime as dt
from typing import Mapping, Sequence

from rdflib import URIRef, Variable

from rightsgraph.errors import RuleError
from rightsgraph.graphs import FIRING_BASE, RG
from rightsgraph.rules import firings
from rightsgraph.rules.analysis import RuleAnalysis
from rightsgraph.rules.keys import sparql_key, sparql_string
from rightsgraph.rules.model import Rule

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"


def _n3(term: object) -> str:
    return term.n3()  # type: ignore[attr-defined]


def _date(day: dt.date) -> str:
    return f'"{day.isoformat()}"^^<{XSD_DATE}>'


def target_pattern(rule: Rule) -> str:
    parts = []
    for target in rule.targets:
        if target.kind == "class":
            parts.append(f"?this a <{target.value}> .")
        elif target.kind == "node":
            parts.append(f"VALUES ?this {{ <{target.value}> }}")
        elif target.kind == "subjectsOf":
            parts.append(f"?this <{target.value}> ?__target_o .")
        elif target.kind == "objectsOf":
            parts.append(f"?__target_s <{target.value}> ?this .")
    if not parts:
        raise RuleError(rule.iri, rule.source_file,
                        "its shape has no target (sh:targetClass, sh:targetNode, ...), so it never fires")
    return parts[0] if len(parts) == 1 else " UNION ".join(f"{{ {p} }}" for p in parts)


def temporal_filter(rule: Rule, as_of: dt.date) -> str:
    if not rule.temporal_anchor:
        return ""
    v = f"?{rule.temporal_anchor}"
    conditions = [f"{v} <= {_date(as_of)}"]
    if rule.in_force_from:
        conditions.append(f"{v} >= {_date(rule.in_force_from)}")
    if rule.in_force_until:
        conditions.append(f"{v} <= {_date(rule.in_force_until)}")
    return f"FILTER({' && '.join(conditions)})"


def _supertypes(template: list, supers: Mapping[str, set[str]]) -> list[tuple]:
    """``?x a D`` for every superclass ``D`` of a class ``C`` the template gives ``?x``."""
    extra = []
    for subject, predicate, obj in template:
        if str(predicate) == RDF + "type" and isinstance(obj, URIRef):
            extra += [(subject, predicate, URIRef(d)) for d in sorted(supers.get(str(obj), ())) if d != str(obj)]
    return [t for t in dict.fromkeys(extra) if t not in template]


def firing_record(rule: Rule, analysis: RuleAnalysis) -> tuple[str, str]:
    """(the triples recording one firing, the BIND naming it): see :mod:`rightsgraph.rules.firings`."""
    firing = "?__firing"
    record = [f"{firing} <{RG}firedRule> <{rule.iri}> ."]
    if analysis.uses_this:
        record.append(f"{firing} <{RG}focus> ?this .")
    record += [f"{firing} <{RG}produced> {_n3(s)} ." for s in firings.template_subjects(analysis)]
    names = firings.binding_variables(analysis)
    record += [f"{firing} <{firings.binding_property(v)}> {v.n3()} ." for v in names]
    keyed = ([Variable("this")] if analysis.uses_this else []) + names
    produced = firings.produced_variable(analysis)
    if produced is not None and produced not in keyed:
        keyed.append(produced)
    parts = [sparql_string(rule.iri)] + [sparql_key(v) for v in keyed]
    key = ', " ", '.join(parts)
    bind = f"BIND(IRI(CONCAT({sparql_string(FIRING_BASE)}, SHA1(CONCAT({key})))) AS {firing})"
    return " ".join(record), bind


def compile_rule(rule: Rule, analysis: RuleAnalysis, *, as_of: dt.date, read_graphs: tuple[str, ...],
                 conclusions_graph: str, justifications_graph: str, focus: Sequence[object] | None = None,
                 supers: Mapping[str, set[str]] | None = None, dialect: str = "generic") -> str:
    """The SPARQL update that applies ``rule`` once over ``read_graphs`` (to the ``focus`` nodes only,
    if given: incremental reasoning re-applies a rule where a change can reach), written for a store
    of ``dialect`` (see :mod:`rightsgraph.rules.optimise`)."""
    template = " ".join(f"{_n3(s)} {_n3(p)} {_n3(o)} ."
                        for s, p, o in [*analysis.template, *_supertypes(analysis.template, supers or {})])
    record, bind = firing_record(rule, analysis)
    using = " ".join(f"USING <{g}>" for g in read_graphs)
    where_text = analysis.where_text
    if focus is None:  # a full run: anti-joins; a focused one checks its few solutions one by one
        where_text = analysis.rewritten.get(dialect) or analysis.rewritten.get("generic") or where_text
    inner = where_text.strip()[1:-1]
    if analysis.uses_this:
        only = f"VALUES ?this {{ {' '.join(_n3(node) for node in focus)} }}\n" if focus is not None else ""
        where = f"{{ {only}{target_pattern(rule)}\n{inner}\n}}"
    else:  # SHACL-AF runs such a rule once per focus node: it fires if any focus node exists
        where = f"{{ {inner}\n}} FILTER EXISTS {{ {target_pattern(rule)} }}"
    return (f"{rule.prologue}INSERT {{\n GRAPH <{conclusions_graph}> {{ {template} }}\n"
            f" GRAPH <{justifications_graph}> {{ {record} }}\n}}\n{using}\n"
            f"WHERE {{\n{where}\n{temporal_filter(rule, as_of)}\n{bind}\n}}")
