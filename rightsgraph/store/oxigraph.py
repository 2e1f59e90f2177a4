"""The embedded back end: pyoxigraph, in memory or on disk."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Mapping, Sequence

import pyoxigraph as ox
from rdflib.term import Identifier

from rightsgraph.errors import StoreError
from rightsgraph.store.base import (Row, Rows, Store, Triple, check_bindings, inline_values_apply,
                                    with_inline_values)
from rightsgraph.store.terms import to_oxigraph, to_rdflib

_FORMATS = {
    "json": (ox.QueryResultsFormat.JSON, "application/sparql-results+json"),
    "xml": (ox.QueryResultsFormat.XML, "application/sparql-results+xml"),
    "csv": (ox.QueryResultsFormat.CSV, "text/csv"),
    "tsv": (ox.QueryResultsFormat.TSV, "text/tab-separated-values"),
    "turtle": (ox.RdfFormat.TURTLE, "text/turtle"),
    "ntriples": (ox.RdfFormat.N_TRIPLES, "application/n-triples"),
    "rdfxml": (ox.RdfFormat.RDF_XML, "application/rdf+xml"),
    "jsonld": (ox.RdfFormat.JSON_LD, "application/ld+json"),
}


def _converter():
    """``to_rdflib`` remembering what it converted: results repeat terms (a jurisdiction, a status,
    a reason) thousands of times, and building an rdflib term validates its IRI every time."""
    seen: dict = {}

    def convert(term):
        found = seen.get(term)
        if found is None:
            found = seen[term] = to_rdflib(term)
        return found
    return convert


class OxigraphStore(Store):
    """pyoxigraph's :class:`~pyoxigraph.Store`; ``path=None`` keeps everything in memory."""

    dialect = "oxigraph"

    def __init__(self, *, path: str | Path | None = None) -> None:
        self.location = str(path) if path else "memory"
        try:
            self._store = ox.Store(str(path)) if path else ox.Store()
        except OSError as exc:  # a locked or unreadable directory
            raise StoreError(f"cannot open the store at {path}: {exc}") from exc

    # -- queries -----------------------------------------------------------------------------
    def _run(self, query: str, default_graphs: Sequence[str] | None,
             bindings: Mapping[str, Identifier] | None):
        options: dict = {}
        if default_graphs is None:
            options["use_default_graph_as_union"] = True
        else:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        try:
            if bindings:
                check_bindings(bindings)
                if inline_values_apply(query, bindings):
                    # every parameter is bound by a required pattern: a VALUES block at the start
                    # of the WHERE group and of the union branches means the same as Oxigraph's
                    # substitution, and it plans better (one output's contributors at 1M facts:
                    # 0.7 s substituted, milliseconds inline)
                    return self._store.query(with_inline_values(query, bindings), **options)
                try:
                    # Oxigraph substitutes the values before planning (SEP-0007), so a bound
                    # parameter starts the evaluation, where a trailing VALUES block is joined last
                    # (a justification tree took 33 s that way at 100k facts, against milliseconds)
                    substitutions = {ox.Variable(k): to_oxigraph(v) for k, v in bindings.items()}
                    return self._store.query(query, substitutions=substitutions, **options)
                except RuntimeError:  # it substitutes projected variables only
                    return self._store.query(with_inline_values(query, bindings), **options)
            return self._store.query(query, **options)
        except SyntaxError as exc:
            raise StoreError(f"SPARQL syntax error: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"query failed on {self.location}: {exc}") from exc

    def select(self, query, *, default_graphs=None, bindings=None) -> list[Row]:
        result = self._run(query, default_graphs, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError("expected a SELECT query")
        names = [v.value for v in result.variables]
        rows = Rows(variables=names)
        convert = _converter()
        for solution in result:
            row = {}
            for name, value in zip(names, solution):
                if value is not None:
                    row[name] = convert(value)
            rows.append(row)
        return rows

    def ask(self, query, *, default_graphs=None, bindings=None) -> bool:
        result = self._run(query, default_graphs, bindings)
        if not isinstance(result, ox.QueryBoolean):
            raise StoreError("expected an ASK query")
        return bool(result)

    def construct(self, query, *, default_graphs=None, bindings=None) -> list[Triple]:
        result = self._run(query, default_graphs, bindings)
        if not isinstance(result, ox.QueryTriples):
            raise StoreError("expected a CONSTRUCT or DESCRIBE query")
        convert = _converter()
        return [(convert(t.subject), convert(t.predicate), convert(t.object)) for t in result]

    def query_serialized(self, query, *, result_format, default_graphs=None, bindings=None):
        result = self._run(query, default_graphs, bindings)
        if isinstance(result, ox.QueryTriples):
            fmt = result_format if result_format in ("turtle", "ntriples", "rdfxml", "jsonld") else "turtle"
        else:
            fmt = result_format if result_format in ("json", "xml", "csv", "tsv") else "json"
        ox_format, media_type = _FORMATS[fmt]
        return result.serialize(format=ox_format), media_type

    # -- writes ------------------------------------------------------------------------------
    def update(self, update: str) -> None:
        try:
            self._store.update(update)
        except SyntaxError as exc:
            raise StoreError(f"SPARQL update syntax error: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"update failed on {self.location}: {exc}") from exc

    def add(self, graph: str, triples: Iterable[Triple]) -> int:
        g = ox.NamedNode(graph)
        quads = [ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), g) for s, p, o in triples]
        self._store.extend(quads)  # one transaction: all or nothing
        return len(quads)

    def load_bytes(self, graph: str, data: bytes, format: ox.RdfFormat, *, base_iri: str | None = None) -> None:
        """Parse and add in one transaction (a syntax error raises ``SyntaxError`` and writes nothing)."""
        self._store.load(input=data, format=format, base_iri=base_iri, to_graph=ox.NamedNode(graph))

    def add_oxigraph_quads(self, quads: list[ox.Quad]) -> None:
        """Fast path for the loader: quads already in pyoxigraph's terms."""
        self._store.extend(quads)

    def triples(self, graph: str) -> Iterable[Triple]:
        convert = _converter()
        for q in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
            yield convert(q.subject), convert(q.predicate), convert(q.object)

    def count(self, graph: str) -> int:
        rows = self._store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return int(next(iter(rows))["n"].value)

    def has_triples(self, graph: str) -> bool:
        return next(iter(self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph))), None) is not None

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs()
                      if isinstance(g, ox.NamedNode) and self.has_triples(g.value))

    def close(self) -> None:
        """Flush to disk and let go of the store, which releases the directory's lock."""
        if self._store is not None and self.location != "memory":
            self._store.flush()
            self._store = None  # type: ignore[assignment]

    @property
    def native(self) -> ox.Store:
        """The underlying pyoxigraph store, for callers that need its full API."""
        return self._store
