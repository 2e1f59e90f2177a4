"""The query library: one documented ``.rq`` file per user question, in ``queries/``.

Each file starts with a header of ``#+`` comment lines that stays valid SPARQL (after grlc's
convention) and is YAML once the ``#+`` is stripped::

    #+ summary: Who holds which rights in a work, per jurisdiction
    #+ description: Established ownership determinations ...
    #+ params:
    #+   work: {type: iri, description: the creation}
    #+ example:
    #+   work: case:li-v-liu/image

Parameters are variables of the query, bound as RDF terms by the store (SEP-0007 substitution on
Oxigraph, a ``VALUES`` block on remote endpoints), never pasted into the query text.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from rightsgraph.errors import InputError
from rightsgraph.graphs import JURISDICTION_BASE
from rightsgraph.resources import QUERIES_DIR
from rightsgraph.terms import expand, parse_date

PARAM_TYPES = ("iri", "jurisdiction", "date", "string", "integer", "boolean")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    description: str = ""
    required: bool = True


@dataclass
class LibraryQuery:
    name: str
    path: Path
    text: str
    summary: str
    description: str
    params: list[Param] = field(default_factory=list)
    example: dict[str, Any] = field(default_factory=dict)

    def bind(self, values: dict[str, str]) -> dict[str, Identifier]:
        """Turn user-given strings into typed terms, checking names, types and required parameters."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise InputError(f"query {self.name!r} has no parameter {', '.join(unknown)}; "
                             f"its parameters: {', '.join(known) or 'none'}")
        bound: dict[str, Identifier] = {}
        for param in self.params:
            if param.name not in values:
                if param.required:
                    raise InputError(f"query {self.name!r} needs --param {param.name}=... ({param.type}: {param.description})")
                continue
            bound[param.name] = convert(param, str(values[param.name]))
        return bound


def convert(param: Param, value: str) -> Identifier:
    if param.type == "iri":
        return expand(value)
    if param.type == "jurisdiction":
        return URIRef(JURISDICTION_BASE + value.upper()) if "/" not in value else expand(value)
    if param.type == "date":
        return Literal(parse_date(value).isoformat(), datatype=XSD.date)
    if param.type == "integer":
        try:
            return Literal(int(value))
        except ValueError:
            raise InputError(f"parameter {param.name} must be an integer, got {value!r}") from None
    if param.type == "boolean":
        if value.lower() not in ("true", "false"):
            raise InputError(f"parameter {param.name} must be true or false, got {value!r}")
        return Literal(value.lower() == "true")
    return Literal(value)


def parse_header(path: Path, text: str) -> LibraryQuery:
    header = "\n".join(line[2:] if len(line) > 2 else "" for line in text.splitlines() if line.startswith("#+"))
    try:
        meta = yaml.safe_load(header) or {}
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: the #+ header is not valid YAML: {exc}") from None
    params = []
    for name, spec in (meta.get("params") or {}).items():
        spec = spec if isinstance(spec, dict) else {"type": str(spec)}
        ptype = spec.get("type", "iri")
        if ptype not in PARAM_TYPES:
            raise InputError(f"{path}: parameter {name} has unknown type {ptype!r} (one of {', '.join(PARAM_TYPES)})")
        params.append(Param(name, ptype, spec.get("description", ""), bool(spec.get("required", True))))
    if not meta.get("summary"):
        raise InputError(f"{path}: the header needs a '#+ summary:' line")
    return LibraryQuery(path.stem, path, text, str(meta["summary"]), str(meta.get("description", "")).strip(),
                        params, dict(meta.get("example") or {}))


def library(directory: Path = QUERIES_DIR) -> dict[str, LibraryQuery]:
    return {p.stem: parse_header(p, p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.rq"))}


def get(name: str, directory: Path = QUERIES_DIR) -> LibraryQuery:
    queries = library(directory)
    if name not in queries:
        raise InputError(f"no query named {name!r} in {directory}; known: {', '.join(queries) or 'none'}")
    return queries[name]
