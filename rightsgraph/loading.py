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


class SourceMap(dict):
    """Subject IRI -> the file that described it; ``fallback`` answers for a file the store loaded
    itself (:func:`native_input`), whose subjects were never seen in Python."""

    fallback: str | None = None

    def get(self, key, default=None):  # type: ignore[override]
        return super().get(key, self.fallback if default is None else default)


def _format(path: Path, format: str | None) -> ox.RdfFormat:
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    suffix = FORMAT_NAMES.get(format, f".{format}") if format else path.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(f"{path}: cannot tell the RDF format from {suffix!r}; "
                         f"use one of {', '.join(sorted(FORMATS))} or pass a format")
    return FORMATS[suffix]


def parse_file(path: str | Path, *, format: str | None = None) -> ParsedInput:
    """Parse one file completely; a syntax error raises :class:`ParseError` naming file, line and column."""
    path = Path(path)
    fmt = _format(path, format)
    data = path.read_bytes()
    source_key = hashlib.sha1(data).hexdigest()
    return _parse_bytes(data, fmt, str(path), source_key, base_iri=path.resolve().as_uri())


#: what may start a blank node or an RDF 1.2 triple term, by format (a cautious test on the bytes)
_NOT_NATIVE = {ox.RdfFormat.N_TRIPLES: (b"_:", b"<<"), ox.RdfFormat.TURTLE: (b"_:", b"<<", b"[", b"(")}


@dataclass(frozen=True)
class NativeInput:
    """A file the store can parse and load itself, in one transaction: N-Triples or Turtle in which
    no blank node (to skolemise) or triple term (to refuse) can occur. Python never sees its triples:
    at a million triples that is 3.6 s against 18 s."""

    source: str
    data: bytes
    format: ox.RdfFormat
    base_iri: str


def native_input(path: str | Path, *, format: str | None = None) -> NativeInput | None:
    path = Path(path)
    fmt = _format(path, format)
    if fmt not in _NOT_NATIVE:
        return None
    data = path.read_bytes()
    if any(marker in data for marker in _NOT_NATIVE[fmt]):
        return None
    return NativeInput(str(path), data, fmt, path.resolve().as_uri())


def parse_error(source: str, exc: SyntaxError) -> ParseError:
    """Oxigraph's syntax error as a :class:`ParseError` with file, line and column."""
    line = column = None
    if exc.args and len(exc.args) > 1 and isinstance(exc.args[1], tuple):
        _, line, column, *_ = exc.args[1]
    message = str(exc.args[0]) if exc.args else str(exc)
    return ParseError(source, message, line, column)


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
        raise parse_error(source, exc) from None
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
