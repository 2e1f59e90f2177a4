"""The back-end interface: the few verbs the engine needs from a store.

Everything the engine does is a SPARQL query, a SPARQL update or a bulk add of triples into one
named graph. Each call is atomic on its own; a reasoning run stays atomic as a whole because it
writes only into staging graphs and publishes them with one :meth:`Store.replace_graphs` call.
"""
from __future__ import annotations

import functools
import re
from abc import ABC, abstractmethod
from typing import Iterable, Mapping, Sequence

from rdflib.term import Identifier, Node, URIRef

from rightsgraph.sparqltext import joined_unions, required_in_group, where_group

Triple = tuple[Node, Node, Node]
Row = dict[str, Identifier]


class Rows(list):
    """SELECT results: a list of rows (unbound variables absent) that knows the projection order."""

    def __init__(self, rows=(), variables: Sequence[str] = ()):
        super().__init__(rows)
        self.variables = list(variables)


class Store(ABC):
    """A quad store reachable by SPARQL 1.1."""

    #: A name for messages: the path, ``memory`` or the endpoint URL.
    location: str
    #: Which SPARQL engine answers: ``oxigraph``, ``virtuoso`` or ``generic``; rules are compiled for it.
    dialect: str = "generic"

    @abstractmethod
    def select(
        self,
        query: str,
        *,
        default_graphs: Sequence[str] | None = None,
        bindings: Mapping[str, Identifier] | None = None,
    ) -> list[Row]:
        """Run a SELECT. ``default_graphs`` None means the union of all graphs."""

    @abstractmethod
    def ask(self, query: str, *, default_graphs: Sequence[str] | None = None,
            bindings: Mapping[str, Identifier] | None = None) -> bool:
        """Run an ASK."""

    @abstractmethod
    def construct(self, query: str, *, default_graphs: Sequence[str] | None = None,
                  bindings: Mapping[str, Identifier] | None = None) -> list[Triple]:
        """Run a CONSTRUCT or DESCRIBE."""

    @abstractmethod
    def query_serialized(self, query: str, *, result_format: str,
                         default_graphs: Sequence[str] | None = None,
                         bindings: Mapping[str, Identifier] | None = None) -> tuple[bytes, str]:
        """Run any query and return the serialised result with its media type (for the endpoint)."""

    @abstractmethod
    def update(self, update: str) -> None:
        """Run a SPARQL 1.1 update atomically."""

    @abstractmethod
    def add(self, graph: str, triples: Iterable[Triple]) -> int:
        """Add triples to a named graph in one atomic step; returns how many were given."""

    @abstractmethod
    def triples(self, graph: str) -> Iterable[Triple]:
        """All triples of a named graph."""

    @abstractmethod
    def count(self, graph: str) -> int:
        """The number of triples in a named graph."""

    def has_triples(self, graph: str) -> bool:
        """Whether a named graph holds at least one triple (cheaper than counting it)."""
        return self.ask(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")

    @abstractmethod
    def graph_names(self) -> list[str]:
        """The named graphs that hold at least one triple."""

    def clear(self, *graphs: str) -> None:
        """Empty the given named graphs (one atomic update)."""
        if graphs:
            self.update(" ; ".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))

    def replace_graphs(self, moves: Mapping[str, str]) -> None:
        """Atomically replace each target graph by its staging graph (``{staging: target}``)."""
        if moves:
            self.update(" ; ".join(f"MOVE SILENT GRAPH <{src}> TO <{dst}>" for src, dst in moves.items()))

    def close(self) -> None:
        """Release the store."""


_IRI = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_COMMENT = re.compile(r"#[^\n]*")
_FORM = re.compile(r"(?i)\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b")
_GROUPING = re.compile(r"(?i)\b(GROUP\s+BY|COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\b")


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first form keyword once IRIs (which may hold ``#``)
    and comments are set aside. Only the prologue (PREFIX, BASE) can come before it."""
    match = _FORM.search(_COMMENT.sub(" ", _IRI.sub(" ", text)))
    return match.group(1).upper() if match else "SELECT"


_BAD_IRI_CHARS = set('<>"{}|^`\\ \t\r\n')


def check_bindings(bindings: Mapping[str, Identifier]) -> None:
    """Refuse an IRI holding characters an IRI cannot hold: bound as text, it could inject SPARQL."""
    for name in sorted(bindings):
        value = bindings[name]
        if isinstance(value, URIRef) and _BAD_IRI_CHARS & set(str(value)):
            from rightsgraph.errors import InputError
            raise InputError(f"parameter {name}: {str(value)!r} is not a valid IRI")


def inline_values_apply(query: str, bindings: Mapping[str, Identifier]) -> bool:
    """Whether :func:`with_inline_values` means the same as binding after the fact: every parameter
    is bound by a required triple pattern of the ``WHERE`` group, and the query does not group."""
    return _inline_plan(query, tuple(sorted(bindings)))[0]


def with_inline_values(query: str, bindings: Mapping[str, Identifier]) -> str:
    """Bind variables with a ``VALUES`` block at the start of the query's ``WHERE`` group.

    For a query without aggregates whose parameters occur in mandatory patterns this means the
    same as a trailing block, and the store starts from the bound values instead of joining them
    last (the query library binds the work or output a question is about this way). The block also
    goes into each branch of a ``UNION`` joined into that group when every branch binds the
    parameter in a triple pattern. A query without a ``WHERE`` keyword gets the trailing block."""
    check_bindings(bindings)
    names = tuple(sorted(bindings))
    starts = _inline_plan(query, names)[1]
    if not starts:
        return with_values(query, bindings)
    row = " ".join(bindings[n].n3() for n in names)
    block = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }}"
    for at in starts:
        query = query[:at + 1] + block + query[at + 1:]
    return query


@functools.lru_cache(maxsize=512)
def _inline_plan(query: str, names: tuple[str, ...]) -> tuple[bool, tuple[int, ...]]:
    """Whether inline values apply, and the ``{`` after which a block goes (last first); cached, as
    reading a long query's groups costs milliseconds and the library asks the same texts again."""
    start = where_group(query)
    if start < 0:
        return False, ()
    applies = (not _GROUPING.search(_COMMENT.sub(" ", _IRI.sub(" ", query)))
               and all(required_in_group(query, start, name) for name in names))
    starts = [start]
    for branches in joined_unions(query, start):
        # A join distributes over a union, joining the same one-row block twice changes nothing,
        # and a block at the start of a branch that binds the variable in a triple pattern means
        # the same as one joined after it. Oxigraph evaluates a union before joining it, so the
        # block inside each branch is what makes it start from the bound value there too.
        if all(required_in_group(query, b, n) for b in branches for n in names):
            starts += branches
    return applies, tuple(sorted(starts, reverse=True))


def with_values(query: str, bindings: Mapping[str, Identifier] | None) -> str:
    """Bind variables with a trailing ``VALUES`` block (SPARQL 1.1, section 10.2.2).

    The values are RDF terms serialised by rdflib, never user text pasted into the query, and
    IRIs with characters that IRIs cannot hold are refused, so a parameter cannot inject SPARQL.
    """
    if not bindings:
        return query
    check_bindings(bindings)
    names = sorted(bindings)
    row = " ".join(bindings[n].n3() for n in names)
    return f"{query}\nVALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }}"
