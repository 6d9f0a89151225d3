"""A parsed certificate's facts (x509_cert.py), shared by the parse builtins and the chain
verification: the signature hash, and URIStrings only where OPA shows it."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.x509.oid import NameOID

from gitops_guard.evaluate.rego.x509_cert import cert_json, hash_name

NAME = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "c")])


def _cert(key: Any, algorithm: hashes.SHA256 | hashes.SHA384 | None) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    return (x509.CertificateBuilder().subject_name(NAME).issuer_name(NAME)
            .public_key(key.public_key()).serial_number(1).not_valid_before(now)
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.UniformResourceIdentifier("spiffe://a/b")]), False)
            .sign(key, algorithm))


@pytest.mark.parametrize(("key", "algorithm", "name", "signature_algorithm"), [
    (ec.generate_private_key(ec.SECP256R1()), hashes.SHA256(), "sha256", 10),
    (ec.generate_private_key(ec.SECP384R1()), hashes.SHA384(), "sha384", 11),
    (ed25519.Ed25519PrivateKey.generate(), None, None, 16),  # Ed25519 hashes nothing
])
def test_signature_hash_and_algorithm(key: Any, algorithm: hashes.SHA256 | hashes.SHA384 | None,
                                      name: str | None, signature_algorithm: int) -> None:
    cert = _cert(key, algorithm)
    assert hash_name(cert) == name
    assert cert_json(cert)["SignatureAlgorithm"] == signature_algorithm


def test_uri_strings_only_when_asked() -> None:
    cert = _cert(ec.generate_private_key(ec.SECP256R1()), hashes.SHA256())
    assert cert_json(cert)["URIStrings"] == ["spiffe://a/b"]
    facts = cert_json(cert, uri_strings=False)
    assert "URIStrings" not in facts and facts["URIs"][0]["Host"] == "a"
