"""A SPARQL 1.1 Protocol endpoint over a knowledge base, on the standard library's HTTP server.

``rightsgraph serve`` starts it; in Python::

    from rightsgraph.api import KnowledgeBase
    from rightsgraph.server import serve
    kb = KnowledgeBase(); kb.load_case("li-v-liu"); kb.reason(["CN"], as_of="2023-11-27")
    serve(kb)                      # http://127.0.0.1:7878/sparql until Ctrl-C

Routes:

``/sparql``
    The SPARQL 1.1 Protocol: ``GET ?query=``, ``POST`` with ``application/x-www-form-urlencoded``
    (``query=``) or ``application/sparql-query``. ``default-graph-uri`` restricts the default graph
    (by default it is the union of every named graph: facts, ontology, entailments, conclusions,
    justifications, context). The result format follows ``Accept`` (or a ``format=`` parameter):
    ``application/sparql-results+json`` (default), ``+xml``, ``text/csv``, ``text/tab-separated-values``
    for SELECT and ASK; ``text/turtle`` (default), ``application/n-triples``, ``application/rdf+xml``,
    ``application/ld+json`` for CONSTRUCT and DESCRIBE. A malformed query gets ``400`` with a plain-text
    message. Updates (``update=`` or ``application/sparql-update``) get ``403`` unless the server was
    started with ``allow_updates=True``.
``/queries/<name>?param=value``
    Runs a query of the library (``queries/*.rq``) with its parameters bound as RDF terms, with the
    same content negotiation. ``/queries`` lists the library as JSON.
``/`` and ``/api/...``
    The web page and its JSON API (:mod:`rightsgraph.web_api`): ``/api/cases``, ``POST /api/analyse``
    (a fresh knowledge base per request), ``/api/explain``. ``session=ID`` on ``/sparql`` and
    ``/queries/<name>`` runs the query over a knowledge base analysed by the page instead.

Limits: each query runs in a worker thread and the client gets ``503`` when it has not finished
within ``timeout_s``. Python cannot kill a thread (and pyoxigraph has no way to cancel a running
query), so a query that timed out keeps running, and using CPU, in the background until it ends on
its own; the server only stops waiting for it. Worker threads are daemons, so they do not keep the
process alive on exit. At most ``workers`` queries run at once (4 by default): once every worker is
busy, a new query waits for a free one and gets ``503`` if none frees up within the time limit. The server binds ``127.0.0.1`` by default; it has no authentication,
so think before binding another address, and twice before allowing updates.
"""
from __future__ import annotations

import json
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from rightsgraph import web_api
from rightsgraph.errors import RightsGraphError
from rightsgraph.store.base import query_form

if TYPE_CHECKING:  # pragma: no cover
    from rightsgraph.api import KnowledgeBase

DEFAULT_PORT = 7878
DEFAULT_TIMEOUT_S = 30.0
MAX_BODY = 10 * 1024 * 1024
MAX_PAGE_BODY = 64 * 1024 * 1024  # a case graph pasted into the page (100k triples of N-Triples are ~17 MB)

#: Accepted media types (and short ``format=`` names) to the store's result formats.
RESULT_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json", "json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml", "xml": "xml",
    "text/csv": "csv", "csv": "csv",
    "text/tab-separated-values": "tsv", "tsv": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle", "application/x-turtle": "turtle", "turtle": "turtle",
    "application/n-triples": "ntriples", "text/plain": "ntriples", "ntriples": "ntriples", "nt": "ntriples",
    "application/rdf+xml": "rdfxml", "rdfxml": "rdfxml", "rdf": "rdfxml",
    "application/ld+json": "jsonld", "jsonld": "jsonld", "json-ld": "jsonld",
}


class QueryTimeout(Exception):
    pass


def negotiate(accept: str | None, format_param: str | None = None) -> tuple[str, str]:
    """The result format for SELECT/ASK and the one for CONSTRUCT/DESCRIBE, from ``Accept``.

    Media ranges are tried by their ``q`` value (then their order); ``*/*`` and unknown types fall
    back to SPARQL JSON and Turtle.
    """
    results, graphs = None, None
    if format_param:
        key = format_param.strip().lower()
        results, graphs = RESULT_TYPES.get(key), GRAPH_TYPES.get(key)
    ranges = []
    for index, item in enumerate((accept or "").split(",")):
        parts = [p.strip() for p in item.split(";")]
        media = parts[0].lower()
        q = 1.0
        for p in parts[1:]:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranges.append((-q, index, media))
    for _, _, media in sorted(ranges):
        if results is None and media in RESULT_TYPES:
            results = RESULT_TYPES[media]
        if graphs is None and media in GRAPH_TYPES:
            graphs = GRAPH_TYPES[media]
    return results or "json", graphs or "turtle"




