"""MLCommons Croissant dataset descriptions (JSON-LD), read offline with ``mlcroissant``.

Maps the dataset (its ``url`` when it is an http(s) IRI, e.g. its Hugging Face page, so that a
model card naming it meets the same node), its licence, its creators (curators), the date
published, and each file of its distribution as a creation included in the dataset, with its
content URL and, where the JSON-LD gives one, its creator.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from rdflib import RDF, Literal, URIRef, XSD

from rightsgraph.errors import InputError
from rightsgraph.importers import licences
from rightsgraph.importers._base import (RG, ImportResult, Mapping, date_literal, mint, parse_date, read_text,
                                         work_iri)

MAX_BYTES = 20 * 1024 * 1024


def _items(value: object) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _agent(m: Mapping, value: object) -> URIRef | None:
    if isinstance(value, str):
        value = {"@type": "Person", "name": value}
    if not isinstance(value, dict) or not value.get("name"):
        return None
    kind = str(value.get("@type", "Person")).rsplit(":", 1)[-1]
    cls = RG.NaturalPerson if kind == "Person" else RG.LegalPerson
    url = value.get("url") or value.get("@id")
    node = URIRef(url) if isinstance(url, str) and url.startswith(("http://", "https://")) else \
        mint("agent", "person" if cls == RG.NaturalPerson else "organisation", value["name"])
    m.add(node, RDF.type, cls)
    m.label(node, value["name"])
    return node


def import_croissant(path: str | Path, *, read_on: dt.date | None = None) -> ImportResult:
    import mlcroissant as mlc

    data, text = read_text(path, limit=MAX_BYTES)
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}") from None
    if not isinstance(raw, dict):
        raise InputError(f"{path}: a Croissant description is a JSON object")
    try:
        dataset = mlc.Dataset(jsonld=raw)
        meta = dataset.metadata
    except Exception as exc:  # mlcroissant raises ValidationError and others
        first = str(exc).strip().splitlines()
        raise InputError(f"{path}: not a valid Croissant description: {' '.join(first[:6])}") from None

    m = Mapping("croissant", path, data, read_on)
    url = raw.get("url") or raw.get("@id")
    ds = URIRef(url) if isinstance(url, str) and url.startswith(("http://", "https://")) else mint("dataset", m.sha256)
    m.add(ds, RDF.type, RG.Dataset)
    m.label(ds, meta.name)
    for lic in _items(raw.get("license")):
        value = lic.get("@id") or lic.get("url") or lic.get("name") if isinstance(lic, dict) else lic
        iri, warning = licences.resolve(value)
        if iri is not None:
            m.add(ds, RG.licence, iri)
        elif warning:
            m.warn(warning)
    for creator in _items(raw.get("creator")):
        agent = _agent(m, creator)
        if agent is not None:
            m.add(ds, RG.curatedBy, agent)
    published = parse_date(raw.get("datePublished"), str(path))
    if published:
        m.add(ds, RG.publishedOn, date_literal(published))
    for item in _items(raw.get("distribution")):
        if not isinstance(item, dict):
            continue
        content_url = item.get("contentUrl")
        node = work_iri(content_url) if content_url else mint("work", str(ds), item.get("@id") or item.get("name"))
        m.add(ds, RG.includesWork, node)
        m.add(node, RDF.type, RG.Creation)
        if item.get("name"):
            m.add(node, RG.title, Literal(str(item["name"])))
        if content_url:
            m.add(node, RG.contentUrl, Literal(content_url, datatype=XSD.anyURI))
        for creator in _items(item.get("creator")):
            agent = _agent(m, creator)
            if agent is not None:
                m.add(node, RG.createdBy, agent)
    return m.result()
