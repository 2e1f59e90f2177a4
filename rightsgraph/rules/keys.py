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


def term_key(term: Node | None) -> str:
    """``<iri>``, ``"lexical"@lang^^`` for a language-tagged literal, ``"lexical"@^^datatype`` for any
    other, ``-`` for an unbound variable."""
    if term is None:
        return "-"
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        datatype = "" if term.language else str(term.datatype or XSD_STRING)
        return f'"{term}"@{term.language or ""}^^{datatype}'
    raise TypeError(f"no key for {term!r}")


def sparql_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def sparql_key(term: object) -> str:
    """A SPARQL expression giving :func:`term_key` of a variable (bound or not) or a constant.

    Written with ``BOUND`` and ``IF`` only, and without the datatype of a language-tagged literal,
    because servers differ there: Virtuoso 7.2 gives ``STR`` of an unbound variable as ``""`` where
    Oxigraph raises an error, and ``DATATYPE`` of ``"x"@en`` as ``""`` where SPARQL 1.1 says
    ``rdf:langString``."""
    if isinstance(term, Variable):
        v = term.n3()
        return (f'IF(BOUND({v}), IF(isIRI({v}), CONCAT("<", STR({v}), ">"), CONCAT("\\"", STR({v}), "\\"@", '
                f'LANG({v}), "^^", IF(LANG({v}) = "", STR(DATATYPE({v})), ""))), "-")')
    return sparql_string(term_key(term))  # type: ignore[arg-type]
