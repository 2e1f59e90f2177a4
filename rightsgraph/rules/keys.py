"""Canonical keys of RDF terms, for deterministic names of rule firings.

A firing's IRI is the SHA-1 of its rule and the keys of its variables' values, computed inside the
store while the rule fires (:mod:`rightsgraph.rules.compile`). The key keeps the datatype and
language of a literal, so ``"1"`` and ``1`` never name the same firing; :func:`term_key` is the same
key computed in Python, and ``tests/test_engine.py`` checks that the two agree.
"""
from __future__ import annotations

from rdflib import Literal, URIRef, Variable
from rdflib.term import Node

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def term_key(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype else (RDF_LANGSTRING if term.language else XSD_STRING)
        return f'"{term}"^^<{datatype}>@{term.language or ""}'
    raise TypeError(f"no key for {term!r}")


def sparql_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def sparql_key(term: object) -> str:
    """A SPARQL expression giving :func:`term_key` of a variable or constant."""
    if isinstance(term, Variable):
        v = term.n3()
        return (f'IF(isIRI({v}), CONCAT("<", STR({v}), ">"), '
                f'CONCAT("\\"", STR({v}), "\\"^^<", STR(DATATYPE({v})), ">@", LANG({v})))')
    return sparql_string(term_key(term))  # type: ignore[arg-type]
