"""crypto.x509.* and io.jwt.verify_* / decode_verify, run through `verify` as a policy
calls them. The expected values are OPA v1.20.2's answers on the same inputs (measured with
OPA as a shared library, benchmarks/opa_reference.py); the keys are made at test time."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import RunCli
from tests.evaluate.rego.pki import make_pki


@pytest.fixture(scope="module")
def pki() -> dict[str, Any]:
    return make_pki()


def _verify(run_cli: RunCli, tmp_path: Path, pki: dict[str, Any], rego: str) -> str:
    (tmp_path / "pki.json").write_text(json.dumps({"pki": pki}))
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "t.rego").write_text("package main\nimport rego.v1\n" + rego)
    result = run_cli("verify", "-v", "-p", str(tmp_path / "policy"), "-d",
                     str(tmp_path / "pki.json"))
    assert result.code == 0, result.out + result.err
    return result.out


X509 = """
test_parse_pem if {
    [leaf] := crypto.x509.parse_certificates(data.pki.certs.leaf)
    leaf.Subject.CommonName == "leaf.example.com"
    leaf.Subject.Organization == ["Acme"]
    leaf.Issuer.CommonName == "inter"
    leaf.DNSNames == ["leaf.example.com"]
    leaf.IPAddresses == ["10.0.0.1"]
    leaf.URIStrings == ["spiffe://acme/ns/web"]
    leaf.URIs[0].Host == "acme"
    leaf.ExtKeyUsage == [1]
    leaf.IsCA == false
    leaf.BasicConstraintsValid == true
    leaf.PublicKeyAlgorithm == 3
    leaf.SignatureAlgorithm == 10
    leaf.Version == 3
    endswith(leaf.NotAfter, "Z")
}
test_parse_root_flags if {
    [root] := crypto.x509.parse_certificates(data.pki.certs.root)
    root.IsCA
    root.MaxPathLen == -1
    root.KeyUsage == 96
    root.PublicKey.E == 65537
    count(root.Extensions) == 2
}
test_parse_several_and_der if {
    count(crypto.x509.parse_certificates(data.pki.root_then_leaf)) == 3
    [leaf] := crypto.x509.parse_certificates(data.pki.leaf_der_b64)
    leaf.Subject.CommonName == "leaf.example.com"
}
test_chain_verifies if {
    [true, chain] := crypto.x509.parse_and_verify_certificates(data.pki.root_then_leaf)
    [c.Subject.CommonName | some c in chain] == ["leaf.example.com", "inter", "root"]
}
refused(names) if {
    pems := concat("", [data.pki.certs[n] | some n in names])
    crypto.x509.parse_and_verify_certificates(pems) == [false, []]
}
test_chain_refused if {
    refused(["root", "inter", "client_only"])  # no server-auth usage
    refused(["root", "inter", "outside"])  # outside the intermediate's name constraints
    refused(["root", "inter", "expired"])
    refused(["root", "leaf"])  # the intermediate missing
    refused(["leaf"])
}
test_csr if {
    csr := crypto.x509.parse_certificate_request(data.pki.csr)
    csr.Subject.CommonName == "csr.example.com"
    csr.DNSNames == ["csr.example.com"]
    csr.Version == 0
    csr.Attributes[0].Type == [1, 2, 840, 113549, 1, 9, 14]
}
test_rsa_private_key_as_jwk if {
    key := crypto.x509.parse_rsa_private_key(data.pki.rsa_key)
    key.kty == "RSA"
    key.e == "AQAB"
    object.keys(key) == {"kty", "n", "e", "d", "p", "q", "dp", "dq", "qi"}
    crypto.x509.parse_rsa_private_key(data.pki.ec_key).crv == "P-256"
    crypto.x509.parse_rsa_private_key(data.pki.certs.root) == null
}
test_keypair if {
    pair := crypto.x509.parse_keypair(data.pki.certs.leaf, data.pki.ec_key)
    count(pair.Certificate) == 1
    pair.Leaf.Subject.CommonName == "leaf.example.com"
    pair.PrivateKey.Curve == {}
    pair.OCSPStaple == null
}
"""


def test_x509_builtins_answer_as_opa(run_cli: RunCli, tmp_path: Path,
                                     pki: dict[str, Any]) -> None:
    out = _verify(run_cli, tmp_path, pki, X509)
    assert "8 tests, 8 passed" in out


def test_x509_error_is_named(run_cli: RunCli, tmp_path: Path, pki: dict[str, Any]) -> None:
    """A key that is not the certificate's: OPA's error text, and the test is an ERROR."""
    (tmp_path / "pki.json").write_text(json.dumps({"pki": pki}))
    (tmp_path / "t.rego").write_text(
        "package main\nimport rego.v1\ntest_pair if crypto.x509.parse_keypair("
        "data.pki.certs.root, data.pki.ec_key)\n")
    result = run_cli("verify", "-p", str(tmp_path / "t.rego"), "-d", str(tmp_path / "pki.json"))
    assert result.code != 0
    assert "tls: private key type does not match public key type" in result.out + result.err


JWT = """
test_verify_families if {
    io.jwt.verify_rs256(data.pki.tokens.rs256, data.pki.keys.rsa)
    io.jwt.verify_ps384(data.pki.tokens.ps384, data.pki.keys.rsa)
    io.jwt.verify_es256(data.pki.tokens.es256, data.pki.keys.ec)
    io.jwt.verify_eddsa(data.pki.tokens.eddsa, data.pki.keys.ed)
    io.jwt.verify_hs256(data.pki.tokens.hs256, "s3cret")
    io.jwt.verify_rs256(data.pki.tokens.rs256, data.pki.certs.root)
}
test_verify_with_jwks if {
    io.jwt.verify_rs256(data.pki.tokens.rs256, data.pki.keys.jwks)
    io.jwt.verify_es256(data.pki.tokens.es256, data.pki.keys.jwks)
}
test_verify_false if {
    io.jwt.verify_hs256(data.pki.tokens.hs256, "wrong") == false
    io.jwt.verify_rs384(data.pki.tokens.rs256, data.pki.keys.rsa) == false
    io.jwt.verify_rs256(data.pki.tokens.es256, data.pki.keys.rsa) == false
    io.jwt.verify_es256(data.pki.tokens.es256, data.pki.keys.rsa) == false
}
t := 1500000000000000000
test_decode_verify if {
    [true, header, payload] := io.jwt.decode_verify(data.pki.tokens.rs256,
        {"cert": data.pki.keys.rsa, "aud": "api", "iss": "acme", "time": t})
    header.alg == "RS256"
    payload.sub == "alice"
}
unverified(token, extra) if {
    c := object.union({"cert": data.pki.keys.rsa, "time": t}, extra)
    io.jwt.decode_verify(data.pki.tokens[token], c) == [false, {}, {}]
}
test_decode_verify_constraints if {
    unverified("rs256", {})  # the token has an audience, the constraints none
    unverified("rs256", {"aud": "api", "iss": "x"})
    unverified("rs256", {"aud": "api", "alg": "RS512"})
    unverified("rs256", {"aud": "api", "time": 2100000000000000000})  # expired
    unverified("rs256", {"aud": "api", "time": 900000000000000000})  # not yet valid
    io.jwt.decode_verify(data.pki.tokens.hs256, {"secret": "no", "time": t}) == [false, {}, {}]
}
with_secret := {"secret": "s3cret", "aud": "api", "time": t}
test_decode_verify_secret_jwks_nested if {
    [true, _, p1] := io.jwt.decode_verify(data.pki.tokens.hs256, with_secret)
    p1.iss == "acme"
    jwks := {"cert": data.pki.keys.jwks, "aud": "api", "time": t}
    [true, _, _] := io.jwt.decode_verify(data.pki.tokens.es256, jwks)
    [true, _, p2] := io.jwt.decode_verify(data.pki.tokens.nested, with_secret)
    p2.sub == "alice"
}
"""


def test_jwt_verification_answers_as_opa(run_cli: RunCli, tmp_path: Path,
                                         pki: dict[str, Any]) -> None:
    out = _verify(run_cli, tmp_path, pki, JWT)
    assert "6 tests, 6 passed" in out


def test_decode_verify_without_key_is_opas_error(run_cli: RunCli, tmp_path: Path,
                                                 pki: dict[str, Any]) -> None:
    (tmp_path / "pki.json").write_text(json.dumps({"pki": pki}))
    (tmp_path / "t.rego").write_text(
        "package main\nimport rego.v1\ntest_no_key if io.jwt.decode_verify("
        'data.pki.tokens.hs256, {"aud": "api"})\n')
    result = run_cli("verify", "-p", str(tmp_path / "t.rego"), "-d", str(tmp_path / "pki.json"))
    assert result.code != 0
    assert "no key constraint" in result.out + result.err
