"""Importers: standard provenance and licence metadata into RightsGraph facts.

Each importer reads one file and returns an :class:`ImportResult` (an rdflib graph in the
RightsGraph ontology, plus warnings); every described node points at a ``rg:SourceFile`` node
(file name, SHA-256, date read) through ``rg:importedFrom``; IRIs are derived from content
hashes and public identifiers, so importing a file twice gives the same graph. Bad input raises
:class:`rightsgraph.errors.InputError` naming the file; nothing partial is ever returned.

>>> from rightsgraph import KnowledgeBase
>>> from rightsgraph.namespace import RG
>>> card = "tests/importers/fixtures/lora-model-card.md"      # a model card, as on Hugging Face
>>> result = import_file("hf-model-card", card, repo_id="acme/painter-lora")
>>> sorted(str(o) for o in result.graph.objects(None, RG.adapterOf))
['https://huggingface.co/example-org/example-diffusion-1.0']
>>> KnowledgeBase().load(result.graph).triples == len(result.graph)
True
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from rightsgraph.errors import InputError
from rightsgraph.importers._base import ImportResult, hf_dataset_iri, hf_model_iri, work_iri
from rightsgraph.importers.c2pa import import_c2pa
from rightsgraph.importers.croissant import import_croissant
from rightsgraph.importers.hf_cards import import_hf_dataset_card, import_hf_model_card
from rightsgraph.importers.optout import import_robots, import_tdmrep, import_tdmrep_headers
from rightsgraph.importers.spdx import import_spdx

IMPORTERS: dict[str, Callable[..., ImportResult]] = {
    "c2pa": import_c2pa,
    "hf-model-card": import_hf_model_card,
    "hf-dataset-card": import_hf_dataset_card,
    "croissant": import_croissant,
    "spdx": import_spdx,
    "robots": import_robots,
    "tdmrep": import_tdmrep,
    "tdmrep-headers": import_tdmrep_headers,
}


def import_file(kind: str, path: str | Path, **opts: Any) -> ImportResult:
    """Run the importer registered under ``kind`` on ``path``."""
    try:
        importer = IMPORTERS[kind]
    except KeyError:
        raise InputError(f"unknown import kind {kind!r}; known: {', '.join(sorted(IMPORTERS))}") from None
    return importer(path, **opts)


__all__ = ["IMPORTERS", "ImportResult", "import_file", "import_c2pa", "import_croissant", "import_hf_model_card",
           "import_hf_dataset_card", "import_robots", "import_spdx", "import_tdmrep", "import_tdmrep_headers",
           "hf_model_iri", "hf_dataset_iri", "work_iri"]
