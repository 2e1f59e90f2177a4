"""Compiling a rule into one SPARQL update that derives its conclusions and records why.

The update inserts the rule's template into the staging conclusions graph and, for every solution,
a ``rg:RuleFiring`` into the staging justifications graph, naming the rule, the as-of date, each
premise (a positive triple pattern of the ``WHERE``, instantiated) and each product (a template
triple, instantiated) as ``rdf:Statement``s with deterministic IRIs. Because all of it is one
``INSERT ... WHERE`` evaluated by the store, the same text runs on Oxigraph and on any SPARQL 1.1
endpoint, and the data never leaves the store.

The focus nodes of the rule's shape (SHACL-AF ``$this``) are joined in as a pattern, and a rule with
an ``rg:temporalAnchor`` gets a filter keeping only events inside its dates in force and not after
the as-of date.
"""
from __future__ import annotations

import datetime as dt
from typing import Sequence

from rightsgraph.errors import RuleError
from rightsgraph.graphs import FIRING_BASE, RG, STATEMENT_BASE
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


def _statement_block(var: str, triple: tuple, path: bool = False) -> str:
    s, p, o = triple
    if path:
        return (f"{var} a <{RG}PathStatement> ; <{RDF}subject> {_n3(s)} ; "
                f"<{RG}path> {sparql_string(p.n3())} ; <{RDF}object> {_n3(o)} .")
    return f"{var} a <{RDF}Statement> ; <{RDF}subject> {_n3(s)} ; <{RDF}predicate> {_n3(p)} ; <{RDF}object> {_n3(o)} ."


def _bind_statement(var: str, triple: tuple, path: bool = False, confirm: bool = False) -> str:
    s, p, o = triple
    middle = sparql_string(p.n3()) if path else sparql_key(p)
    key = f'CONCAT({sparql_key(s)}, " ", {middle}, " ", {sparql_key(o)})'
    prefix = STATEMENT_BASE + ("path/" if path else "")
    iri = f"IRI(CONCAT({sparql_string(prefix)}, SHA1({key})))"
    if confirm:  # a pattern of another UNION branch, or an OPTIONAL that did not match, is no premise
        iri = f"IF(EXISTS {{ {_n3(s)} {_n3(p)} {_n3(o)} }}, {iri}, ?__never_bound)"
    return f"BIND({iri} AS {var})"


def compile_rule(rule: Rule, analysis: RuleAnalysis, *, as_of: dt.date, read_graphs: tuple[str, ...],
                 conclusions_graph: str, justifications_graph: str, focus: Sequence[object] | None = None) -> str:
    """The SPARQL update that applies ``rule`` once over ``read_graphs`` (to the ``focus`` nodes only,
    if given: incremental reasoning re-applies a rule where a change can reach)."""
    template = " ".join(f"{_n3(s)} {_n3(p)} {_n3(o)} ." for s, p, o in analysis.template)
    premise_vars = [f"?__premise{i}" for i in range(len(analysis.premises))]
    path_vars = [f"?__path{i}" for i in range(len(analysis.path_premises))]
    product_vars = [f"?__product{i}" for i in range(len(analysis.template))]
    firing = "?__firing"
    just = [f"{firing} a <{RG}RuleFiring> ; <{RG}firedRule> <{rule.iri}> ; <{RG}asOf> {_date(as_of)} ."]
    if analysis.uses_this:
        just.append(f"{firing} <{RG}focus> ?this .")
    for var, triple in zip(premise_vars, analysis.premises):
        just += [f"{firing} <{RG}premise> {var} .", _statement_block(var, triple)]
    for var, triple in zip(path_vars, analysis.path_premises):
        just += [f"{firing} <{RG}premise> {var} .", _statement_block(var, triple, path=True)]
    for var, triple in zip(product_vars, analysis.template):
        just += [f"{firing} <{RG}produced> {var} .", _statement_block(var, triple)]
    binds = [_bind_statement(v, t, confirm=t in analysis.conditional_premises)
             for v, t in zip(premise_vars, analysis.premises)]
    binds += [_bind_statement(v, t, path=True) for v, t in zip(path_vars, analysis.path_premises)]
    binds += [_bind_statement(v, t) for v, t in zip(product_vars, analysis.template)]
    parts = [sparql_string(rule.iri)] + [f'COALESCE(STR({v}), "-")' for v in premise_vars + path_vars + product_vars]
    binds.append(f"BIND(IRI(CONCAT({sparql_string(FIRING_BASE)}, SHA1(CONCAT({', '.join(parts)})))) AS {firing})")
    using = " ".join(f"USING <{g}>" for g in read_graphs)
    inner = analysis.where_text.strip()[1:-1]
    if analysis.uses_this:
        only = f"VALUES ?this {{ {' '.join(_n3(node) for node in focus)} }}\n" if focus is not None else ""
        where = f"{{ {only}{target_pattern(rule)}\n{inner}\n}}"
    else:  # SHACL-AF runs such a rule once per focus node: it fires if any focus node exists
        where = f"{{ {inner}\n}} FILTER EXISTS {{ {target_pattern(rule)} }}"
    return (f"{rule.prologue}INSERT {{\n GRAPH <{conclusions_graph}> {{ {template} }}\n"
            f" GRAPH <{justifications_graph}> {{ {' '.join(just)} }}\n}}\n{using}\n"
            f"WHERE {{\n{where}\n{temporal_filter(rule, as_of)}\n{' '.join(binds)}\n}}")

