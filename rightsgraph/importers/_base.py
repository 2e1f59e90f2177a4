"""What every importer shares: the result type, the source-file node, deterministic IRIs and safe reading.

Every importer builds a fresh :class:`rdflib.Graph` and returns it only when the whole file was
mapped, so a failure never leaves a partial graph; ``KnowledgeBase.load(result.graph)`` then
writes all of it or nothing.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from rightsgraph.errors import InputError

RG = Namespace("https://w3id.org/rightsgraph/ontology#")
#: Nodes minted by the importers (source files, generations, agents, reservations, ...).
IMPORTED = "https://w3id.org/rightsgraph/import/"
HF = "https://huggingface.co/"


@dataclass
class ImportResult:
    """The facts read from one file, in the RightsGraph ontology, and what could not be mapped."""

    kind: str
    path: str
    graph: Graph
    source: URIRef
    warnings: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.graph)


def mint(kind: str, *parts: object) -> URIRef:
    """A deterministic IRI for a node of ``kind`` identified by ``parts``."""
    key = "\x1f".join(str(p) for p in parts)
    return URIRef(f"{IMPORTED}{kind}/{hashlib.sha256(key.encode()).hexdigest()[:32]}")


def work_iri(url: str) -> URIRef:
    """The creation found at ``url``: the same IRI whichever importer names it (Croissant, opt-outs)."""
    return mint("work", url.strip())


def hf_model_iri(repo_id: str) -> URIRef:
    return URIRef(HF + repo_id.strip().strip("/"))


def hf_dataset_iri(repo_id: str) -> URIRef:
    return URIRef(HF + "datasets/" + repo_id.strip().strip("/"))


def date_literal(value: dt.date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def parse_date(value: object, where: str) -> dt.date | None:
    """A date from a date, datetime or ISO string; ``None`` when absent; InputError when malformed."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise InputError(f"{where}: not a date: {text!r}") from None


class Mapping:
    """A graph under construction for one source file; every subject it describes points at the file."""

    def __init__(self, kind: str, path: str | Path, data: bytes, read_on: dt.date | None):
        self.kind = kind
        self.path = str(path)
        self.sha256 = hashlib.sha256(data).hexdigest()
        self.read_on = read_on or dt.date.today()
        self.graph = Graph()
        self.graph.bind("rg", RG)
        self.warnings: list[str] = []
        self.source = URIRef(f"{IMPORTED}file/{self.sha256}")
        g = self.graph
        g.add((self.source, RDF.type, RG.SourceFile))
        g.add((self.source, RG.fileName, Literal(Path(self.path).name)))
        g.add((self.source, RG.sha256, Literal(self.sha256)))
        g.add((self.source, RG.readOn, date_literal(self.read_on)))
        g.add((self.source, RG.sourceFormat, Literal(kind)))

    def add(self, s: Node, p: Node, o: Node) -> None:
        self.graph.add((s, p, o))
        if s != self.source:
            self.graph.add((s, RG.importedFrom, self.source))

    def label(self, s: Node, text: str | None) -> None:
        if text:
            self.add(s, RDFS.label, Literal(str(text)))

    def warn(self, message: str) -> None:
        self.warnings.append(f"{Path(self.path).name}: {message}")

    def result(self) -> ImportResult:
        return ImportResult(self.kind, self.path, self.graph, self.source, self.warnings)


def read_bytes(path: str | Path, *, limit: int) -> bytes:
    """The file's bytes, refusing missing files and files over ``limit`` bytes."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    size = p.stat().st_size
    if size > limit:
        raise InputError(f"{p}: {size} bytes is over the limit of {limit} bytes for this kind of file")
    return p.read_bytes()


def read_text(path: str | Path, *, limit: int) -> tuple[bytes, str]:
    data = read_bytes(path, limit=limit)
    if b"\x00" in data:
        raise InputError(f"{path}: binary data where text was expected")
    try:
        return data, data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
