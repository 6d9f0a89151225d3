"""io.jwt.verify_* and io.jwt.decode_verify (builtins_jwt.py, keys and signatures in
jwt_keys.py), run through `verify` as a policy calls them. The expected values are OPA
v1.20.2's answers on the same inputs (measured with OPA as a shared library,
benchmarks/opa_reference.py); the keys and tokens are made at test time (pki.py)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import RunCli
from tests.evaluate.rego.conftest import verify_pki

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
    out = verify_pki(run_cli, tmp_path, pki, JWT)
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
