"""Parsing what users type: jurisdictions, dates, CURIEs, and compact display of IRIs."""
from __future__ import annotations

import datetime as dt

from rdflib import Literal, URIRef
from rdflib.term import Node

from rightsgraph.errors import InputError
from rightsgraph.graphs import JURISDICTION_BASE, RG

PREFIXES: dict[str, str] = {
    "rg": RG,
    "jur": JURISDICTION_BASE,
    "src": "https://w3id.org/rightsgraph/source/",
    "rule": "https://w3id.org/rightsgraph/rule/",
    "concl": "https://w3id.org/rightsgraph/conclusion/",
    "case": "https://w3id.org/rightsgraph/case/",
    "rgg": "https://w3id.org/rightsgraph/graph/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "odrl": "http://www.w3.org/ns/odrl/2/",
    "dcterms": "http://purl.org/dc/terms/",
    "sh": "http://www.w3.org/ns/shacl#",
    "eli": "http://data.europa.eu/eli/",
}


def parse_date(text: str | dt.date) -> dt.date:
    if isinstance(text, dt.date):
        return text
    try:
        return dt.date.fromisoformat(str(text))
    except ValueError:
        raise InputError(f"bad date {text!r}: write it as YYYY-MM-DD, e.g. 2023-11-27") from None


def expand(text: str) -> URIRef:
    """A CURIE with a known prefix, ``<iri>`` or a full IRI, as a URIRef."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    if "://" in text or text.startswith("urn:"):
        return URIRef(text)
    prefix, sep, rest = text.partition(":")
    if sep and prefix in PREFIXES:
        return URIRef(PREFIXES[prefix] + rest)
    raise InputError(f"cannot read {text!r} as an IRI: use a full IRI or a prefix among {', '.join(PREFIXES)}")


def compact(term: Node) -> str:
    """The shortest readable form of a term, for tables and proof trees."""
    if isinstance(term, URIRef):
        value = str(term)
        best = None
        for prefix, ns in PREFIXES.items():
            if value.startswith(ns) and (best is None or len(ns) > len(PREFIXES[best])):
                best = prefix
        return f"{best}:{value[len(PREFIXES[best]):]}" if best else f"<{value}>"
    if isinstance(term, Literal):
        return str(term)
    return str(term)
