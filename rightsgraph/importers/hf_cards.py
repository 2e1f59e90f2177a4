"""Hugging Face model cards and dataset cards (README.md with YAML front matter), read offline.

The front matter is checked before any YAML is built: a size limit, and no anchors or aliases
(the "billion laughs" expansion), then ``yaml.safe_load`` through ``huggingface_hub``'s card classes.
A model card gives the model (``https://huggingface.co/<repo id>``), its licence, its base models
with the relation (``adapter``, ``finetune``, ``merge``, ``quantized``) and the datasets it was
trained on; a dataset card gives the dataset and its licence.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml
from rdflib import RDF, Literal, URIRef

from rightsgraph.errors import InputError
from rightsgraph.importers import licences
from rightsgraph.importers._base import (RG, ImportResult, Mapping, hf_dataset_iri, hf_model_iri, mint, read_text)

MAX_BYTES = 2 * 1024 * 1024
MAX_FRONT_MATTER = 256 * 1024
_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)(?:\r?\n)---[ \t]*(?:\r?\n|\Z)", re.S)
RELATIONS = {
    "adapter": (RG.adapterOf, RG.Adapter),
    "finetune": (RG.fineTunedFrom, RG.FineTunedModel),
    "fine-tune": (RG.fineTunedFrom, RG.FineTunedModel),
    "merge": (RG.mergedFrom, None),
    "quantized": (RG.quantisedFrom, None),
    "quantised": (RG.quantisedFrom, None),
}


def safe_front_matter(path: str | Path, text: str) -> dict:
    """The YAML front matter as a dict, refusing oversized documents, anchors, aliases and tags."""
    match = _FRONT.match(text)
    if not match:
        raise InputError(f"{path}: no YAML front matter (a card starts with a '---' block)")
    block = match.group(1)
    if len(block.encode()) > MAX_FRONT_MATTER:
        raise InputError(f"{path}: the YAML front matter is over {MAX_FRONT_MATTER} bytes")
    try:
        for event in yaml.parse(block, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise InputError(f"{path}: YAML anchors and aliases are refused in card metadata "
                                 f"(line {event.start_mark.line + 2})")
        data = yaml.safe_load(block)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 2}" if mark else str(path)
        raise InputError(f"{where}: invalid YAML front matter: {getattr(exc, 'problem', exc)}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(f"{path}: the YAML front matter is not a mapping")
    return data


def _list(value: object) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in items if isinstance(v, (str, int, float)) and str(v).strip()]


def _licence(m: Mapping, node: URIRef, meta: dict) -> None:
    raw = meta.get("license")
    candidates = _list(raw)
    if candidates == ["other"] or (not candidates and meta.get("license_name")):
        candidates = _list(meta.get("license_link")) + _list(meta.get("license_name")) or ["other"]
    for value in candidates:
        iri, warning = licences.resolve(value)
        if iri is not None:
            m.add(node, RG.licence, iri)
        elif warning:
            m.warn(warning)


def _load(kind: str, path: str | Path, read_on: dt.date | None):
    from huggingface_hub import DatasetCard, ModelCard

    data, text = read_text(path, limit=MAX_BYTES)
    meta = safe_front_matter(path, text)
    try:  # the card classes check the metadata the way the Hub does (offline: no validate())
        card = (ModelCard if kind == "hf-model-card" else DatasetCard)(text, ignore_metadata_errors=False)
        meta = {**meta, **card.data.to_dict()}
    except Exception as exc:  # huggingface_hub raises ValueError and its own errors
        raise InputError(f"{path}: not a valid Hugging Face card: {exc}") from None
    return Mapping(kind, path, data, read_on), meta


def _repo_iri(m: Mapping, meta: dict, repo_id: str | None, dataset: bool) -> URIRef:
    repo_id = repo_id or meta.get("model_id") or meta.get("repo_id")
    if repo_id:
        iri = hf_dataset_iri(repo_id) if dataset else hf_model_iri(repo_id)
        m.add(iri, RG.repositoryId, Literal(str(repo_id)))
        return iri
    m.warn("no repository id given (pass repo_id=...): the node is named from the file's hash")
    return mint("dataset" if dataset else "model", m.sha256)


def import_hf_model_card(path: str | Path, *, read_on: dt.date | None = None,
                         repo_id: str | None = None) -> ImportResult:
    m, meta = _load("hf-model-card", path, read_on)
    model = _repo_iri(m, meta, repo_id, dataset=False)
    m.add(model, RDF.type, RG.AIModel)
    name = meta.get("model_name") or next((e.get("name") for e in meta.get("model-index") or []
                                           if isinstance(e, dict)), None)
    m.label(model, name or repo_id)
    _licence(m, model, meta)
    bases = _list(meta.get("base_model"))
    relation = str(meta.get("base_model_relation") or "").strip().lower()
    prop, cls = RELATIONS.get(relation, (RG.derivedFromModel, None))
    if bases and relation and relation not in RELATIONS:
        m.warn(f"unknown base_model_relation {relation!r}: recorded as derived from the base model")
    if bases and not relation:
        m.warn("base_model_relation not given: recorded as derived from the base model")
    tags = {t.lower() for t in _list(meta.get("tags"))}
    if cls is not None and bases:
        m.add(model, RDF.type, cls)
        if cls == RG.Adapter and ("lora" in tags or str(meta.get("library_name", "")).lower() == "peft"):
            m.add(model, RDF.type, RG.LoRA)
    for base in bases:
        base_iri = hf_model_iri(base)
        m.add(model, prop, base_iri)
        m.add(base_iri, RDF.type, RG.AIModel)
        m.add(base_iri, RG.repositoryId, Literal(base))
    for ds in _list(meta.get("datasets")):
        ds_iri = hf_dataset_iri(ds)
        m.add(model, RG.trainedOn, ds_iri)
        m.add(ds_iri, RDF.type, RG.Dataset)
        m.add(ds_iri, RG.repositoryId, Literal(ds))
    return m.result()


def import_hf_dataset_card(path: str | Path, *, read_on: dt.date | None = None,
                           repo_id: str | None = None) -> ImportResult:
    m, meta = _load("hf-dataset-card", path, read_on)
    ds = _repo_iri(m, meta, repo_id, dataset=True)
    m.add(ds, RDF.type, RG.Dataset)
    m.label(ds, meta.get("pretty_name") or repo_id)
    _licence(m, ds, meta)
    return m.result()
