"""The SPARQL 1.1 endpoint, queried with SPARQLWrapper as a real client would.

The server runs in-process on 127.0.0.1, port 0 (a free port), in a thread, over the same scenario
knowledge base as tests/test_queries.py (Li v. Liu plus a small extension, reasoned for CN), and its
answers are compared with the embedded API's.
"""
from __future__ import annotations

import csv
import io
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from rightsgraph import queries as library
from rightsgraph.api import KnowledgeBase
from rightsgraph.graphs import FACTS
from rightsgraph.server import make_server, negotiate
from rightsgraph.store.base import with_values
from test_queries import EXPECTED_QUERIES, build_scenario, params_for, run

RG = "https://w3id.org/rightsgraph/ontology#"
INFRINGEMENTS = f"""PREFIX rg: <{RG}>
SELECT ?d ?act ?right ?status WHERE {{
  ?d a rg:InfringementDetermination ; rg:act ?act ; rg:right ?right ; rg:status ?status .
}} ORDER BY ?d"""
CONSTRUCT = f"""PREFIX rg: <{RG}>
CONSTRUCT {{ ?d ?p ?o }} WHERE {{ ?d a rg:OwnershipDetermination ; ?p ?o }}"""


class Running:
    """A server started on a free port in a thread; ``stop()`` shuts it down and frees the port."""

    def __init__(self, kb, **options):
        self.server = make_server(kb, "127.0.0.1", 0, **options)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = self.server.url
        self.base = self.url.rsplit("/", 1)[0]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return build_scenario()


@pytest.fixture(scope="module")
def endpoint(kb):
    running = Running(kb, timeout_s=30)
    yield running
    running.stop()
    assert not running.thread.is_alive()


def client(url: str, query: str, fmt: str, method: str | None = None) -> SPARQLWrapper:
    sparql = SPARQLWrapper(url)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    if method == "post":
        sparql.setMethod(POST)
    elif method == "direct":
        sparql.setMethod(POST)
        sparql.setRequestMethod(POSTDIRECTLY)
    return sparql


def json_rows(result: dict) -> list[dict[str, str]]:
    return [{k: v["value"] for k, v in b.items()} for b in result["results"]["bindings"]]


def api_rows(rows: list[dict]) -> list[dict[str, str]]:
    return [{k: str(v) for k, v in r.items()} for r in rows]


def construct(kb: KnowledgeBase, query: str) -> Graph:
    """The API's answer to a CONSTRUCT, as an rdflib graph.

    Through the store rather than ``kb.query``: ``api._query_form`` strips ``#...`` as a comment even
    inside ``<...#>`` IRIs, so a CONSTRUCT with such a PREFIX is run as a SELECT there (reported).
    """
    graph = Graph()
    for triple in kb.store.construct(query):
        graph.add(triple)
    return graph


