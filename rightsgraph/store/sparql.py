"""The remote back end: any SPARQL 1.1 store over the SPARQL 1.1 Protocol, through SPARQLWrapper.

The engine's rules and the OWL materialiser are SPARQL updates, so they run inside the remote
store and the data never leaves it. What differs between servers is handled here, per *dialect*
(``generic``, ``oxigraph``, ``virtuoso``; detected from the HTTP ``Server`` header of one ``ASK {}``
unless configured):

* The default graph. The engine's ``default_graphs=None`` means the union of all graphs; a list
  means the merge of those graphs. The list is sent as protocol ``default-graph-uri`` parameters
  everywhere. For the union, Oxigraph server needs its ``union-default-graph`` parameter (its plain
  default graph is a graph of its own); Virtuoso's default graph already is the union of all
  graphs when no graph is given; a ``generic`` server must be configured to use the union as its
  default graph (Fuseki ``tdb2:unionDefaultGraph``, GraphDB and Stardog do so by default).
* Virtuoso rejects a property path ``?a <p>+ ?b`` whose two ends are both unbound ("TR...:
  transitive start not given"); it is rewritten to ``?a <p> ?v . ?v <p>* ?b`` inside a ``SELECT
  DISTINCT`` sub-query, which means the same and gives Virtuoso a start (see :func:`virtuoso_rewrite`).
* Virtuoso's updates go to ``/sparql-auth`` with HTTP Digest (or to ``/sparql`` after ``GRANT
  SPARQL_UPDATE TO "SPARQL"``); every update the engine sends names its graphs (``GRAPH``), so
  Virtuoso's need for ``WITH`` or ``GRAPH`` never bites; ``USING``, ``MOVE``, ``ADD`` and
  ``DROP SILENT`` work as in the standard.
* Virtuoso caps the rows of a result (``ResultSetMaxRows``, 10000 in Debian's ini): whole graphs are
  read page by page (``ORDER BY`` + ``LIMIT``/``OFFSET``, pages below the cap).

Safety: :meth:`SparqlEndpointStore.add` loads a large batch into a fresh staging graph with several
``INSERT DATA`` requests (or one Graph Store Protocol ``POST`` where the server has it) and then
adds it to the target with one ``ADD ... ; DROP ...`` update, so a failed bulk load leaves the target
as it was. Staging graphs left by a crashed run or load (``.../graph/staging/...``) are dropped when
a store is opened (``recover=True``). Every failure raises :class:`~rightsgraph.errors.StoreError` naming the
endpoint and the step; reads are retried with backoff on connection errors, updates never are (an
update whose answer was lost may have been applied).
"""
from __future__ import annotations

import base64
import json
import os
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Iterable, Mapping, Sequence

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier
from SPARQLWrapper import BASIC, DIGEST, JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from rightsgraph.errors import InputError, StoreError
from rightsgraph.graphs import GRAPH_BASE
from rightsgraph.store.base import query_form, Row, Rows, Store, Triple, with_values

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
STAGING_PREFIX = GRAPH_BASE + "staging/"
LOAD_STAGING_PREFIX = STAGING_PREFIX + "load/"
DIALECTS = ("generic", "oxigraph", "virtuoso")

_RESULT_MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
_GRAPH_MEDIA = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
}
_RDFLIB_FORMATS = {
    "text/turtle": "turtle", "application/x-turtle": "turtle", "application/n-triples": "nt",
    "text/plain": "nt", "text/ntriples": "nt", "application/rdf+xml": "xml", "application/ld+json": "json-ld",
    "application/n-quads": "nquads", "text/n3": "n3", "text/rdf+n3": "n3",
}


_TERM = r"(?:<[^<>\s]*>|[A-Za-z_][\w.-]*:[\w.-]*|a)"
_PLUS_PATH = re.compile(r"(\?\w+)\s+(" + _TERM + r")\+\s+(\?\w+)(\s*(?:\.|(?=\})))")


_WRAPPER_FORMATS = {
    "text/csv": "csv", "text/tab-separated-values": "tsv", "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml", "text/turtle": "turtle", "application/rdf+xml": "rdf+xml",
    "application/ld+json": "json-ld", "application/n-triples": "turtle",
}


