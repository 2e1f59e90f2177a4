"""The JSON API of the web page, and the page itself, for :mod:`rightsgraph.server`.

Routes (all on the SPARQL server):

``GET /`` and ``GET /assets/...``
    The page, built with Vite from ``web/src`` into ``rightsgraph/web/dist`` (committed, so the wheel
    needs no npm).
``GET /api/cases``
    The bundled case graphs: ``[{"name": "li-v-liu", "label": "..."}]``.
``POST /api/analyse`` with a JSON body ``{"case": NAME | "turtle": TEXT, "jurisdictions": [...], "as_of": "YYYY-MM-DD"}``
    Loads the facts into a fresh :class:`~rightsgraph.api.KnowledgeBase` (the server's own knowledge base is
    untouched), reasons, and returns ``{"id", "report": case_report(kb).to_json(), "labels", "chain"}``.
    The chain graph is the ``chain-behind-output`` query of the library, run over that knowledge base.
``GET /api/explain?id=ID&iri=IRI``
    The proof tree of a conclusion of an analysed knowledge base (``Explanation.to_json``), with the
    labels of its legal sources. The last few analysed knowledge bases are kept by id.

``/sparql`` and ``/queries/NAME`` accept ``session=ID`` to run over an analysed knowledge base instead
of the server's own.
"""
from __future__ import annotations

import json
import mimetypes
import threading
import time
import uuid
from collections import OrderedDict
from functools import lru_cache
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rightsgraph import resources
from rightsgraph.errors import RightsGraphError
from rightsgraph.terms import compact

if TYPE_CHECKING:  # pragma: no cover
    from rightsgraph.api import KnowledgeBase

DIST = Path(__file__).resolve().parent / "web" / "dist"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
MAX_SESSIONS = 8


class Sessions:
    """The last ``size`` analysed knowledge bases by id; the oldest is closed when a new one comes."""

    def __init__(self, size: int = MAX_SESSIONS) -> None:
        self.size = size
        self._items: OrderedDict[str, "KnowledgeBase"] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, kb: "KnowledgeBase") -> str:
        key = uuid.uuid4().hex
        with self._lock:
            self._items[key] = kb
            while len(self._items) > self.size:
                _, old = self._items.popitem(last=False)
                old.close()
        return key

    def get(self, key: str) -> "KnowledgeBase | None":
        with self._lock:
            kb = self._items.get(key)
            if kb is not None:
                self._items.move_to_end(key)
            return kb


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def bundled_cases() -> list[dict[str, str]]:
    cases = []
    for path in sorted(resources.CASES_DIR.glob("*.ttl")):
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        cases.append({"name": path.stem, "label": first.lstrip("# ").strip() if first.startswith("#") else path.stem})
    return cases


@lru_cache(maxsize=1)
def source_labels() -> dict[str, str]:
    """Labels of the legal sources the rules cite (``reasoning/sources.ttl``), for the proof view."""
    from rdflib import Graph, URIRef
    graph = Graph()
    path = resources.REASONING_DIR / "sources.ttl"
    if path.exists():
        graph.parse(path, format="turtle")
    labels: dict[str, str] = {}
    for s, o in graph.subject_objects(URIRef(RDFS_LABEL)):
        if getattr(o, "language", None) in (None, "en") or str(s) not in labels:
            labels[str(s)] = str(o)
    return labels


def chain_graph(kb: "KnowledgeBase") -> dict[str, Any]:
    """Nodes and edges of the chain behind every output, from the ``chain-behind-output`` query."""
    from rightsgraph import queries as library
    entry = library.get("chain-behind-output")
    rows = kb.query(entry.text, bindings=entry.bind({}))
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[tuple[str, str, str], dict[str, str]] = {}
    for row in rows:  # type: ignore[union-attr]
        ends = []
        for end in ("from", "to"):
            iri = str(row[end])
            node = nodes.setdefault(iri, {"id": iri, "label": None, "kinds": []})
            kind = str(row[end + "Kind"])
            if kind not in node["kinds"]:
                node["kinds"].append(kind)
            if node["label"] is None and row.get(end + "Label") is not None:
                node["label"] = str(row[end + "Label"])
            ends.append(iri)
        key = (ends[0], str(row["edge"]), ends[1])
        edges.setdefault(key, {"source": ends[0], "target": ends[1], "label": key[1], "output": str(row["output"])})
    for node in nodes.values():
        node["label"] = node["label"] or compact_text(node["id"])
    return {"nodes": list(nodes.values()), "edges": list(edges.values())}


def compact_text(iri: str) -> str:
    from rdflib import URIRef
    return compact(URIRef(iri))


