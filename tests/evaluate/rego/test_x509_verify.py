"""crypto.x509.parse_and_verify_certificates (x509_verify.py): Go's chain checks with OPA's
options, run through `verify` as a policy calls it. The answers are OPA v1.20.2's on the same
inputs (benchmarks/opa_reference.py); the keys are made at test time (pki.py)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import RunCli
from tests.evaluate.rego.conftest import verify_pki

CHAIN = """
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
"""


def test_chain_verification_answers_as_opa(run_cli: RunCli, tmp_path: Path,
                                           pki: dict[str, Any]) -> None:
    out = verify_pki(run_cli, tmp_path, pki, CHAIN)
    assert "2 tests, 2 passed" in out
