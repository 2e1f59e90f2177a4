"""Licence strings to licence IRIs: SPDX ids, Hugging Face licence ids, Creative Commons URLs and names.

The licences the rules understand are the ``rg:Licence`` individuals of
``ontology/licences/creative-commons.ttl`` (with their permits / requires / prohibits); a string
that names none of them gives ``None`` and a warning for the caller to record, never an error.
"""
from __future__ import annotations

import re
from functools import lru_cache

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SKOS

from rightsgraph import resources
from rightsgraph.importers._base import RG

_CC = re.compile(r"^(?:https?://)?(?:www\.)?creativecommons\.org/(licenses|publicdomain)/([a-z-]+)/(\d\.\d)", re.I)
#: Hugging Face and common spellings that are not SPDX ids, to SPDX ids (as lower case).
_ALIASES = {
    "cc0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "cc0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/", "creativeml-openrail-m": "creativeml-openrail-m",
    "bigscience-openrail-m": "bigscience-openrail-m", "apache 2.0": "apache-2.0", "apache-2": "apache-2.0",
    "apache license 2.0": "apache-2.0", "the mit license": "mit", "mit license": "mit",
}


@lru_cache(maxsize=1)
def known_licences() -> dict[str, URIRef]:
    """Every encoded licence by its lower-case notation (SPDX id) and by its IRI."""
    graph = Graph().parse(resources.ONTOLOGY_DIR / "licences" / "creative-commons.ttl")
    table: dict[str, URIRef] = {}
    for lic in graph.subjects(RDF.type, RG.Licence):
        table[str(lic).lower()] = lic
        for notation in graph.objects(lic, SKOS.notation):
            table[str(notation).lower()] = lic
    return table


def _cc_url(kind: str, code: str, version: str) -> str:
    return f"https://creativecommons.org/{kind.lower()}/{code.lower()}/{version}/"


def resolve(value: object) -> tuple[URIRef | None, str | None]:
    """``(licence IRI, None)`` or ``(None, warning)`` for a licence string, SPDX id or URL."""
    if value is None or str(value).strip() == "":
        return None, None
    text = str(value).strip()
    table = known_licences()
    m = _CC.match(text)
    if m:
        iri = table.get(_cc_url(*m.groups()))
        return (iri, None) if iri else (None, f"Creative Commons licence {text!r} is not encoded in the ontology")
    key = text.lower()
    if key.startswith(("http://spdx.org/licenses/", "https://spdx.org/licenses/")):
        key = key.rsplit("/", 1)[-1].removesuffix(".html").removesuffix(".json")
    key = _ALIASES.get(key, key)
    if key in table:
        return table[key], None
    # Hugging Face writes CC licences as cc-by-nc-4.0; SPDX as CC-BY-NC-4.0.
    m = re.fullmatch(r"cc-(by(?:-nc)?(?:-nd|-sa)?)-(\d\.\d)", key)
    if m:
        iri = table.get(_cc_url("licenses", m.group(1), m.group(2)))
        if iri:
            return iri, None
    return None, f"unknown licence {text!r}: not mapped (no licence terms will be used for it)"
