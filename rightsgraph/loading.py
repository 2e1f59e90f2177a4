"""Reading RDF input into the facts graph: every file parses completely before anything is written.

Blank nodes are replaced by skolem IRIs (RDF 1.1 Concepts, section 3.5) so that premises that
mention them can be named in a justification; :func:`deskolemize` turns them back on export.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from rightsgraph.errors import InputError, ParseError
from rightsgraph.graphs import SKOLEM_BASE
from rightsgraph.store.terms import to_oxigraph

FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}
FORMAT_NAMES = {"turtle": ".ttl", "ntriples": ".nt", "json-ld": ".jsonld", "jsonld": ".jsonld", "xml": ".rdf",
                 "rdfxml": ".rdf"}


@dataclass
class ParsedInput:
    """Triples read from one source, with the subjects it describes (to name files in reports)."""

    source: str
    triples: list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]] = field(default_factory=list)


def _skolem(source_key: str, bnode_id: str) -> ox.NamedNode:
    digest = hashlib.sha1(f"{source_key}|{bnode_id}".encode()).hexdigest()[:20]
    return ox.NamedNode(SKOLEM_BASE + digest)


def parse_file(path: str | Path, *, format: str | None = None) -> ParsedInput:
    """Parse one file completely; a syntax error raises :class:`ParseError` naming file, line and column."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    suffix = FORMAT_NAMES.get(format, f".{format}") if format else path.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(f"{path}: cannot tell the RDF format from {suffix!r}; "
                         f"use one of {', '.join(sorted(FORMATS))} or pass a format")
    data = path.read_bytes()
    source_key = hashlib.sha1(data).hexdigest()
    return _parse_bytes(data, FORMATS[suffix], str(path), source_key, base_iri=path.resolve().as_uri())


def parse_text(text: str | bytes, *, format: str = "turtle", source: str = "<string>") -> ParsedInput:
    data = text.encode() if isinstance(text, str) else text
    suffix = FORMAT_NAMES.get(format, f".{format}")
    if suffix not in FORMATS:
        raise InputError(f"{source}: unknown RDF format {format!r}")
    return _parse_bytes(data, FORMATS[suffix], source, hashlib.sha1(data).hexdigest())


def _parse_bytes(data: bytes, fmt: ox.RdfFormat, source: str, source_key: str,
                 base_iri: str | None = None) -> ParsedInput:
    parsed = ParsedInput(source)
    try:
        for quad in ox.parse(data, format=fmt, base_iri=base_iri):
            s, o = quad.subject, quad.object
            if isinstance(quad.graph_name, ox.NamedNode):
                raise InputError(f"{source}: named graphs are not accepted as facts (graph <{quad.graph_name.value}>)")
            if isinstance(s, ox.BlankNode):
                s = _skolem(source_key, s.value)
            if isinstance(o, ox.BlankNode):
                o = _skolem(source_key, o.value)
            if isinstance(s, ox.Triple) or isinstance(o, ox.Triple):
                raise InputError(f"{source}: RDF 1.2 triple terms are not supported")
            parsed.triples.append((s, quad.predicate, o))
    except SyntaxError as exc:
        line = column = None
        if exc.args and len(exc.args) > 1 and isinstance(exc.args[1], tuple):
            _, line, column, *_ = exc.args[1]
        message = str(exc.args[0]) if exc.args else str(exc)
        raise ParseError(source, message, line, column) from None
    return parsed


def from_rdflib(graph: Graph, *, source: str = "<rdflib graph>") -> ParsedInput:
    parsed = ParsedInput(source)
    key = str(id(graph))
    for s, p, o in graph:
        s2 = _skolem(key, str(s)) if isinstance(s, BNode) else to_oxigraph(s)
        o2 = _skolem(key, str(o)) if isinstance(o, BNode) else to_oxigraph(o)
        parsed.triples.append((s2, to_oxigraph(p), o2))
    return parsed


def deskolemize(triples: Iterable[tuple[Node, Node, Node]]) -> Graph:
    """An rdflib Graph where our skolem IRIs are blank nodes again, as the user wrote them."""
    graph = Graph()
    def back(term: Node) -> Node:
        if isinstance(term, URIRef) and str(term).startswith(SKOLEM_BASE):
            return BNode(str(term)[len(SKOLEM_BASE):])
        return term
    for s, p, o in triples:
        graph.add((back(s), p, back(o)))
    return graph
