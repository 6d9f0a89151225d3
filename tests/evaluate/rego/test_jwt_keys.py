"""JWS keys and signatures (jwt_keys.py): where a key comes from and whether a signature
verifies, with OPA's errors for keys it cannot read. The keys are made at test time."""
from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from gitops_guard.evaluate.rego.jwt_keys import b64url, check_signature, keys_from
from tests.evaluate.rego.pki import jwt


@pytest.mark.parametrize(("text", "data"), [
    ("YWJj", b"abc"), ("YWI", b"ab"), ("YWI=", b"ab"), ("-_8", b"\xfb\xff"), ("", b""),
])
def test_b64url_padding_optional(text: str, data: bytes) -> None:
    assert b64url(text) == data


@pytest.mark.parametrize(("text", "error"), [
    ("YWJjZ", "illegal base64url string"),  # one character over a group
    ("+/8", "illegal base64 data"),  # the standard alphabet
    ("Y!Jj", "illegal base64 data"),
])
def test_b64url_strict_alphabet(text: str, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        b64url(text)


def test_keys_from_pem_certificate_public_key_and_jwks(pki: dict[str, Any]) -> None:
    assert len(keys_from(pki["certs"]["root"])) == 1
    assert len(keys_from(pki["keys"]["ec"])) == 1
    jwks = keys_from(pki["keys"]["jwks"])
    assert [(k.kid, k.alg) for k in jwks] == [("k1", "RS256"), ("k2", "")]


@pytest.mark.parametrize(("text", "error"), [
    ("{certs[root]}{certs[leaf]}", "extra data after a PEM certificate block"),
    ("{ec_key}", "failed to extract a Key from the PEM certificate"),
    ('{{"kty": "RSA", "alg": "XS256", "n": "AQAB", "e": "AQAB"}}', "invalid algorithm 'XS256'"),
    ('{{"kty": "EC", "crv": "P-192", "x": "AA", "y": "AA"}}', "invalid curve 'P-192'"),
    ('{{"kty": "nope"}}', r"invalid key type from JSON \(nope\)"),
    ("not a key", "failed to parse a JWK key"),
])
def test_unreadable_keys_say_why(pki: dict[str, Any], text: str, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        keys_from(text.format(**pki))


@pytest.fixture(scope="module")
def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _signed(alg: str, key: Any) -> tuple[bytes, bytes]:
    head, payload, signature = jwt(alg, {"sub": "x"}, key).split(".")
    return f"{head}.{payload}".encode(), b64url(signature)


@pytest.mark.parametrize(("alg", "verify_alg", "valid"), [
    ("ES256", "ES256", True),
    ("ES256", "ES384", False),  # another hash
    ("ES256", "RS256", False),  # a key of another family
    ("ES256", "EdDSA", False),
])
def test_check_signature_by_alg(ec_key: ec.EllipticCurvePrivateKey, alg: str,
                                verify_alg: str, valid: bool) -> None:
    message, signature = _signed(alg, ec_key)
    assert check_signature(ec_key.public_key(), verify_alg, message, signature) is valid
    assert check_signature(ec_key.public_key(), verify_alg, message + b"x", signature) is False


@pytest.mark.parametrize(("key", "alg", "valid"), [
    (b"s3cret", "HS256", True), (b"wrong", "HS256", False), (b"s3cret", "HS384", False),
])
def test_hmac_signature(key: bytes, alg: str, valid: bool) -> None:
    signature = hmac.new(b"s3cret", b"m", hashlib.sha256).digest()
    assert check_signature(key, alg, b"m", signature) is valid


def test_jwks_keys_of_json_mapping_kinds() -> None:
    oct_key = json.dumps({"kty": "oct", "k": "czNjcmV0"})
    [key] = keys_from(oct_key)
    assert key.key == b"s3cret"