def analyse(sessions: Sessions, payload: dict[str, Any]) -> dict[str, Any]:
    from rightsgraph.api import KnowledgeBase
    from rightsgraph.report import case_report
    jurisdictions = payload.get("jurisdictions") or ["CN"]
    if not isinstance(jurisdictions, list) or not all(isinstance(j, str) for j in jurisdictions):
        raise ApiError(HTTPStatus.BAD_REQUEST, "jurisdictions must be a list of codes such as [\"CN\", \"US\"]")
    as_of = payload.get("as_of") or None
    kb = KnowledgeBase()
    try:
        started = time.perf_counter()
        if payload.get("turtle"):
            kb.load_text(str(payload["turtle"]), source="<pasted Turtle>")
        elif payload.get("case"):
            kb.load_case(str(payload["case"]).removesuffix(".ttl").split("/")[-1])
        else:
            raise ApiError(HTTPStatus.BAD_REQUEST, "give a bundled case name (\"case\") or Turtle text (\"turtle\")")
        kb.reason(jurisdictions, as_of=as_of)
        report = case_report(kb, with_proofs=False)
        chain = chain_graph(kb)
        labels = {compact_text(k): v for k, v in report.labels.items()}
        labels.update({k: v for k, v in report.labels.items()})
        chosen = kb.resolve_jurisdictions(jurisdictions)
        seconds = round(time.perf_counter() - started, 3)
    except BaseException:
        kb.close()
        raise
    key = sessions.add(kb)
    return {"id": key, "report": report.to_json(), "labels": labels, "chain": chain,
            "jurisdictions": [{"iri": j, "code": j.rsplit("/", 1)[-1], "label": report.labels.get(j, j.rsplit("/", 1)[-1])}
                              for j in chosen],
            "as_of": as_of, "seconds": seconds}


def explain(sessions: Sessions, key: str, iri: str) -> dict[str, Any]:
    kb = sessions.get(key)
    if kb is None:
        raise ApiError(HTTPStatus.NOT_FOUND, "no such analysis (it may have expired): analyse the case again")
    if not iri:
        raise ApiError(HTTPStatus.BAD_REQUEST, "missing the iri parameter")
    tree = kb.explain(iri).to_json(compact)
    sources = {s for d in _derivations(tree) for s in d["legal_sources"]}
    labels = source_labels()
    return {**tree, "source_labels": {s: labels.get(s, s) for s in sorted(sources)}}


def _derivations(tree: dict[str, Any]):
    stack = list(tree.get("derivations", []))
    while stack:
        d = stack.pop()
        yield d
        stack += [p["derivation"] for p in d.get("premises", []) if "derivation" in p]


def static_file(path: str) -> tuple[bytes, str] | None:
    """A file of the built page, or None; never outside ``dist``."""
    relative = "index.html" if path in ("", "/", "/index.html") else path.lstrip("/")
    target = (DIST / relative).resolve()
    if DIST.resolve() not in target.parents or not target.is_file():
        return None
    media = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    if target.suffix == ".js":
        media = "text/javascript"
    return target.read_bytes(), media


def handle(handler: Any, method: str, path: str, params: dict[str, list[str]], body: bytes) -> bool:
    """Answer a web request; False when ``path`` is not one of the page's routes."""
    server = handler.server
    try:
        if path == "/api/cases" and method in ("GET", "HEAD"):
            result: Any = bundled_cases()
        elif path == "/api/analyse" and method == "POST":
            try:
                payload = json.loads(body.decode("utf-8") or "{}")
            except ValueError as exc:
                raise ApiError(HTTPStatus.BAD_REQUEST, f"the body is not JSON: {exc}") from None
            if not isinstance(payload, dict):
                raise ApiError(HTTPStatus.BAD_REQUEST, "the body must be a JSON object")
            with server.analysis_slots:
                result = analyse(server.sessions, payload)
        elif path == "/api/explain" and method in ("GET", "HEAD"):
            result = explain(server.sessions, params.get("id", [""])[0], params.get("iri", [""])[0])
        elif path.startswith("/api/"):
            raise ApiError(HTTPStatus.NOT_FOUND, f"no such API route {path}")
        elif method in ("GET", "HEAD"):
            found = static_file(path)
            if found is None:
                if path == "/":
                    handler._send(HTTPStatus.OK, b"RightsGraph SPARQL endpoint: /sparql (SPARQL 1.1 Protocol), "
                                  b"/queries (the query library); the page is not built (npm run build in web/)\n",
                                  "text/plain; charset=utf-8")
                    return True
                return False
            handler._send(HTTPStatus.OK, found[0], found[1], {"Cache-Control": "no-cache"})
            return True
        else:
            return False
    except ApiError as exc:
        result, status = {"error": str(exc)}, exc.status
    except RightsGraphError as exc:
        result, status = {"error": str(exc)}, HTTPStatus.BAD_REQUEST
    except (BrokenPipeError, ConnectionResetError):
        raise
    except Exception as exc:  # reported to the page, which shows it, instead of a dropped connection
        result, status = {"error": f"{type(exc).__name__}: {exc}"}, HTTPStatus.INTERNAL_SERVER_ERROR
    else:
        status = HTTPStatus.OK
    handler._send(status, json.dumps(result, ensure_ascii=False).encode("utf-8"), "application/json")
    return True
