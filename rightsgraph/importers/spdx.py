"""SPDX 3 AI and Dataset packages (JSON-LD), read offline with ``spdx-python-model``.

``ai_AIPackage`` elements become AI models, ``dataset_DatasetPackage`` elements datasets (both
named by their spdxId), ``trainedOn`` relationships ``rg:trainedOn`` and
``hasConcludedLicense`` / ``hasDeclaredLicense`` relationships to a licence expression ``rg:licence``.
"""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from rdflib import RDF, URIRef

from rightsgraph.errors import InputError
from rightsgraph.importers import licences
from rightsgraph.importers._base import RG, ImportResult, Mapping, read_bytes

MAX_BYTES = 20 * 1024 * 1024


def import_spdx(path: str | Path, *, read_on: dt.date | None = None) -> ImportResult:
    from spdx_python_model import v3_0_1 as spdx

    data = read_bytes(path, limit=MAX_BYTES)
    objects = spdx.SHACLObjectSet()
    try:
        spdx.JSONLDDeserializer().read(io.StringIO(data.decode("utf-8")), objects)
    except Exception as exc:  # the model raises TypeError/ValueError/KeyError/JSONDecodeError on bad input
        raise InputError(f"{path}: not a valid SPDX 3 JSON-LD document: {type(exc).__name__}: {exc}") from None
    m = Mapping("spdx", path, data, read_on)
    nodes: dict[str, URIRef] = {}
    for obj in objects.foreach_type(spdx.ai_AIPackage):
        nodes[obj.spdxId] = URIRef(obj.spdxId)
        m.add(nodes[obj.spdxId], RDF.type, RG.AIModel)
        m.label(nodes[obj.spdxId], obj.name)
    for obj in objects.foreach_type(spdx.dataset_DatasetPackage):
        nodes[obj.spdxId] = URIRef(obj.spdxId)
        m.add(nodes[obj.spdxId], RDF.type, RG.Dataset)
        m.label(nodes[obj.spdxId], obj.name)
    if not nodes:
        m.warn("no AI or dataset package in the document")
    rel = spdx.RelationshipType
    licence_rels = {rel.hasConcludedLicense, rel.hasDeclaredLicense}
    for r in objects.foreach_type(spdx.Relationship):
        source = r.from_ if hasattr(r, "from_") else getattr(r, "from")
        src_id = source if isinstance(source, str) else getattr(source, "spdxId", None)
        if src_id not in nodes:
            continue
        for target in r.to:
            tgt_id = target if isinstance(target, str) else getattr(target, "spdxId", None)
            if r.relationshipType == rel.trainedOn:
                if tgt_id in nodes:
                    m.add(nodes[src_id], RG.trainedOn, nodes[tgt_id])
                    m.add(nodes[tgt_id], RDF.type, RG.Dataset)
                else:
                    m.warn(f"{src_id} is trained on {tgt_id}, which is not a dataset package in the document")
            elif r.relationshipType in licence_rels:
                expr = getattr(target, "simplelicensing_licenseExpression", None) or tgt_id
                iri, warning = licences.resolve(expr)
                if iri is not None:
                    m.add(nodes[src_id], RG.licence, iri)
                elif warning:
                    m.warn(warning)
    return m.result()
