"""The engine's rewrites of a rule's WHERE mean the same as the text the author wrote.

Each case is a small graph and a rule body: the rewritten body must give exactly the solutions the
original gives (rdflib's engine evaluates both, so the store's own optimiser plays no part), and the
cases the rewrite must leave alone are left alone. The bundled rule base is covered as a whole by
tests/test_differential_pyshacl.py, where pyshacl runs the rules as written.
"""
from __future__ import annotations

import re

import pytest
from rdflib import Graph

from rightsgraph.rules.optimise import box_unions, exists_as_flags, not_exists_as_minus, optimise

PROLOGUE = "PREFIX : <http://example.org/>\n"
DATA = """
@prefix : <http://example.org/> .
:g1 a :Generation ; :prompt :p1 ; :performedBy :u1 .
:g2 a :Generation ; :prompt :p2 ; :parameter :s2 ; :performedBy :u2 .
:g3 a :Generation ; :performedBy :u3 .
:p1 :terms 3 . :p2 :terms 12 .
:a1 a :Act ; :actsOn :w1 . :a2 a :Act ; :actsOn :d1 . :d1 :includes :w2 , :w3 .
:w1 :owner :o1 . :w2 :owner :o2 .
"""


def solutions(where: str) -> set[tuple]:
    graph = Graph().parse(data=DATA, format="turtle")
    rows = graph.query(f"{PROLOGUE}SELECT * WHERE {where}")
    return {tuple(sorted((str(k), str(v)) for k, v in row.asdict().items())) for row in rows}


@pytest.mark.parametrize("where", [
    # a guard on the generation: shares ?this, bound in every solution
    "{ ?this a :Generation . FILTER NOT EXISTS { ?this :parameter ?s } }",
    # a guard with an inner filter on its own variables only
    "{ ?this a :Generation ; :prompt ?p . FILTER NOT EXISTS { ?p :terms ?n . FILTER (?n >= 10) } }",
    # several guards, one of them before a BIND
    "{ ?this a :Generation . FILTER NOT EXISTS { ?this :parameter ?s } BIND(1 AS ?one) "
    "FILTER NOT EXISTS { ?this :prompt ?x . ?x :terms 3 } }",
])
def test_a_guard_that_shares_bound_variables_becomes_minus_and_means_the_same(where):
    rewritten = not_exists_as_minus(PROLOGUE, where)
    assert "MINUS" in rewritten and "NOT EXISTS" not in rewritten
    assert solutions(rewritten) == solutions(where)


@pytest.mark.parametrize("where, why", [
    ("{ ?this a :Generation . FILTER NOT EXISTS { ?x :parameter ?s } }", "no variable in common (SPARQL 8.3.2)"),
    ("{ ?this a :Generation OPTIONAL { ?this :prompt ?p } FILTER NOT EXISTS { ?p :terms 3 } }",
     "the shared variable may be unbound"),
    ("{ ?this a :Generation ; :prompt ?p . ?p :terms ?n . FILTER NOT EXISTS { ?this :prompt ?q . ?q :terms ?m "
     "FILTER (?m > ?n) } }", "the inner filter reads a variable of the outer group (SPARQL 8.3.3)"),
    ("{ ?this a :Generation . FILTER NOT EXISTS { OPTIONAL { ?this :parameter ?s } } }",
     "the shared variable is not bound in every solution of the inner pattern"),
])
def test_a_guard_that_could_mean_something_else_is_left_as_written(where, why):
    assert not_exists_as_minus(PROLOGUE, where) == where, why


def test_the_conditions_matter_a_naive_rewrite_changes_the_answer():
    where = "{ ?this a :Generation . FILTER NOT EXISTS { ?x :parameter ?s } }"
    naive = "{ ?this a :Generation . MINUS { ?x :parameter ?s } }"
    assert solutions(where) == set() and len(solutions(naive)) == 3


def test_a_guard_inside_a_nested_group_is_left_alone():
    where = "{ ?this a :Generation . OPTIONAL { ?this :prompt ?p FILTER NOT EXISTS { ?p :terms 3 } } }"
    assert not_exists_as_minus(PROLOGUE, where) == where


def test_a_union_binding_a_join_variable_is_boxed_and_means_the_same():
    where = ("{ ?act a :Act . { ?act :actsOn ?work } UNION { ?act :actsOn ?ds . ?ds :includes ?work } "
             "?work :owner ?holder }")
    boxed = box_unions(where)
    assert boxed.count("SELECT * WHERE") == 1
    assert solutions(boxed) == solutions(where)


def test_unions_in_nested_groups_and_strings_are_left_alone():
    where = '{ ?a a :Act . OPTIONAL { { ?a :actsOn ?w } UNION { ?a :x ?w } } FILTER (?a != "{ } UNION { }") }'
    assert box_unions(where) == where


def test_only_oxigraph_gets_boxed_unions():
    where = "{ ?act a :Act . { ?act :actsOn ?work } UNION { ?act :x ?work } }"
    assert "SELECT" in optimise(PROLOGUE, where, dialect="oxigraph")
    assert optimise(PROLOGUE, where, dialect="virtuoso") == where


@pytest.mark.parametrize("where", [
    "{ ?this a :Generation . FILTER (EXISTS { ?this :parameter ?s } || EXISTS { ?this :prompt ?p . ?p :terms 3 }) }",
    "{ ?this a :Generation . FILTER (!EXISTS { ?this :parameter ?s } && NOT EXISTS { ?this :prompt ?p }) }",
    # the same pattern twice shares one flag
    "{ ?this a :Generation . FILTER ((EXISTS { ?this :parameter ?s } && EXISTS { ?this :prompt ?p }) "
    "|| (!EXISTS { ?this :parameter ?s } && !EXISTS { ?this :prompt ?p })) }",
])
def test_exists_in_a_filter_becomes_a_flag_and_means_the_same(where):
    rewritten = exists_as_flags(PROLOGUE, where)
    assert "EXISTS" not in rewritten and "BOUND(?__exists0)" in rewritten
    assert rewritten.count("OPTIONAL") == len(set(re.findall(r"\?__exists\d+", rewritten)))
    strip = {tuple(kv for kv in row if not kv[0].startswith("__exists")) for row in solutions(rewritten)}
    assert strip == solutions(where)


def test_exists_reading_a_variable_that_may_be_unbound_is_left_alone():
    where = "{ ?this a :Generation OPTIONAL { ?this :prompt ?p } FILTER (EXISTS { ?p :terms 3 }) }"
    assert exists_as_flags(PROLOGUE, where) == where