def http(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


# -- SPARQLWrapper as the client ------------------------------------------------------------
@pytest.mark.parametrize("method", [None, "post", "direct"])
def test_select_json_equals_api(endpoint, kb, method):
    result = client(endpoint.url, INFRINGEMENTS, JSON, method).query().convert()
    expected = api_rows(kb.query(INFRINGEMENTS))
    assert len(expected) == 2
    assert json_rows(result) == expected


def test_select_xml_equals_api(endpoint, kb):
    document = client(endpoint.url, INFRINGEMENTS, XML).query().convert()
    rows = []
    for result in document.getElementsByTagName("result"):
        row = {}
        for binding in result.getElementsByTagName("binding"):
            value = binding.firstChild
            row[binding.getAttribute("name")] = value.firstChild.nodeValue
        rows.append(row)
    assert rows == api_rows(kb.query(INFRINGEMENTS))


def test_select_csv_equals_api(endpoint, kb):
    data = client(endpoint.url, INFRINGEMENTS, CSV).query().convert()
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert rows == api_rows(kb.query(INFRINGEMENTS))


def test_construct_turtle_equals_api(endpoint, kb):
    data = client(endpoint.url, CONSTRUCT, TURTLE).query().convert()
    graph = Graph().parse(data=data, format="turtle")
    expected = construct(kb, CONSTRUCT)
    assert len(graph) == len(expected) > 0
    assert isomorphic(graph, expected)


def test_ask(endpoint, kb):
    ask = f"ASK {{ ?d a <{RG}ContractConflictDetermination> }}"
    assert client(endpoint.url, ask, JSON).query().convert()["boolean"] is kb.query(ask) is True


@pytest.mark.parametrize("name", sorted(EXPECTED_QUERIES))
def test_every_library_query_over_the_endpoint(endpoint, kb, name):
    params = params_for(name, kb)
    expected = api_rows(run(kb, name, **params))
    assert expected
    # the library route, as a plain HTTP client
    url = f"{endpoint.base}/queries/{name}"
    if params:
        url += "?" + urllib.parse.urlencode(params)
    status, media, body = http(url, headers={"Accept": "application/sparql-results+json"})
    assert status == 200, body
    assert media.startswith("application/sparql-results+json")
    assert json_rows(json.loads(body)) == expected
    # the protocol route with SPARQLWrapper, the parameters bound as the store binds them
    entry = library.get(name)
    text = with_values(entry.text, entry.bind(params))
    assert json_rows(client(endpoint.url, text, JSON, "post").query().convert()) == expected


# -- errors, updates and limits ---------------------------------------------------------------
def test_bad_query_gives_400(endpoint):
    with pytest.raises(QueryBadFormed) as info:
        client(endpoint.url, "SELECT ?s WHERE { ?s ?p", JSON).query()
    assert "syntax" in str(info.value).lower()
    status, media, body = http(endpoint.url + "?query=" + urllib.parse.quote("SELEC * {}"))
    assert (status, media.split(";")[0]) == (400, "text/plain")
    assert body.strip()
    assert http(endpoint.url)[0] == 400  # no query at all
    assert http(f"{endpoint.base}/queries/no-such-query")[0] == 404
    assert http(f"{endpoint.base}/queries/rights-holders")[0] == 400  # a required parameter is missing


def test_update_refused_when_read_only(endpoint, kb):
    before = kb.store.count(FACTS)
    sparql = SPARQLWrapper(endpoint.url)
    sparql.setQuery(f"DROP GRAPH <{FACTS}>")
    sparql.setMethod(POST)
    with pytest.raises(urllib.error.HTTPError) as info:
        sparql.query()
    assert info.value.code == 403
    status, _, _ = http(endpoint.url, data=f"DROP GRAPH <{FACTS}>".encode(),
                        headers={"Content-Type": "application/sparql-update"})
    assert status == 403
    assert kb.store.count(FACTS) == before


def test_parameter_injection_over_http(endpoint, kb):
    before = kb.store.count(FACTS)
    value = "x> } ; DROP ALL ; #"
    status, _, _ = http(f"{endpoint.base}/queries/rights-holders?" + urllib.parse.urlencode({"work": value}))
    assert status == 400
    status, _, _ = http(f"{endpoint.base}/queries/rights-holders?" +
                        urllib.parse.urlencode({"work": "http://example.org/" + value}))
    assert status == 400
    assert kb.store.count(FACTS) == before


def test_updates_when_allowed():
    kb = KnowledgeBase()
    running = Running(kb, allow_updates=True)
    try:
        sparql = SPARQLWrapper(running.url)
        sparql.setQuery(f"INSERT DATA {{ GRAPH <{FACTS}> {{ <urn:x:a> <urn:x:b> 'c' }} }}")
        sparql.setMethod(POST)
        sparql.query()
        assert kb.store.count(FACTS) == 1
        status, _, _ = http(running.url, data=b"DELETE WHERE { ?s ?p ?o", headers={
            "Content-Type": "application/sparql-update"})
        assert status == 400
        # updates go by POST only
        assert http(running.url + "?update=" + urllib.parse.quote("CLEAR ALL"))[0] == 405
        assert kb.store.count(FACTS) == 1
    finally:
        running.stop()


class _SlowStore:
    def query_serialized(self, query, **kwargs):
        time.sleep(2)
        return b"{}", "application/sparql-results+json"


class _SlowKB:
    store = _SlowStore()


def test_time_limit_gives_503():
    running = Running(_SlowKB(), timeout_s=0.2)
    try:
        started = time.monotonic()
        status, _, body = http(running.url + "?query=" + urllib.parse.quote("SELECT * WHERE { ?s ?p ?o }"))
        assert status == 503
        assert b"did not finish" in body
        assert time.monotonic() - started < 1.5
    finally:
        running.stop()


def test_binds_localhost_by_default(endpoint):
    assert endpoint.server.server_address[0] == "127.0.0.1"


@pytest.mark.parametrize("accept, expected", [
    (None, ("json", "turtle")),
    ("*/*", ("json", "turtle")),
    ("text/csv", ("csv", "turtle")),
    ("text/tab-separated-values;q=0.5, application/sparql-results+xml", ("xml", "turtle")),
    ("application/n-triples", ("json", "ntriples")),
    ("application/ld+json, application/rdf+xml;q=0.9", ("json", "jsonld")),
])
def test_negotiation(accept, expected):
    assert negotiate(accept) == expected


def test_construct_formats_over_http(endpoint, kb):
    expected = construct(kb, CONSTRUCT)
    for accept, fmt in [("application/n-triples", "nt"), ("application/rdf+xml", "xml"),
                        ("application/ld+json", "json-ld"), ("text/turtle", "turtle")]:
        status, media, body = http(endpoint.url, data=CONSTRUCT.encode(),
                                   headers={"Content-Type": "application/sparql-query", "Accept": accept})
        assert status == 200 and media.split(";")[0] == accept
        assert isomorphic(Graph().parse(data=body, format=fmt), expected), accept


def test_tsv_over_http(endpoint, kb):
    status, media, body = http(endpoint.url + "?query=" + urllib.parse.quote(INFRINGEMENTS),
                               headers={"Accept": "text/tab-separated-values"})
    assert status == 200 and media.startswith("text/tab-separated-values")
    lines = body.decode().strip().splitlines()
    assert lines[0].split("\t") == ["?d", "?act", "?right", "?status"]
    assert len(lines) == 1 + len(kb.query(INFRINGEMENTS))
