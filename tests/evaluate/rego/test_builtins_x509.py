"""crypto.x509.* run through `verify` as a policy calls them: the inputs each builtin takes
(PEM, base64 DER), private keys and key pairs. The certificate and CSR records are tested in
test_x509_json.py, chain verification in test_x509_verify.py. The expected values are OPA
v1.20.2's answers on the same inputs (measured with OPA as a shared library,
benchmarks/opa_reference.py); the keys are made at test time (pki.py)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import RunCli
from tests.evaluate.rego.conftest import verify_pki

X509 = """
test_parse_several_and_der if {
    count(crypto.x509.parse_certificates(data.pki.root_then_leaf)) == 3
    [leaf] := crypto.x509.parse_certificates(data.pki.leaf_der_b64)
    leaf.Subject.CommonName == "leaf.example.com"
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
    out = verify_pki(run_cli, tmp_path, pki, X509)
    assert "3 tests, 3 passed" in out


def test_x509_error_is_named(run_cli: RunCli, tmp_path: Path, pki: dict[str, Any]) -> None:
    """A key that is not the certificate's: OPA's error text, and the test is an ERROR."""
    (tmp_path / "pki.json").write_text(json.dumps({"pki": pki}))
    (tmp_path / "t.rego").write_text(
        "package main\nimport rego.v1\ntest_pair if crypto.x509.parse_keypair("
        "data.pki.certs.root, data.pki.ec_key)\n")
    result = run_cli("verify", "-p", str(tmp_path / "t.rego"), "-d", str(tmp_path / "pki.json"))
    assert result.code != 0
    assert "tls: private key type does not match public key type" in result.out + result.err
