"""The metadata importers (issue 9): exact mappings, idempotence, hostile input, provenance, end to end."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest
from rdflib import RDF, RDFS, XSD, Literal, URIRef
from rdflib.compare import isomorphic

from rightsgraph.errors import InputError
from rightsgraph.importers import (IMPORTERS, hf_dataset_iri, hf_model_iri, import_c2pa, import_croissant, import_file,
                                   import_hf_dataset_card, import_hf_model_card, import_robots, import_spdx,
                                   import_tdmrep, import_tdmrep_headers, work_iri)
from rightsgraph.importers._base import RG
from rightsgraph.importers.licences import resolve

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
MODEL_REPO = "example-org/sunset-lora"

DAY = dt.date(2026, 6, 1)
IPTC_AI = URIRef("http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia")
CC_BY_NC = URIRef("https://creativecommons.org/licenses/by-nc/4.0/")
SITE = "https://photos.example.net"
ARCHIVE = SITE + "/archive/harbour-sunset.jpg"
PUBLIC = SITE + "/public/open-sunset.jpg"
LORA = hf_model_iri(MODEL_REPO)
BASE = hf_model_iri("example-org/example-diffusion-1.0")
PHOTOS = hf_dataset_iri("example-org/sunset-photos")


def only(values):
    values = list(values)
    assert len(values) == 1, values
    return values[0]


def assert_provenance(result):
    """Every described node points at the source file node, which carries name, hash and date read."""
    g, src = result.graph, result.source
    assert (src, RDF.type, RG.SourceFile) in g
    assert len(str(only(g.objects(src, RG.sha256)))) == 64
    assert only(g.objects(src, RG.readOn)).datatype == XSD.date
    for s in set(g.subjects()) - {src}:
        assert (s, RG.importedFrom, src) in g, s


# -- C2PA ------------------------------------------------------------------------------------------
def test_c2pa_signed_ai_image(signed_images):
    r = import_c2pa(signed_images["signed"], read_on=DAY, trust_anchors=signed_images["ca"])
    g = r.graph
    img = only(g.subjects(RG.digitalSourceType, IPTC_AI))
    assert (img, RDF.type, RG.AIGeneratedOutput) in g
    cred = only(g.objects(img, RG.contentCredential))
    assert (cred, RG.validationState, RG.CredentialTrusted) in g
    signer = only(g.objects(cred, RG.signedBy))
    assert only(g.objects(signer, RDFS.label)) == Literal("Example Studio Ltd")
    gen = only(g.objects(img, RG.generatedBy))
    assert (gen, RG.usedModel, LORA) in g
    assert (gen, RG.softwareAgent, Literal(MODEL_REPO)) in g
    assert (gen, RG.generationDate, Literal("2026-05-02", datatype=XSD.date)) in g
    alice = only(g.objects(gen, RG.performedBy))
    assert (alice, RDFS.label, Literal("Alice Example")) in g and (alice, RDF.type, RG.NaturalPerson) in g
    assert (cred, RG.statesMiningPermission, RG.MiningNotAllowed) in g
    res = only(g.subjects(RG.reservationCovers, img))
    assert {(p, o) for p, o in g.predicate_objects(res) if p != RG.importedFrom} == {
        (RDF.type, RG.TDMReservation), (RG.mechanism, RG.C2PATrainingMiningAssertion),
        (RG.miningPermission, RG.MiningNotAllowed), (RG.machineReadable, Literal(True)),
        (RG.reservationCovers, img), (RG.reservedOn, Literal("2026-06-01", datatype=XSD.date)),
        (RG.reservedBy, alice)}
    assert r.warnings == []
    assert_provenance(r)


def test_c2pa_without_trust_anchor_is_valid_not_trusted(signed_images):
    r = import_c2pa(signed_images["signed"], read_on=DAY)
    assert only(r.graph.objects(None, RG.validationState)) == RG.CredentialValid
    assert any("not trusted" in w for w in r.warnings)


def test_c2pa_tampered_is_invalid_and_not_trusted(signed_images):
    r = import_c2pa(signed_images["tampered"], read_on=DAY, trust_anchors=signed_images["ca"])
    g = r.graph
    assert only(g.objects(None, RG.validationState)) == RG.CredentialInvalid
    assert (None, RG.validationState, RG.CredentialTrusted) not in g
    assert any("INVALID" in w for w in r.warnings)
    # none of the claims of an invalid credential become facts
    assert (None, RG.digitalSourceType, None) not in g and (None, RDF.type, RG.TDMReservation) not in g
    assert (None, RG.generatedBy, None) not in g


def test_c2pa_corrupt_and_unsigned_images(tmp_path):
    pytest.importorskip("c2pa")
    from PIL import Image
    corrupt = tmp_path / "corrupt.jpg"
    corrupt.write_bytes(b"\xff\xd8\xff\xe0 this is not really a JPEG")
    with pytest.raises(InputError, match="corrupt.jpg"):
        import_c2pa(corrupt)
    plain = tmp_path / "plain.jpg"
    Image.new("RGB", (8, 8)).save(plain, "JPEG")
    with pytest.raises(InputError, match="plain.jpg: no C2PA manifest"):
        import_c2pa(plain)


# -- Hugging Face cards ----------------------------------------------------------------------------
def test_lora_model_card():
    r = import_hf_model_card(FIXTURES / "lora-model-card.md", read_on=DAY, repo_id=MODEL_REPO)
    g = r.graph
    assert {o for o in g.objects(LORA, RDF.type)} == {RG.AIModel, RG.Adapter, RG.LoRA}
    assert (LORA, RG.adapterOf, BASE) in g
    assert (LORA, RG.licence, CC_BY_NC) in g
    assert (LORA, RG.trainedOn, hf_dataset_iri("example-org/watercolour-sunsets")) in g
    assert (BASE, RDF.type, RG.AIModel) in g
    assert r.warnings == []
    assert_provenance(r)


def test_base_model_card():
    r = import_hf_model_card(FIXTURES / "base-model-card.md", read_on=DAY, repo_id="example-org/example-diffusion-1.0")
    g = r.graph
    assert (BASE, RG.licence, URIRef("http://spdx.org/licenses/CreativeML-OpenRAIL-M")) in g
    assert (BASE, RG.trainedOn, PHOTOS) in g and (PHOTOS, RDF.type, RG.Dataset) in g
    assert (BASE, RDFS.label, Literal("Example Diffusion 1.0")) in g
    assert (BASE, RG.derivedFromModel, None) not in g


def test_dataset_card():
    ds = hf_dataset_iri("example-org/watercolour-sunsets")
    r = import_hf_dataset_card(FIXTURES / "dataset-card.md", read_on=DAY, repo_id="example-org/watercolour-sunsets")
    assert (ds, RDF.type, RG.Dataset) in r.graph
    assert (ds, RG.licence, URIRef("https://creativecommons.org/licenses/by/4.0/")) in r.graph
    assert (ds, RDFS.label, Literal("Watercolour sunsets")) in r.graph
    assert_provenance(r)


def test_unknown_licence_is_warned_and_merge_recorded():
    r = import_hf_model_card(FIXTURES / "unknown-licence-card.md", read_on=DAY, repo_id="example-org/merged")
    model = hf_model_iri("example-org/merged")
    assert (model, RG.licence, None) not in r.graph
    assert any("unknown licence 'example-community-licence'" in w for w in r.warnings)
    assert set(r.graph.objects(model, RG.mergedFrom)) == {BASE, hf_model_iri("other-org/another-model")}


def test_yaml_bomb_is_refused():
    with pytest.raises(InputError, match="yaml-bomb-card.md: YAML anchors and aliases are refused"):
        import_hf_model_card(FIXTURES / "yaml-bomb-card.md")


def test_oversized_and_malformed_cards(tmp_path):
    big = tmp_path / "big.md"
    big.write_text("---\nlicense: mit\nx: '" + "a" * 300_000 + "'\n---\n")
    with pytest.raises(InputError, match="big.md: the YAML front matter is over"):
        import_hf_model_card(big)
    bad = tmp_path / "bad.md"
    bad.write_text("---\nlicense: [mit\n---\n")
    with pytest.raises(InputError, match="bad.md"):
        import_hf_model_card(bad)
    none = tmp_path / "none.md"
    none.write_text("# no metadata\n")
    with pytest.raises(InputError, match="none.md: no YAML front matter"):
        import_hf_model_card(none)


# -- Croissant, SPDX -------------------------------------------------------------------------------
def test_croissant():
    r = import_croissant(FIXTURES / "sunset-photos.croissant.json", read_on=DAY)
    g = r.graph
    assert (PHOTOS, RDF.type, RG.Dataset) in g
    assert (PHOTOS, RG.licence, CC_BY_NC) in g
    assert (PHOTOS, RG.publishedOn, Literal("2025-03-14", datatype=XSD.date)) in g
    curators = {str(only(g.objects(a, RDFS.label))) for a in g.objects(PHOTOS, RG.curatedBy)}
    assert curators == {"Example Org", "Dana Curator"}
    assert (URIRef("https://example.org/"), RDF.type, RG.LegalPerson) in g
    assert set(g.objects(PHOTOS, RG.includesWork)) == {work_iri(ARCHIVE), work_iri(PUBLIC)}
    bo = only(g.objects(work_iri(ARCHIVE), RG.createdBy))
    assert (bo, RDFS.label, Literal("Bo Photographer")) in g and (bo, RDF.type, RG.NaturalPerson) in g
    assert (work_iri(ARCHIVE), RG.contentUrl, Literal(ARCHIVE, datatype=XSD.anyURI)) in g
    assert_provenance(r)


def test_croissant_invalid(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"@type": "sc:Dataset", "name": 3')
    with pytest.raises(InputError, match="bad.json:1"):
        import_croissant(bad)
    odd = tmp_path / "odd.json"
    odd.write_text('{"@context": {}, "@type": "NotADataset"}')
    with pytest.raises(InputError, match="odd.json: not a valid Croissant"):
        import_croissant(odd)


def test_spdx(spdx_document):
    r = import_spdx(spdx_document, read_on=DAY)
    g = r.graph
    model, data = URIRef("https://example.org/spdx/sunset/model"), URIRef("https://example.org/spdx/sunset/dataset")
    assert (model, RDF.type, RG.AIModel) in g and (data, RDF.type, RG.Dataset) in g
    assert (model, RG.trainedOn, data) in g
    assert (model, RG.licence, URIRef("http://spdx.org/licenses/Apache-2.0")) in g
    assert (data, RG.licence, CC_BY_NC) in g
    assert r.warnings == []
    assert_provenance(r)


def test_spdx_garbage(tmp_path):
    bad = tmp_path / "bad.spdx.json"
    bad.write_text('{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": [{"type": "Nope"}]}')
    r = import_spdx(bad)
    assert any("no AI or dataset package" in w for w in r.warnings)
    broken = tmp_path / "broken.spdx.json"
    broken.write_text('{"@context": ')
    with pytest.raises(InputError, match="broken.spdx.json: not a valid SPDX 3"):
        import_spdx(broken)


# -- Opt-outs --------------------------------------------------------------------------------------
def _reservations(g):
    return {s: {p: set(g.objects(s, p)) for p in set(g.predicates(s))} for s in g.subjects(RDF.type, RG.TDMReservation)}


def test_robots():
    r = import_robots(FIXTURES / "robots.txt", read_on=DAY, site=SITE, covers=[ARCHIVE, PUBLIC])
    res = {str(only(v[RG.crawler])): v for v in _reservations(r.graph).values()}
    assert set(res) == {"GPTBot", "CCBot", "Google-Extended"}
    assert res["GPTBot"][RG.reservationCovers] == {work_iri(ARCHIVE)}
    assert res["GPTBot"][RG.locationPattern] == {Literal("/archive/")}
    assert res["CCBot"][RG.reservationCovers] == {work_iri(ARCHIVE), work_iri(PUBLIC)}
    for v in res.values():
        assert v[RG.mechanism] == {RG.RobotsTxt} and v[RG.machineReadable] == {Literal(True)}
        assert v[RG.reservedOn] == {Literal("2026-06-01", datatype=XSD.date)}
    assert_provenance(r)


def test_tdmrep_file_and_headers():
    r = import_tdmrep(FIXTURES / "tdmrep.json", read_on=DAY, site=SITE, covers=[ARCHIVE, PUBLIC])
    res = only(_reservations(r.graph).values())
    assert res[RG.reservationCovers] == {work_iri(ARCHIVE)}
    assert res[RG.mechanism] == {RG.TDMRep}
    assert res[RG.tdmPolicy] == {Literal(SITE + "/tdm-policy.json", datatype=XSD.anyURI)}
    assert res[RG.reservedOn] == {Literal("2026-06-01", datatype=XSD.date)}
    assert_provenance(r)
    for headers in (FIXTURES / "headers.txt", {"TDM-Reservation": "1", "tdm-policy": SITE + "/tdm-policy.json"}):
        h = import_tdmrep_headers(headers, url=ARCHIVE, read_on=DAY)
        assert only(_reservations(h.graph).values())[RG.reservationCovers] == {work_iri(ARCHIVE)}
    assert not _reservations(import_tdmrep_headers({"tdm-reservation": "0"}, url=PUBLIC, read_on=DAY).graph)


def test_tdmrep_not_json(tmp_path):
    bad = tmp_path / "tdmrep.json"
    bad.write_text('{"location": "/"}')
    with pytest.raises(InputError, match="tdmrep.json: a tdmrep.json file is a JSON array"):
        import_tdmrep(bad)


# -- Licences, registry, idempotence ---------------------------------------------------------------
@pytest.mark.parametrize("text,iri", [
    ("cc-by-nc-4.0", CC_BY_NC), ("CC-BY-NC-4.0", CC_BY_NC), ("https://creativecommons.org/licenses/by-nc/4.0/legalcode", CC_BY_NC),
    ("http://creativecommons.org/licenses/by-nc/4.0", CC_BY_NC), ("apache-2.0", URIRef("http://spdx.org/licenses/Apache-2.0")),
    ("cc0-1.0", URIRef("https://creativecommons.org/publicdomain/zero/1.0/")),
])
def test_licence_resolution(text, iri):
    assert resolve(text) == (iri, None)


def test_unknown_licence_string_warns():
    iri, warning = resolve("Do What You Like 0.1")
    assert iri is None and "unknown licence" in warning


def test_registry_and_unknown_kind():
    assert {"c2pa", "hf-model-card", "hf-dataset-card", "croissant", "spdx", "robots", "tdmrep"} <= set(IMPORTERS)
    with pytest.raises(InputError, match="unknown import kind 'nope'"):
        import_file("nope", FIXTURES / "robots.txt")
    with pytest.raises(InputError, match="no such file"):
        import_file("robots", FIXTURES / "missing.txt")


def test_importing_twice_gives_the_same_graph(signed_images, spdx_document, tmp_path):
    runs = [("c2pa", signed_images["signed"], {"trust_anchors": signed_images["ca"]}),
            ("hf-model-card", FIXTURES / "lora-model-card.md", {"repo_id": MODEL_REPO}),
            ("hf-dataset-card", FIXTURES / "dataset-card.md", {}),
            ("croissant", FIXTURES / "sunset-photos.croissant.json", {}),
            ("spdx", spdx_document, {}),
            ("robots", FIXTURES / "robots.txt", {"site": SITE, "covers": [ARCHIVE]}),
            ("tdmrep", FIXTURES / "tdmrep.json", {"site": SITE, "covers": [ARCHIVE]})]
    for kind, path, opts in runs:
        a = import_file(kind, path, read_on=DAY, **opts)
        copy = tmp_path / f"copy-{path.name}"
        shutil.copy(path, copy)
        b = import_file(kind, copy, read_on=DAY, **opts)
        assert len(a.graph) == len(b.graph)
        a2 = import_file(kind, path, read_on=DAY, **opts)
        assert set(a.graph) == set(a2.graph), kind  # no blank nodes: equal as sets of triples
        assert isomorphic(a.graph, a2.graph)


# -- End to end (issue 9) --------------------------------------------------------------------------
def test_end_to_end_output_contributors_and_opt_outs(signed_images):
    from rightsgraph import KnowledgeBase

    results = [
        import_c2pa(signed_images["signed"], read_on=DAY, trust_anchors=signed_images["ca"]),
        import_hf_model_card(FIXTURES / "lora-model-card.md", read_on=DAY, repo_id=MODEL_REPO),
        import_hf_model_card(FIXTURES / "base-model-card.md", read_on=DAY, repo_id="example-org/example-diffusion-1.0"),
        import_croissant(FIXTURES / "sunset-photos.croissant.json", read_on=DAY),
        import_tdmrep(FIXTURES / "tdmrep.json", read_on=DAY, site=SITE, covers=[ARCHIVE, PUBLIC]),
    ]
    kb = KnowledgeBase()
    kb.load(*(r.graph for r in results))
    report = kb.validate()
    assert report.conforms, report.to_json()
    kb.reason(["CN", "EU"], as_of="2026-11-25")

    image = only(results[0].graph.subjects(RG.digitalSourceType, IPTC_AI))
    files = {r.source: r.path for r in results}
    for jur in ("CN", "EU"):
        found = {}
        for d in kb.contributors(str(image), jurisdiction=jur):
            found[str(d.values("contributor")[0])] = [bool(v.toPython()) for v in d.values("optedOut")]
        bo = only(results[3].graph.subjects(RDFS.label, Literal("Bo Photographer")))
        cy = only(results[3].graph.subjects(RDFS.label, Literal("Cy Painter")))
        # materialised: the dataset, and the objectors (the opted-out photo and its creator)
        # (the LoRA's own card names its training set, which stands behind the output too)
        lora_set = "https://huggingface.co/datasets/example-org/watercolour-sunsets"
        assert found == {str(PHOTOS): [], lora_set: [], str(work_iri(ARCHIVE)): [True], str(bo): [True]}, jur

    # everyone behind the output, objecting or not, comes from the library query over the imported facts
    from rightsgraph import queries as library
    entry = library.get("contributors-behind-output")
    rows = kb.query(entry.text, bindings=entry.bind({"output": str(image)}))
    behind = {(str(r["role"]), str(r["contributor"]), str(r.get("optedOut", ""))) for r in rows
              if str(r["role"]) in ("work", "creator")}
    assert behind == {("work", str(work_iri(ARCHIVE)), "true"), ("work", str(work_iri(PUBLIC)), "false"),
                      ("creator", str(bo), "true"), ("creator", str(cy), "false")}

    # The proof of Bo's contribution traces through the model lineage to facts from the imported files.
    d = only(d for d in kb.contributors(str(image), jurisdiction="EU") if d.values("contributor")[0] == bo)
    explanation = kb.explain(d.iri)
    asserted = []

    def walk(derivation):
        for p in derivation.premises:
            if p.basis == "asserted":
                asserted.append(p.triple)
            if p.derivation:
                walk(p.derivation)
    for der in explanation.derivations:
        walk(der)
    assert asserted
    predicates = {str(t[1]) for t in asserted}
    assert {str(RG.generatedBy), str(RG.usedModel), str(RG.trainedOn), str(RG.includesWork),
            str(RG.createdBy)} <= predicates
    cited = set()
    for s, _, _ in asserted:
        rows = kb.query(f"SELECT ?f WHERE {{ <{s}> <{RG.importedFrom}> ?f . ?f a <{RG.SourceFile}> ; "
                        f"<{RG.sha256}> ?h ; <{RG.readOn}> ?d }}")
        assert rows, f"no provenance for {s}"
        cited |= {files[URIRef(str(r['f']))] for r in rows if URIRef(str(r["f"])) in files}
    assert {str(signed_images["signed"]), str(FIXTURES / "base-model-card.md"),
            str(FIXTURES / "sunset-photos.croissant.json")} <= cited
    # The opt-out that applies: the TDMRep reservation covering the archived photograph.
    res = only(kb.query(f"SELECT ?r WHERE {{ ?r a <{RG.TDMReservation}> ; <{RG.reservationCovers}> <{work_iri(ARCHIVE)}> }}"))
    assert (URIRef(str(res["r"])), RG.mechanism, RG.TDMRep) in results[4].graph
