"""Checks that the ontology opens the way Protégé opens it, and that a reasoner accepts it.

Two independent checks, used by ``tests/ontology`` and (later) by the CLI:

* :func:`check_with_owlapi` loads the entry file with the OWL API (Debian's ``libowlapi-java``
  5.1, the closest library to Protégé 5.6's OWL API 4.5), resolving imports through
  ``catalog-v001.xml`` only, and reports unparsed triples, OWL API error entities
  (``http://org.semanticweb.owlapi/error#...``, what Protégé shows as "Error1"), unresolved
  imports and OWL 2 DL profile violations. The small Java program lives in
  ``tools/owlapi/OwlApiCheck.java``; it is compiled with ``javac`` into a cache directory the
  first time, and again whenever its source changes.
* :func:`check_with_hermit` merges the import closure with rdflib (owlready2 cannot read
  Turtle), writes it as N-Triples and asks HermiT (through owlready2) whether the ontology
  is consistent and which classes are unsatisfiable.

Neither function prints; both raise :class:`OwlCheckError` when the check cannot run at all
(no Java, missing jars, an import that cannot be resolved).

>>> from rightsgraph.owlcheck import load_import_closure
>>> graph = load_import_closure(ONTOLOGY_DIR / "rightsgraph.ttl")
>>> (RG_NS.Agent, RDF.type, OWL.Class) in graph
True
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, Graph, Namespace

from .errors import RightsGraphError

RG_NS = Namespace("https://w3id.org/rightsgraph/ontology#")
ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
if not ONTOLOGY_DIR.is_dir():  # installed wheel
    ONTOLOGY_DIR = Path(__file__).resolve().parent / "_data" / "ontology"

JAVA_DIR = Path(os.environ.get("RIGHTSGRAPH_JAVA_DIR", "/usr/share/java"))
# The OWL API jars and the jars they need (from `apt-cache depends libowlapi-java`), by unversioned name.
OWLAPI_JARS = [
    "owlapi-api", "owlapi-impl", "owlapi-parsers", "owlapi-rio", "owlapi-apibinding", "owlapi-tools",
    "owlapi-oboformat", "caffeine", "commons-codec", "commons-io", "commons-logging", "commons-rdf-api",
    "commons-rdf-simple", "guava", "hppcrt", "httpclient", "httpcore", "httpclient-cache",
    "jackson-annotations", "jackson-core", "jackson-databind", "jsr305", "atinject-jsr330-api",
    "slf4j-api", "slf4j-nop", "xz", "jsonld-java",
]
JAVA_SOURCE = Path(__file__).resolve().parent.parent / "tools" / "owlapi" / "OwlApiCheck.java"
CACHE_DIR = Path(os.environ.get("RIGHTSGRAPH_CACHE", Path.home() / ".cache" / "rightsgraph")) / "owlapi"


class OwlCheckError(RightsGraphError):
    """An OWL check that could not run (no Java, missing jars, an unresolvable import)."""


@dataclass
class OwlApiReport:
    """What the OWL API found when loading the entry file."""

    loaded: bool
    ok: bool
    error: str | None = None
    ontologies: list[str] = field(default_factory=list)
    unparsed_triples: list[str] = field(default_factory=list)
    error_entities: list[str] = field(default_factory=list)
    unresolved_imports: list[str] = field(default_factory=list)
    profile_violations: list[str] = field(default_factory=list)
    axiom_count: int = 0
    seconds: float = 0.0

    def problems(self) -> list[str]:
        """Every finding as one line, for assertion messages and the CLI."""
        lines = [f"load failed: {self.error}"] if not self.loaded else []
        lines += [f"unparsed triple: {t}" for t in self.unparsed_triples]
        lines += [f"OWL API error entity: {e}" for e in self.error_entities]
        lines += [f"unresolved import: {i}" for i in self.unresolved_imports]
        lines += [f"OWL 2 DL violation: {v}" for v in self.profile_violations]
        return lines


@dataclass
class HermitReport:
    """What HermiT found: consistency and the unsatisfiable classes (IRIs)."""

    consistent: bool
    unsatisfiable: list[str]
    seconds: float
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable


# ------------------------------------------------------------------ import closure

def read_catalog(catalog: Path) -> dict[str, Path]:
    """The ``<uri name=... uri=...>`` entries of a Protégé XML catalog, as IRI -> local file."""
    root = ET.parse(catalog).getroot()
    mapping = {}
    for el in root.iter():
        if el.tag.rsplit("}", 1)[-1] == "uri" and el.get("name") and el.get("uri"):
            mapping[el.get("name")] = (catalog.parent / el.get("uri")).resolve()
    return mapping


def load_import_closure(entry: Path, catalog: Path | None = None) -> Graph:
    """Parse ``entry`` and every ontology it imports, transitively, into one rdflib graph.

    Imports are resolved through ``catalog`` (default: ``catalog-v001.xml`` beside the entry),
    never through the network; an import the catalog does not map raises :class:`OwlCheckError`.
    """
    entry = Path(entry).resolve()
    catalog = Path(catalog) if catalog else entry.parent / "catalog-v001.xml"
    mapping = read_catalog(catalog)
    graph = Graph()
    seen: set[Path] = set()
    todo = [entry]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        part = Graph().parse(path, format="turtle")
        graph += part
        for iri in part.objects(None, OWL.imports):
            if str(iri) not in mapping:
                raise OwlCheckError(f"{path}: owl:imports <{iri}> is not in {catalog}; add a <uri> entry for it")
            todo.append(mapping[str(iri)])
    return graph


def without_ontology_headers(graph: Graph) -> Graph:
    """A copy of ``graph`` without the owl:Ontology header triples (imports, version, licence).

    Give pyshacl this, not the raw closure, as ``ont_graph``: pyshacl deep-clones every named
    individual of the ontology graph into the data graph, following links up to depth 10 without
    memoisation, and the chain individual -> class -> rdfs:isDefinedBy -> module -> owl:imports ->
    module ... makes that exponential (minutes to hours instead of well under a second).
    """
    headers = set(graph.subjects(RDF.type, OWL.Ontology))
    out = Graph()
    for prefix, ns in graph.namespaces():
        out.bind(prefix, ns)
    out += ((s, p, o) for s, p, o in graph if s not in headers)
    return out


# ------------------------------------------------------------------ OWL API

def _classpath() -> str:
    jars = []
    for name in OWLAPI_JARS:
        jar = JAVA_DIR / f"{name}.jar"
        if not jar.exists():
            raise OwlCheckError(f"{jar} is missing: install Debian's libowlapi-java (apt-get install libowlapi-java)")
        jars.append(str(jar))
    jars += sorted(str(p) for p in JAVA_DIR.glob("rdf4j-*.jar") if not re.search(r"-\d+(\.\d+)+$", p.stem))
    return os.pathsep.join(jars)


def _compiled(classpath: str) -> Path:
    """The directory holding OwlApiCheck.class, compiled now if missing or stale."""
    if not shutil.which("java") or not shutil.which("javac"):
        raise OwlCheckError("java and javac (17) are needed for the OWL API check; install openjdk-17-jdk-headless")
    digest = hashlib.sha256(JAVA_SOURCE.read_bytes() + classpath.encode()).hexdigest()[:16]
    out = CACHE_DIR / digest
    if not (out / "OwlApiCheck.class").exists():
        out.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["javac", "-nowarn", "-d", str(out), "-cp", classpath, str(JAVA_SOURCE)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise OwlCheckError(f"javac failed on {JAVA_SOURCE}:\n{done.stderr}")
    return out


def check_with_owlapi(entry: Path, catalog: Path, timeout: float = 300) -> OwlApiReport:
    """Load ``entry`` with the OWL API, imports resolved through ``catalog`` only, and report."""
    classpath = _classpath()
    classes = _compiled(classpath)
    start = time.monotonic()
    done = subprocess.run(
        ["java", "-cp", os.pathsep.join([classpath, str(classes)]), "OwlApiCheck", str(entry), str(catalog)],
        capture_output=True, text=True, timeout=timeout)
    seconds = time.monotonic() - start
    line = next((l for l in reversed(done.stdout.splitlines()) if l.startswith("{")), None)
    if line is None:
        raise OwlCheckError(f"the OWL API check printed no report (exit {done.returncode}):\n{done.stderr[-2000:]}")
    data = json.loads(line)
    return OwlApiReport(
        loaded=data["loaded"], ok=bool(data.get("ok", False)), error=data.get("error"),
        ontologies=data.get("ontologies", []), unparsed_triples=data.get("unparsed_triples", []),
        error_entities=data.get("error_entities", []), unresolved_imports=data.get("unresolved_imports", []),
        profile_violations=data.get("profile_violations", []), axiom_count=data.get("axiom_count", 0),
        seconds=seconds)


# ------------------------------------------------------------------ HermiT

def check_with_hermit(entry: Path, catalog: Path | None = None) -> HermitReport:
    """Ask HermiT (owlready2) whether the import closure of ``entry`` is consistent and which classes are unsatisfiable.

    xsd:date is not in the OWL 2 datatype map, so HermiT runs with ``ignore_unsupported_datatypes``
    (the ontology itself uses rdfs:Literal ranges for dates; instance data may still carry xsd:date).
    """
    import owlready2

    graph = load_import_closure(entry, catalog)
    graph.remove((None, OWL.imports, None))
    start = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        nt = Path(tmp) / "closure.nt"
        graph.serialize(nt, format="nt", encoding="utf-8")
        world = owlready2.World()
        world.get_ontology(nt.as_uri()).load()
        try:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0,
                                           ignore_unsupported_datatypes=True)
            unsat = sorted(c.iri for c in world.inconsistent_classes() if c is not owlready2.Nothing)
            return HermitReport(consistent=True, unsatisfiable=unsat, seconds=time.monotonic() - start)
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            return HermitReport(consistent=False, unsatisfiable=[], seconds=time.monotonic() - start, error=str(exc))
        finally:
            world.close()

