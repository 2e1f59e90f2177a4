"""The wheel ships the law and the vocabulary, and the version lives in one place."""
from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    return next(out.glob("rightsgraph-*.whl"))


def test_the_wheel_carries_ontology_rules_queries_and_cases(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder, pattern in (("ontology", "*.ttl"), ("reasoning", "*.ttl"), ("queries", "*.rq"), ("data/cases", "*.ttl")):
        for path in (ROOT / folder).rglob(pattern):
            assert f"rightsgraph/_data/{path.relative_to(ROOT).as_posix()}" in names, path
    assert "rightsgraph/_data/ontology/catalog-v001.xml" in names
    assert "rightsgraph/web/dist/index.html" in names  # the page works from an installed wheel, no npm


def test_the_version_is_the_one_in_pyproject(wheel):
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert wheel.name.startswith(f"rightsgraph-{version}-")
    assert not any("__version__ =" in p.read_text() and '"0' in p.read_text().split("__version__ =")[1][:5]
                   for p in (ROOT / "rightsgraph").glob("*.py") if p.name != "__init__.py")


def test_an_installed_package_finds_its_data(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    code = ("import rightsgraph.resources as r; "
            "assert '_data' in str(r.ONTOLOGY_ENTRY) and r.ONTOLOGY_ENTRY.exists(), r.ONTOLOGY_ENTRY; "
            "assert r.rule_files() and r.case_file('li-v-liu').exists(); print('ok')")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                            env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert result.stdout.strip() == "ok", result.stderr
