"""C2PA Content Credentials in an image file (read with ``c2pa-python``).

Maps the active manifest: the creation (typed by its IPTC digital source type), the generation
with its software agent (the model), the author or else the signer as performer, the ingredients,
the signer, the validation state (Trusted / Valid / Invalid) and the C2PA or CAWG
training-and-data-mining assertion (``notAllowed`` and ``constrained`` are TDM reservations:
constrained means not allowed unless agreed). An invalid manifest is recorded as such, with a
warning, and none of its claims are taken as facts.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

from rdflib import RDF, Literal, URIRef

from rightsgraph.errors import InputError
from rightsgraph.importers._base import (RG, ImportResult, Mapping, date_literal, hf_model_iri, mint, parse_date,
                                         read_bytes)

MAX_BYTES = 200 * 1024 * 1024
IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
#: IPTC digital source types to the creation class the c2pa-iptc alignment gives them.
SOURCE_TYPE_CLASS = {
    "trainedAlgorithmicMedia": RG.AIGeneratedOutput,
    "compositeWithTrainedAlgorithmicMedia": RG.MixedCreation,
    "digitalCapture": RG.HumanCreation,
    "digitalArt": RG.HumanCreation,
}
GENERATIVE = {"trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia"}
MINING_LABELS = re.compile(r"^(c2pa|cawg)\.training-mining(\.v\d+)?$")
MINING_VALUES = {"allowed": RG.MiningAllowed, "constrained": RG.MiningConstrained, "notAllowed": RG.MiningNotAllowed}
STRICTNESS = ["allowed", "constrained", "notAllowed"]
STATES = {"Trusted": RG.CredentialTrusted, "Valid": RG.CredentialValid, "Invalid": RG.CredentialInvalid}
_REPO_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
_MIME = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp",
         ".tif": "image/tiff", ".tiff": "image/tiff", ".avif": "image/avif", ".heic": "image/heic"}


def read_manifest_store(path: str | Path, data: bytes, trust_anchors: str | Path | None = None) -> dict:
    """The manifest store of an asset as JSON; :class:`InputError` naming the file when there is none."""
    import c2pa

    context = None
    if trust_anchors is not None:
        pem = Path(trust_anchors).read_text() if Path(str(trust_anchors)).is_file() else str(trust_anchors)
        context = c2pa.Context(settings=c2pa.Settings.from_json(json.dumps({"trust": {"trust_anchors": pem}})))
    mime = _MIME.get(Path(path).suffix.lower(), "")
    try:
        reader = c2pa.Reader(mime or None, io.BytesIO(data), context=context)
        return json.loads(reader.json())
    except c2pa.C2paError as exc:
        kind = type(exc).__name__.strip("_").removeprefix("C2pa")
        if "ManifestNotFound" in kind:
            raise InputError(f"{path}: no C2PA manifest (content credentials) in this file") from None
        raise InputError(f"{path}: cannot read content credentials ({kind}: {exc})") from None
    except (ValueError, OSError) as exc:
        raise InputError(f"{path}: cannot read content credentials ({exc})") from None


def _agent_name(value: object) -> str | None:
    if isinstance(value, dict):
        return value.get("name")
    return str(value) if value else None


def model_for_software_agent(name: str) -> URIRef:
    """A Hugging Face repository id names the model there; any other name gets a minted model node."""
    return hf_model_iri(name) if _REPO_ID.match(name) else mint("model", name)


def import_c2pa(path: str | Path, *, read_on: dt.date | None = None, trust_anchors: str | Path | None = None,
                accept_invalid: bool = False) -> ImportResult:
    data = read_bytes(path, limit=MAX_BYTES)
    store = read_manifest_store(path, data, trust_anchors)
    m = Mapping("c2pa", path, data, read_on)
    active = store.get("active_manifest")
    manifests = store.get("manifests") or {}
    if not active or active not in manifests:
        raise InputError(f"{path}: the manifest store has no active manifest")
    manifest = manifests[active]
    state = store.get("validation_state") or ("Invalid" if any(
        not str(s.get("code", "")).startswith("signingCredential.untrusted")
        for s in store.get("validation_status") or []) else "Valid")

    creation = mint("creation", m.sha256)
    credential = mint("credential", m.sha256, active)
    m.add(creation, RDF.type, RG.Creation)
    m.add(creation, RG.contentCredential, credential)
    m.add(credential, RDF.type, RG.ContentCredential)
    m.add(credential, RG.manifestLabel, Literal(active))
    m.add(credential, RG.validationState, STATES.get(state, RG.CredentialInvalid))
    if state not in STATES:
        m.warn(f"unknown validation state {state!r}: recorded as invalid")
    sig = manifest.get("signature_info") or {}
    signer = None
    if sig.get("issuer") or sig.get("common_name"):
        signer = mint("agent", "c2pa-signer", sig.get("issuer") or "", sig.get("common_name") or "")
        m.add(credential, RG.signedBy, signer)
        m.add(signer, RDF.type, RG.LegalPerson if sig.get("issuer") else RG.Agent)
        m.label(signer, sig.get("issuer") or sig.get("common_name"))
    signed_on = parse_date(sig.get("time"), str(path)) if sig.get("time") else None
    if signed_on:
        m.add(credential, RG.signedOn, date_literal(signed_on))
    for info in manifest.get("claim_generator_info") or []:
        if _agent_name(info):
            m.add(credential, RG.claimGenerator, Literal(_agent_name(info)))
    if manifest.get("claim_generator"):
        m.add(credential, RG.claimGenerator, Literal(manifest["claim_generator"]))

    if state == "Invalid":
        codes = sorted({str(s.get("code")) for s in store.get("validation_status") or []})
        m.warn(f"the content credential is INVALID ({', '.join(codes) or 'no detail'}); "
               + ("its claims are imported anyway (accept_invalid)" if accept_invalid
                  else "its claims are not imported as facts"))
        if not accept_invalid:
            return m.result()
    elif state == "Valid":
        m.warn("the content credential is valid but its signer is not trusted (no trust anchor matched)")

    if manifest.get("title"):
        m.add(creation, RG.title, Literal(str(manifest["title"])))

    assertions = manifest.get("assertions") or []
    actions, author, mining = [], None, []
    for a in assertions:
        label, body = str(a.get("label", "")), a.get("data") or {}
        if label.startswith("c2pa.actions"):
            actions += body.get("actions") or []
        elif label == "stds.schema-org.CreativeWork":
            authors = body.get("author") or []
            authors = authors if isinstance(authors, list) else [authors]
            for au in authors:
                if isinstance(au, dict) and au.get("name"):
                    author = au
                    break
        elif MINING_LABELS.match(label):
            for entry, value in sorted((body.get("entries") or {}).items()):
                use = (value or {}).get("use") if isinstance(value, dict) else None
                if use in MINING_VALUES:
                    mining.append(use)
                else:
                    m.warn(f"{label} entry {entry!r} has an unknown use {use!r}: ignored")

    author_node = None
    if author:
        author_node = mint("agent", "person", author["name"])
        m.add(author_node, RDF.type, RG.NaturalPerson if author.get("@type", "Person") == "Person" else RG.LegalPerson)
        m.label(author_node, author["name"])

    generation = None
    for i, act in enumerate(actions):
        name = str(act.get("action", ""))
        if name:
            m.add(credential, RG.declaredAction, Literal(name))
        dst = str(act.get("digitalSourceType") or "")
        if not dst:
            continue
        code = dst.rsplit("/", 1)[-1]
        dst_iri = URIRef(IPTC + code)
        m.add(creation, RG.digitalSourceType, dst_iri)
        if code in SOURCE_TYPE_CLASS:
            m.add(creation, RDF.type, SOURCE_TYPE_CLASS[code])
        else:
            m.warn(f"digital source type {code!r} is not mapped to a creation class")
        if code in GENERATIVE and generation is None:
            generation = mint("generation", m.sha256, active, i)
            m.add(creation, RG.generatedBy, generation)
            m.add(generation, RDF.type, RG.Generation)
            agent = _agent_name(act.get("softwareAgent"))
            if agent:
                m.add(generation, RG.softwareAgent, Literal(agent))
                model = model_for_software_agent(agent)
                m.add(generation, RG.usedModel, model)
                m.add(model, RDF.type, RG.AIModel)
            else:
                m.warn("the generative action names no software agent: the model is unknown")
            when = parse_date(act.get("when"), str(path)) if act.get("when") else None
            if when:
                m.add(generation, RG.generationDate, date_literal(when))
            performer = author_node or signer
            if performer is not None:
                m.add(generation, RG.performedBy, performer)
                if author_node is None:
                    m.warn("no author in the credential: the signer is recorded as who performed the generation")

    if author_node is not None:
        if generation is None:
            m.add(creation, RG.createdBy, author_node)
        else:
            m.add(creation, RG.claimedAuthor, author_node)

    for ing in manifest.get("ingredients") or []:
        key = ing.get("instance_id") or ing.get("document_id") or ing.get("title") or json.dumps(ing, sort_keys=True)
        node = mint("creation", "ingredient", key)
        m.add(creation, RG.hasIngredient, node)
        m.add(node, RDF.type, RG.Creation)
        if ing.get("title"):
            m.add(node, RG.title, Literal(str(ing["title"])))

    if mining:
        strictest = max(mining, key=STRICTNESS.index)
        m.add(credential, RG.statesMiningPermission, MINING_VALUES[strictest])
        if strictest != "allowed":
            res = mint("reservation", "c2pa", m.sha256, active)
            m.add(res, RDF.type, RG.TDMReservation)
            m.add(res, RG.mechanism, RG.C2PATrainingMiningAssertion)
            m.add(res, RG.miningPermission, MINING_VALUES[strictest])
            m.add(res, RG.machineReadable, Literal(True))
            m.add(res, RG.reservationCovers, creation)
            m.add(res, RG.reservedOn, date_literal(signed_on or m.read_on))
            holder = author_node or signer
            if holder is not None:
                m.add(res, RG.reservedBy, holder)
    return m.result()
