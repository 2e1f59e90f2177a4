"""Where the ontology, the rule base, the queries and the bundled cases live.

From a source checkout they are the top-level folders beside the package; from an installed
wheel they are under ``rightsgraph/_data`` (see ``[tool.hatch.build.targets.wheel.force-include]``).
"""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _root() -> Path:
    bundled = _PACKAGE / "_data"
    return bundled if (bundled / "ontology").is_dir() else _PACKAGE.parent


ROOT = _root()
ONTOLOGY_DIR = ROOT / "ontology"
ONTOLOGY_ENTRY = ONTOLOGY_DIR / "rightsgraph.ttl"
SHAPES_DIR = ONTOLOGY_DIR / "shapes"
QC_DIR = ONTOLOGY_DIR / "qc"
REASONING_DIR = ROOT / "reasoning"
QUERIES_DIR = ROOT / "queries"
CASES_DIR = ROOT / "data" / "cases"


def ontology_files() -> list[Path]:
    """The TBox: every module plus the licence individuals, without shapes, QC or alignments' extras."""
    files = sorted((ONTOLOGY_DIR / "modules").glob("*.ttl"))
    files += sorted((ONTOLOGY_DIR / "licences").glob("*.ttl"))
    return files


def rule_files(directory: Path | None = None) -> list[Path]:
    return sorted((directory or REASONING_DIR).rglob("*.ttl"))


def case_file(name: str) -> Path:
    """A bundled case graph by name (``li-v-liu``) or a path."""
    path = Path(name)
    if path.suffix and path.exists():
        return path
    return CASES_DIR / f"{name}.ttl"
