"""Shared fixtures for the ontology tests: paths, the import closure, the TBox, the shapes."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Namespace

from rightsgraph.owlcheck import load_import_closure, without_ontology_headers

from rightsgraph.graphs import JURISDICTION_BASE
from rightsgraph.graphs import RG as RG_IRI
from rightsgraph.resources import ONTOLOGY_DIR as ONTOLOGY
from rightsgraph.resources import ONTOLOGY_ENTRY as ENTRY
from rightsgraph.resources import ROOT
from rightsgraph.resources import SHAPES_DIR as SHAPES

ALIGNED = ONTOLOGY / "rightsgraph-aligned.ttl"
CATALOG = ONTOLOGY / "catalog-v001.xml"
EXAMPLES = ROOT / "data" / "examples"
RG = Namespace(RG_IRI)
JUR = Namespace(JURISDICTION_BASE)
CASE = Namespace("https://w3id.org/rightsgraph/case/li-v-liu/")


def needs_java():
    if not (shutil.which("java") and shutil.which("javac")):
        pytest.skip("java/javac 17 not installed")
    if not Path("/usr/share/java/owlapi-api.jar").exists():
        pytest.skip("Debian's libowlapi-java not installed")


@pytest.fixture(scope="session")
def closure() -> Graph:
    """Everything the aligned entry file imports: modules, licences, alignments."""
    return load_import_closure(ALIGNED, CATALOG)


@pytest.fixture(scope="session")
def tbox() -> Graph:
    """The graph given to pyshacl as ont_graph: the core entry's closure (modules and licences), headers stripped."""
    return without_ontology_headers(load_import_closure(ENTRY, CATALOG))


@pytest.fixture(scope="session")
def instance_shapes() -> Graph:
    """All instance-data shapes (every shapes file except the one for rule files)."""
    g = Graph()
    for f in sorted(SHAPES.glob("*.ttl")):
        if f.name != "rules.ttl":
            g.parse(f)
    return g


@pytest.fixture
def ontology_copy(tmp_path) -> Path:
    """A throw-away copy of ontology/ for tests that plant a defect."""
    target = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY, target)
    return target