def virtuoso_rewrite(text: str) -> str:
    """Give Virtuoso a start for ``?a <p>+ ?b`` with both ends variables.

    Virtuoso refuses such a transitive path unless one end is bound by the time it evaluates it
    ("transitive start not given"), which it does not work out from the rest of the pattern. The
    path is replaced by the sub-query ``{ SELECT DISTINCT ?a ?b WHERE { ?a <p> ?v . ?v <p>* ?b } }``,
    which has the same solutions (one step, then zero or more) and a bound start for ``*``. Only a
    single IRI (or prefixed name) with ``+`` between two variables, ending the triple, is rewritten.
    """
    counter = iter(range(10**6))

    def replace(match: re.Match) -> str:
        a, p, b, end = match.groups()
        v = f"?__vstep{next(counter)}"
        return f"{{ SELECT DISTINCT {a} {b} WHERE {{ {a} {p} {v} . {v} {p}* {b} }} }}{end}"

    return _PLUS_PATH.sub(replace, text)


def _term(binding: dict) -> Identifier:
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    lang = binding.get("xml:lang") or binding.get("lang")
    if lang:
        return Literal(value, lang=lang)
    datatype = binding.get("datatype")
    if datatype and datatype != _XSD_STRING:
        return Literal(value, datatype=URIRef(datatype))
    return Literal(value)


def _n3(term: Identifier) -> str:
    if isinstance(term, Literal) and term.datatype is not None and str(term.datatype) == _XSD_STRING:
        return Literal(str(term)).n3()
    return term.n3()


def _ntriples(triples: Sequence[Triple]) -> str:
    return "".join(f"{_n3(s)} {_n3(p)} {_n3(o)} .\n" for s, p, o in triples)