class SparqlServer(ThreadingHTTPServer):
    """The HTTP server; holds the knowledge base, the options and the query worker pool."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], kb: "KnowledgeBase", *, allow_updates: bool = False,
                 timeout_s: float = DEFAULT_TIMEOUT_S, workers: int = 4) -> None:
        super().__init__(address, SparqlHandler)
        self.kb = kb
        self.allow_updates = allow_updates
        self.timeout_s = timeout_s
        self.slots = threading.BoundedSemaphore(workers)
        self.update_lock = threading.Lock()
        self.sessions = web_api.Sessions()
        self.analysis_slots = threading.BoundedSemaphore(2)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/sparql"

    def run(self, fn, *args, **kwargs):
        """Call ``fn`` in a daemon worker thread; raise :class:`QueryTimeout` after ``timeout_s``.

        The thread is not killed on timeout (Python cannot do that): it finishes in the background
        and holds its worker slot until then, so at most ``workers`` queries ever run at once.
        """
        deadline = time.monotonic() + self.timeout_s
        if not self.slots.acquire(timeout=self.timeout_s):
            raise QueryTimeout(f"the server is busy: no worker became free within {self.timeout_s:g} s")
        outcome: dict[str, Any] = {}

        def work() -> None:
            try:
                outcome["value"] = fn(*args, **kwargs)
            except BaseException as exc:  # handed to the request thread
                outcome["error"] = exc
            finally:
                self.slots.release()

        thread = threading.Thread(target=work, name="sparql-query", daemon=True)
        thread.start()
        thread.join(max(0.0, deadline - time.monotonic()))
        if thread.is_alive():
            raise QueryTimeout(f"the query did not finish within {self.timeout_s:g} s "
                               "(it keeps running in the background until it ends)")
        if "error" in outcome:
            raise outcome["error"]
        return outcome.get("value")


class SparqlHandler(BaseHTTPRequestHandler):
    server: SparqlServer
    kb: "KnowledgeBase | None" = None
    server_version = "RightsGraph-SPARQL/1"
    protocol_version = "HTTP/1.1"

    # -- plumbing --------------------------------------------------------------------------------
    def log_message(self, format: str, *args: Any) -> None:  # quiet by default
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)

    def _send(self, status: int, body: bytes, media_type: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type if "charset" in media_type or not media_type.startswith(
            ("text/", "application/sparql-results", "application/json", "application/ld+json"))
            else media_type + "; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self._send(status, (message.rstrip() + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def _body(self, limit: int = MAX_BODY) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > limit:
            raise ValueError("request body too large")
        return self.rfile.read(length) if length else b""

    # -- verbs -----------------------------------------------------------------------------------
    def do_GET(self) -> None:
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        self._route(url.path, params, None, None)

    do_HEAD = do_GET

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        try:
            body = self._body(MAX_PAGE_BODY if url.path.startswith("/api/") else MAX_BODY)
        except ValueError as exc:
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, str(exc))
            return
        if url.path.startswith("/api/"):
            self._route(url.path, params, None, None, body)
            return
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        query = update = None
        if media == "application/x-www-form-urlencoded":
            form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
        elif media == "application/sparql-query":
            query = body.decode("utf-8", "replace")
        elif media == "application/sparql-update":
            update = body.decode("utf-8", "replace")
        elif url.path.rstrip("/") == "/sparql":
            self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                        f"unsupported Content-Type {media!r}: use application/x-www-form-urlencoded, "
                        "application/sparql-query or application/sparql-update")
            return
        self._route(url.path, params, query, update)

    def do_PUT(self) -> None:
        self._error(HTTPStatus.METHOD_NOT_ALLOWED, "use GET or POST")

    do_DELETE = do_PATCH = do_PUT

    def _route(self, path: str, params: dict[str, list[str]], query: str | None, update: str | None,
               body: bytes = b"") -> None:
        path = path.rstrip("/") or "/"
        self.kb = None  # the server's own knowledge base unless a page session is named
        try:
            if "session" in params and (path == "/sparql" or path.startswith("/queries/")):
                self.kb = self.server.sessions.get(params.pop("session")[-1])
                if self.kb is None:
                    self._error(HTTPStatus.NOT_FOUND, "no such analysis session (it may have expired)")
                    return
            if path == "/sparql":
                self._sparql(params, query, update)
            elif path == "/queries":
                self._list_queries()
            elif path.startswith("/queries/"):
                self._library(unquote(path[len("/queries/"):]), params)
            elif web_api.handle(self, self.command, path, params, body):
                pass
            else:
                self._error(HTTPStatus.NOT_FOUND, f"no such resource {path}; the endpoint is /sparql")
        except QueryTimeout as exc:
            self._error(HTTPStatus.SERVICE_UNAVAILABLE, str(exc))
        except BrokenPipeError:  # the client went away
            pass

    # -- SPARQL protocol -------------------------------------------------------------------------
    def _sparql(self, params: dict[str, list[str]], query: str | None, update: str | None) -> None:
        if update is None and "update" in params:
            update = params["update"][0]
        if query is None and "query" in params:
            query = params["query"][0]
        if update is not None:
            if query is not None:
                self._error(HTTPStatus.BAD_REQUEST, "give a query or an update, not both")
                return
            if self.command != "POST" and self.server.allow_updates:
                self._error(HTTPStatus.METHOD_NOT_ALLOWED, "send updates with POST")
                return
            self._update(update)
            return
        if query is None:
            self._error(HTTPStatus.BAD_REQUEST, "missing the query parameter: /sparql?query=SELECT...")
            return
        if len(params.get("query", [])) > 1:
            self._error(HTTPStatus.BAD_REQUEST, "give exactly one query")
            return
        graphs = params.get("default-graph-uri") or None
        self._answer(query, graphs, {}, params.get("format", [None])[0])

    def _answer(self, query: str, graphs: list[str] | None, bindings: dict, format_param: str | None) -> None:
        results, rdf = negotiate(self.headers.get("Accept"), format_param)
        form = query_form(query)
        fmt = rdf if form in ("CONSTRUCT", "DESCRIBE") else results
        try:
            kb = self.kb if self.kb is not None else self.server.kb
            body, media = self.server.run(kb.store.query_serialized, query, result_format=fmt,
                                          default_graphs=graphs, bindings=bindings)
        except RightsGraphError as exc:
            self._error(HTTPStatus.BAD_REQUEST, str(exc))
            return
        except (SyntaxError, ValueError) as exc:
            self._error(HTTPStatus.BAD_REQUEST, f"bad query: {exc}")
            return
        except OSError as exc:
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"query failed: {exc}")
            return
        self._send(HTTPStatus.OK, body, media)

    def _update(self, update: str) -> None:
        if not self.server.allow_updates:
            self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only; start it with --allow-updates to accept updates")
            return
        try:
            with self.server.update_lock:
                self.server.run(self.server.kb.store.update, update)
        except RightsGraphError as exc:
            self._error(HTTPStatus.BAD_REQUEST, str(exc))
            return
        self._send(HTTPStatus.NO_CONTENT, b"", "text/plain")

    # -- the query library -----------------------------------------------------------------------
    def _list_queries(self) -> None:
        from rightsgraph import queries as library
        listing = [{"name": q.name, "summary": q.summary, "description": q.description,
                    "params": [{"name": p.name, "type": p.type, "required": p.required,
                                "description": p.description} for p in q.params],
                    "example": {k: str(v) for k, v in q.example.items()}, "text": q.text}
                   for q in library.library().values()]
        self._send(HTTPStatus.OK, json.dumps(listing, indent=2).encode("utf-8"), "application/json")

    def _library(self, name: str, params: dict[str, list[str]]) -> None:
        from rightsgraph import queries as library
        try:
            entry = library.get(name)
        except RightsGraphError as exc:
            self._error(HTTPStatus.NOT_FOUND, str(exc))
            return
        declared = {p.name for p in entry.params}
        # format/output/results are the result-format parameters SPARQL clients such as SPARQLWrapper
        # add; they are read as such unless the query declares a parameter of that name
        client_formats = {"format", "output", "results"} - declared
        format_param = params.get("format", [None])[0] if "format" in client_formats else None
        values = {k: v[-1] for k, v in params.items() if k not in client_formats}
        try:
            bindings = entry.bind(values)
        except RightsGraphError as exc:
            self._error(HTTPStatus.BAD_REQUEST, str(exc))
            return
        self._answer(entry.text, None, bindings, format_param)


def make_server(kb: "KnowledgeBase", host: str = "127.0.0.1", port: int = DEFAULT_PORT, *,
                allow_updates: bool = False, timeout_s: float = DEFAULT_TIMEOUT_S) -> SparqlServer:
    """The server, bound but not yet serving: call ``serve_forever()`` (in a thread, for tests) and
    ``shutdown()`` then ``server_close()`` to stop. ``port=0`` picks a free port (see ``.url``)."""
    return SparqlServer((host, port), kb, allow_updates=allow_updates, timeout_s=timeout_s)


def serve(kb: "KnowledgeBase", host: str = "127.0.0.1", port: int = DEFAULT_PORT, *, allow_updates: bool = False,
          timeout_s: float = DEFAULT_TIMEOUT_S, ready=None) -> None:
    """Serve until interrupted (Ctrl-C). ``ready`` is called with the endpoint URL once listening."""
    server = make_server(kb, host, port, allow_updates=allow_updates, timeout_s=timeout_s)
    if ready is not None:
        ready(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
