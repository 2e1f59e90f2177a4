"""Deterministic names for statements and rule firings, computed the same way in SPARQL and in Python.

A statement's IRI is the SHA-1 of a canonical key of its three terms; the engine computes it inside
the store while a rule fires, and :mod:`rightsgraph.explain` computes it in Python to look up which
firing produced a triple. The two must agree character for character: ``tests/test_engine.py`` checks it.
"""
from __future__ import annotations

import hashlib

from rdflib import Literal, URIRef, Variable
from rdflib.term import Node

from rightsgraph.graphs import STATEMENT_BASE

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def term_key(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype else (RDF_LANGSTRING if term.language else XSD_STRING)
        return f'"{term}"^^<{datatype}>@{term.language or ""}'
    raise TypeError(f"no key for {term!r}")


def statement_iri(s: Node, p: Node, o: Node) -> URIRef:
    key = f"{term_key(s)} {term_key(p)} {term_key(o)}"
    return URIRef(STATEMENT_BASE + hashlib.sha1(key.encode("utf-8")).hexdigest())


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