class SparqlEndpointStore(Store):
    """A store behind a SPARQL 1.1 query endpoint and (optionally separate) update endpoint.

    ``auth`` is ``basic`` or ``digest`` (used only with ``user``); ``timeout`` is per request in
    seconds; ``retries`` is how many times a read is retried after a connection error; ``dialect``
    is ``generic``, ``oxigraph``, ``virtuoso`` or None to detect it; ``graph_store_endpoint`` is the
    Graph Store Protocol URL used for bulk loads and reading whole graphs where the server has one
    (detected for Oxigraph server); ``batch_size`` is the number of triples per ``INSERT DATA`` (400 on Virtuoso, 5000 elsewhere);
    ``page_size`` the rows per page when reading a graph.
    """

    def __init__(self, *, endpoint: str, update_endpoint: str | None = None, user: str | None = None,
                 password: str | None = None, auth: str = "basic", timeout: float = 30, retries: int = 2,
                 dialect: str | None = None, graph_store_endpoint: str | None = None,
                 batch_size: int | None = None, page_size: int = 5000, recover: bool = True) -> None:
        if not endpoint or not re.match(r"https?://", endpoint):
            raise InputError(f"not an http(s) SPARQL endpoint URL: {endpoint!r}")
        if auth not in ("basic", "digest"):
            raise InputError(f"auth must be 'basic' or 'digest', not {auth!r}")
        if dialect is not None and dialect not in DIALECTS:
            raise InputError(f"unknown dialect {dialect!r}; known: {', '.join(DIALECTS)}")
        if user is None and os.environ.get("RIGHTSGRAPH_SPARQL_USER"):  # for the CLI: keep secrets off the command line
            user = os.environ["RIGHTSGRAPH_SPARQL_USER"]
            password = os.environ.get("RIGHTSGRAPH_SPARQL_PASSWORD", "")
            auth = os.environ.get("RIGHTSGRAPH_SPARQL_AUTH", auth)
        if auth not in ("basic", "digest"):
            raise InputError(f"auth must be 'basic' or 'digest', not {auth!r}")
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint or endpoint
        self.location = endpoint
        self.user, self.password, self.auth = user, password, auth
        self.timeout, self.retries = timeout, retries
        self.batch_size, self.page_size = batch_size, page_size
        self.dialect = dialect or self._detect_dialect()
        if self.batch_size is None:  # Virtuoso compiles INSERT DATA to SQL and refuses more than 10000 lines of it
            self.batch_size = 400 if self.dialect == "virtuoso" else 5000
        if graph_store_endpoint is None and self.dialect == "oxigraph":
            graph_store_endpoint = re.sub(r"/query/?$", "/store", endpoint) if endpoint.rstrip("/").endswith(
                "/query") else None
        self.graph_store_endpoint = graph_store_endpoint
        if recover:
            self.recover()

    # -- plumbing ------------------------------------------------------------------------------
    def _fail(self, step: str, url: str, exc: BaseException) -> StoreError:
        detail = str(exc).strip() or type(exc).__name__
        if isinstance(exc, urllib.error.HTTPError):
            body = b""
            try:
                body = exc.read()[:800]
            except Exception:  # noqa: BLE001 - best effort for the message only
                pass
            detail = f"HTTP {exc.code} {exc.reason}: {body.decode('utf-8', 'replace').strip()}"
        elif isinstance(exc, urllib.error.URLError):
            detail = f"cannot connect ({exc.reason})"
        detail = re.sub(r"\s+", " ", detail)[:1000]
        return StoreError(f"{step} failed on the SPARQL endpoint {url}: {detail}")

    @staticmethod
    def _is_connection_error(exc: BaseException) -> bool:
        if isinstance(exc, urllib.error.HTTPError):
            return exc.code in (502, 503, 504)
        return isinstance(exc, (urllib.error.URLError, ConnectionError, socket.timeout, TimeoutError))

    def _with_retries(self, step: str, url: str, call, *, read: bool):
        attempts = 1 + (self.retries if read else 0)
        for attempt in range(attempts):
            try:
                return call()
            except StoreError:
                raise
            except (SPARQLWrapperException, OSError, ValueError, json.JSONDecodeError) as exc:
                cause = exc.__cause__ or exc.__context__ if isinstance(exc, SPARQLWrapperException) else exc
                if read and attempt + 1 < attempts and (self._is_connection_error(exc) or
                                                         (cause is not None and self._is_connection_error(cause))):
                    time.sleep(0.25 * 2 ** attempt)
                    continue
                raise self._fail(step, url, exc) from exc
        raise AssertionError("unreachable")

    def _wrapper(self, url: str, *, update: bool = False) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(self.endpoint, updateEndpoint=self.update_endpoint) if update else SPARQLWrapper(url)
        wrapper.setTimeout(int(self.timeout))
        wrapper.setMethod(POST)
        if self.user is not None:
            wrapper.setCredentials(self.user, self.password or "")
            wrapper.setHTTPAuth(DIGEST if self.auth == "digest" else BASIC)
        return wrapper

    def _http(self, method: str, url: str, *, data: bytes | None = None, headers: dict | None = None):
        """A plain HTTP request (server detection, Graph Store Protocol) with the same credentials."""
        request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        handlers = []
        if self.user is not None:
            if self.auth == "digest":
                manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
                manager.add_password(None, url, self.user, self.password or "")
                handlers.append(urllib.request.HTTPDigestAuthHandler(manager))
            else:
                token = base64.b64encode(f"{self.user}:{self.password or ''}".encode()).decode()
                request.add_header("Authorization", f"Basic {token}")
        opener = urllib.request.build_opener(*handlers)
        return opener.open(request, timeout=self.timeout)

    def _detect_dialect(self) -> str:
        url = self.endpoint + ("&" if "?" in self.endpoint else "?") + urllib.parse.urlencode({"query": "ASK {}"})

        def call() -> str:
            try:
                response = self._http("GET", url, headers={"Accept": _RESULT_MEDIA["json"]})
                server = response.headers.get("Server", "")
                response.read()
            except urllib.error.HTTPError as exc:
                if exc.code in (502, 503, 504):
                    raise
                server = exc.headers.get("Server", "") if exc.headers else ""
            server = server.lower()
            if "virtuoso" in server:
                return "virtuoso"
            if "oxigraph" in server:
                return "oxigraph"
            return "generic"

        return self._with_retries("connecting (detecting the server)", self.endpoint, call, read=True)

    def _prepare(self, text: str) -> str:
        return virtuoso_rewrite(text) if self.dialect == "virtuoso" else text

    def _query_wrapper(self, query: str, default_graphs: Sequence[str] | None,
                       bindings: Mapping[str, Identifier] | None) -> SPARQLWrapper:
        wrapper = self._wrapper(self.endpoint)
        if self.dialect == "virtuoso" and bindings and query_form(query) == "ASK":
            # Virtuoso refuses a trailing VALUES after ASK (SP030); inside the group it means the same
            match = re.search(r"(?i)\bASK\b[^{]*\{", query)
            if match:
                values = with_values("", bindings).strip()
                query = query[:match.end()] + " " + values + " " + query[match.end():]
                bindings = None
        wrapper.setQuery(self._prepare(with_values(query, bindings)))
        if default_graphs is None:
            if self.dialect == "oxigraph":
                wrapper.addParameter("union-default-graph", "true")
        else:
            if not default_graphs:  # an empty merge: a graph that holds nothing
                default_graphs = [GRAPH_BASE + "empty"]
            for graph in default_graphs:
                wrapper.addDefaultGraph(graph)
        return wrapper

    def _json(self, step: str, query: str, default_graphs, bindings) -> dict:
        def call() -> dict:
            wrapper = self._query_wrapper(query, default_graphs, bindings)
            wrapper.setReturnFormat(JSON)
            wrapper.addCustomHttpHeader("Accept", _RESULT_MEDIA["json"])
            raw = wrapper.query().response.read()
            return json.loads(raw)

        return self._with_retries(step, self.endpoint, call, read=True)

    def _raw(self, step: str, query: str, media: str, default_graphs, bindings) -> tuple[bytes, str]:
        def call() -> tuple[bytes, str]:
            wrapper = self._query_wrapper(query, default_graphs, bindings)
            first = media.split(",")[0].split(";")[0].strip()
            if first in _WRAPPER_FORMATS:  # Virtuoso obeys SPARQLWrapper's format= parameter over Accept
                wrapper.setReturnFormat(_WRAPPER_FORMATS[first])
            wrapper.addCustomHttpHeader("Accept", media)
            response = wrapper.query().response
            content_type = (response.headers.get("Content-Type") or media).split(";")[0].strip()
            return response.read(), content_type

        return self._with_retries(step, self.endpoint, call, read=True)

    # -- queries -------------------------------------------------------------------------------
    def select(self, query, *, default_graphs=None, bindings=None) -> list[Row]:
        result = self._json("SELECT query", query, default_graphs, bindings)
        if "results" not in result:
            raise StoreError(f"SELECT query on the SPARQL endpoint {self.endpoint}: expected a SELECT query")
        return Rows([{k: _term(v) for k, v in row.items()} for row in result["results"]["bindings"]],
                    result.get("head", {}).get("vars", []))

    def ask(self, query, *, default_graphs=None, bindings=None) -> bool:
        if self.dialect == "virtuoso":  # Virtuoso 7.2 answers ASK in XML only (406 for JSON)
            body, _ = self._raw("ASK query", query, "application/sparql-results+xml", default_graphs, bindings)
            import xml.etree.ElementTree as ET
            try:
                node = ET.fromstring(body).find("{http://www.w3.org/2005/sparql-results#}boolean")
            except ET.ParseError as exc:
                raise StoreError(f"ASK query on the SPARQL endpoint {self.endpoint}: unreadable answer: {exc}") from exc
            if node is None or node.text not in ("true", "false"):
                raise StoreError(f"ASK query on the SPARQL endpoint {self.endpoint}: expected an ASK query")
            return node.text == "true"
        result = self._json("ASK query", query, default_graphs, bindings)
        if "boolean" not in result:
            raise StoreError(f"ASK query on the SPARQL endpoint {self.endpoint}: expected an ASK query")
        return bool(result["boolean"])

    def construct(self, query, *, default_graphs=None, bindings=None) -> list[Triple]:
        body, media = self._raw("CONSTRUCT query", query, "application/n-triples, text/turtle;q=0.9",
                                default_graphs, bindings)
        return self._parse_graph("CONSTRUCT query", body, media)

    def _parse_graph(self, step: str, body: bytes, media: str) -> list[Triple]:
        fmt = _RDFLIB_FORMATS.get(media.lower())
        if fmt is None:
            raise StoreError(f"{step} on the SPARQL endpoint {self.endpoint}: unexpected answer of type {media!r}")
        graph = Graph()
        try:
            graph.parse(data=body, format=fmt)
        except Exception as exc:  # noqa: BLE001 - any parser error is the server's answer being bad
            raise StoreError(f"{step} on the SPARQL endpoint {self.endpoint}: unreadable {media} answer: {exc}") from exc
        return [(s, p, o if not (isinstance(o, Literal) and o.datatype is not None and str(o.datatype) == _XSD_STRING)
                 else Literal(str(o))) for s, p, o in graph]

    def query_serialized(self, query, *, result_format, default_graphs=None, bindings=None):
        if query_form(query) in ("CONSTRUCT", "DESCRIBE"):
            media = _GRAPH_MEDIA.get(result_format, _GRAPH_MEDIA["turtle"])
        else:
            media = _RESULT_MEDIA.get(result_format, _RESULT_MEDIA["json"])
        return self._raw("query", query, media, default_graphs, bindings)

    # -- writes --------------------------------------------------------------------------------
    def update(self, update: str) -> None:
        def call() -> None:
            wrapper = self._wrapper(self.update_endpoint, update=True)
            wrapper.setQuery(self._prepare(update))
            wrapper.query().response.read()

        self._with_retries("SPARQL update", self.update_endpoint, call, read=False)

    def _insert_data(self, graph: str, triples: Sequence[Triple]) -> None:
        self.update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{_ntriples(triples)}}} }}")

    def _gsp_post(self, graph: str, triples: Sequence[Triple]) -> None:
        url = self.graph_store_endpoint + "?" + urllib.parse.urlencode({"graph": graph})

        def call() -> None:
            self._http("POST", url, data=_ntriples(triples).encode("utf-8"),
                       headers={"Content-Type": "application/n-triples"}).read()

        self._with_retries("Graph Store Protocol load", self.graph_store_endpoint, call, read=False)

    def add(self, graph: str, triples: Iterable[Triple]) -> int:
        items = list(triples)
        if not items:
            return 0
        if len(items) <= self.batch_size:  # one INSERT DATA is atomic by itself
            self._insert_data(graph, items)
            return len(items)
        staging = LOAD_STAGING_PREFIX + uuid.uuid4().hex
        try:
            if self.graph_store_endpoint:
                self._gsp_post(staging, items)
            else:
                for start in range(0, len(items), self.batch_size):
                    self._insert_data(staging, items[start:start + self.batch_size])
            self.update(f"ADD SILENT GRAPH <{staging}> TO <{graph}> ; DROP SILENT GRAPH <{staging}>")
        except StoreError as exc:
            try:
                self.update(f"DROP SILENT GRAPH <{staging}>")
            except StoreError:
                pass  # the server is gone; recover() drops the staging graph next time
            raise StoreError(f"loading {len(items)} triples into <{graph}> failed, the graph is unchanged: {exc}") from exc
        return len(items)

    # -- whole graphs ---------------------------------------------------------------------------
    def triples(self, graph: str) -> Iterable[Triple]:
        if self.graph_store_endpoint:
            url = self.graph_store_endpoint + "?" + urllib.parse.urlencode({"graph": graph})

            def call() -> tuple[bytes, str]:
                try:
                    response = self._http("GET", url, headers={"Accept": "application/n-triples"})
                except urllib.error.HTTPError as exc:
                    if exc.code == 404:  # no such graph: no triples
                        return b"", "application/n-triples"
                    raise
                media = (response.headers.get("Content-Type") or "application/n-triples").split(";")[0]
                return response.read(), media

            body, media = self._with_retries("reading a graph", self.graph_store_endpoint, call, read=True)
            return self._parse_graph("reading a graph", body, media)
        out: list[Triple] = []
        offset = 0
        while True:
            rows = self.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} "
                               f"ORDER BY ?s ?p ?o LIMIT {self.page_size} OFFSET {offset}")
            out += [(r["s"], r["p"], r["o"]) for r in rows]
            if len(rows) < self.page_size:
                return out
            offset += self.page_size

    def count(self, graph: str) -> int:
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return int(rows[0]["n"]) if rows else 0

    def graph_names(self) -> list[str]:
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(str(r["g"]) for r in rows if isinstance(r.get("g"), URIRef))

    def recover(self) -> list[str]:
        """Drop staging graphs a crashed run or bulk load left behind; returns their names.

        Only RightsGraph's own ``.../graph/staging/...`` graphs are touched. Do not open a store with
        ``recover=True`` while another process is reasoning over the same store.
        """
        rows = self.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                           f"FILTER(STRSTARTS(STR(?g), \"{STAGING_PREFIX}\")) }}")
        left = sorted(str(r["g"]) for r in rows)
        if left:
            self.clear(*left)
        return left

    def close(self) -> None:
        """Nothing to release: every request is a connection of its own."""
