"""Fixtures generated at run time: a test certificate authority, C2PA-signed JPEGs, an SPDX 3 document."""
from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
MODEL_REPO = "example-org/sunset-lora"


def _name(cn: str, org: str):
    from cryptography import x509
    from cryptography.x509.oid import NameOID
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn), x509.NameAttribute(NameOID.ORGANIZATION_NAME, org)])


def _usage(ca: bool):
    from cryptography import x509
    return x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                         encipher_only=False, decipher_only=False)


@pytest.fixture(scope="session")
def test_ca(tmp_path_factory):
    """An ES256 root CA and a leaf signing certificate (digitalSignature, emailProtection)."""
    pytest.importorskip("cryptography")
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID

    start = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(_name("RightsGraph Test Root", "RightsGraph Test CA"))
          .issuer_name(_name("RightsGraph Test Root", "RightsGraph Test CA")).public_key(ca_key.public_key())
          .serial_number(1).not_valid_before(start).not_valid_after(start + dt.timedelta(days=3650))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(_usage(True), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (x509.CertificateBuilder().subject_name(_name("Example Studio Signer", "Example Studio Ltd"))
            .issuer_name(ca.subject).public_key(key.public_key()).serial_number(2)
            .not_valid_before(start).not_valid_after(start + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_usage(False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = lambda c: c.public_bytes(serialization.Encoding.PEM)  # noqa: E731
    d = tmp_path_factory.mktemp("ca")
    (d / "ca.pem").write_bytes(pem(ca))
    return {"ca_pem": d / "ca.pem", "chain": pem(leaf) + pem(ca),
            "key": key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())}


def sign_jpeg(test_ca, dest: Path, manifest: dict) -> Path:
    import c2pa
    from PIL import Image

    source = io.BytesIO()
    Image.new("RGB", (96, 64), (230, 120, 40)).save(source, "JPEG", quality=90)
    source.seek(0)
    signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, test_ca["chain"], test_ca["key"], None))
    out = io.BytesIO()
    c2pa.Builder(json.dumps(manifest)).sign(signer, "image/jpeg", source, out)
    dest.write_bytes(out.getvalue())
    return dest


AI_MANIFEST = {
    "claim_generator_info": [{"name": "rightsgraph-tests", "version": "1.0"}],
    "title": "watercolour-sunset.jpg",
    "format": "image/jpeg",
    "assertions": [
        {"label": "c2pa.actions.v2", "data": {"actions": [{
            "action": "c2pa.created",
            "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
            "softwareAgent": {"name": MODEL_REPO, "version": "1.0"},
            "when": "2026-05-02T10:00:00Z"}]}},
        {"label": "cawg.training-mining", "data": {"entries": {
            "cawg.ai_generative_training": {"use": "notAllowed"},
            "cawg.ai_training": {"use": "notAllowed"},
            "cawg.data_mining": {"use": "constrained", "constraint_info": "ask first"}}}},
        {"label": "stds.schema-org.CreativeWork", "data": {
            "@context": "https://schema.org", "@type": "CreativeWork",
            "author": [{"@type": "Person", "name": "Alice Example"}]}},
    ],
}


@pytest.fixture(scope="session")
def signed_images(test_ca, tmp_path_factory):
    """The signed AI-generated JPEG and a copy with one byte of the image data flipped."""
    pytest.importorskip("c2pa")
    d = tmp_path_factory.mktemp("c2pa")
    signed = sign_jpeg(test_ca, d / "watercolour-sunset.jpg", AI_MANIFEST)
    data = bytearray(signed.read_bytes())
    data[-10] ^= 0x01  # inside the entropy-coded image data, before the end-of-image marker
    tampered = d / "watercolour-sunset-tampered.jpg"
    tampered.write_bytes(bytes(data))
    return {"signed": signed, "tampered": tampered, "ca": test_ca["ca_pem"]}


@pytest.fixture(scope="session")
def spdx_document(tmp_path_factory):
    """An SPDX 3.0.1 document: an AI package trained on a dataset package, both with concluded licences."""
    spdx = pytest.importorskip("spdx_python_model").v3_0_1
    objects = spdx.SHACLObjectSet()
    ci = spdx.CreationInfo()
    ci.specVersion = "3.0.1"
    ci.created = dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc)
    person = spdx.Person(spdxId="https://example.org/spdx/person/dana", name="Dana Curator", creationInfo=ci)
    ci.createdBy.append(person.spdxId)
    objects.add(person)
    base = "https://example.org/spdx/sunset/"
    model = spdx.ai_AIPackage(spdxId=base + "model", name="Example Diffusion 1.0", creationInfo=ci,
                              software_packageVersion="1.0", software_downloadLocation="https://example.org/model",
                              suppliedBy=person.spdxId, releaseTime=ci.created)
    data = spdx.dataset_DatasetPackage(spdxId=base + "dataset", name="sunset-photos", creationInfo=ci,
                                       software_packageVersion="1.0",
                                       software_downloadLocation="https://example.org/data",
                                       releaseTime=ci.created, builtTime=ci.created,
                                       software_primaryPurpose=spdx.software_SoftwarePurpose.data,
                                       dataset_datasetType=[spdx.dataset_DatasetType.image])
    lic_model = spdx.simplelicensing_LicenseExpression(spdxId=base + "licence-model", creationInfo=ci,
                                                       simplelicensing_licenseExpression="Apache-2.0")
    lic_data = spdx.simplelicensing_LicenseExpression(spdxId=base + "licence-data", creationInfo=ci,
                                                      simplelicensing_licenseExpression="CC-BY-NC-4.0")
    rels = [
        spdx.Relationship(spdxId=base + "rel-trained", creationInfo=ci, from_=model, to=[data],
                          relationshipType=spdx.RelationshipType.trainedOn),
        spdx.Relationship(spdxId=base + "rel-lic-model", creationInfo=ci, from_=model, to=[lic_model],
                          relationshipType=spdx.RelationshipType.hasConcludedLicense),
        spdx.Relationship(spdxId=base + "rel-lic-data", creationInfo=ci, from_=data, to=[lic_data],
                          relationshipType=spdx.RelationshipType.hasDeclaredLicense),
    ]
    for o in (model, data, lic_model, lic_data, *rels):
        objects.add(o)
    path = tmp_path_factory.mktemp("spdx") / "sunset.spdx.json"
    with path.open("wb") as f:
        spdx.JSONLDSerializer().write(objects, f)
    return path
