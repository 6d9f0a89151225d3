"""The Python builtins (crypto.x509.*, io.jwt.verify_* / decode_verify, regex.globs_match)
answered beside OPA v1.20.2 itself on the same arguments, value by value.

    python benchmarks/opa_builtins_diff.py --opa-bridge /tmp/opa/w [--globs 1500]

`--opa-bridge` is the unpacked opa-golib-python-bindings wheel (see opa_reference.py).
The certificates, keys and tokens are made fresh (tests/evaluate/rego/pki.py); the globs
are random ones over `a b . [ab] [b-c] a* b+ .* [a-c]+ c`. Integers beyond 64 bits are
compared as the decimal strings the embedded engine carries. Prints each disagreement,
then the counts; an error on both sides counts as agreement (OPA wraps the message).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.opa_reference import load_bridge  # noqa: E402
from gitops_guard.evaluate.rego.builtins import BUILTINS  # noqa: E402
from tests.evaluate.rego.pki import make_pki  # noqa: E402

ERROR = "<error>"


def _as_engine_carries(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _as_engine_carries(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_engine_carries(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and not (
            -(1 << 63) <= value < (1 << 64)):
        return str(value)
    return value


def cases(pki: dict[str, Any], globs: int) -> list[tuple[str, tuple[Any, ...]]]:
    certs, keys, tokens = pki["certs"], pki["keys"], pki["tokens"]
    out: list[tuple[str, tuple[Any, ...]]] = []
    for pem in (*certs.values(), pki["root_then_leaf"], pki["leaf_der_b64"], "bad!"):
        out.append(("crypto.x509.parse_certificates", (pem,)))
    for chain in (("root", "inter", "leaf"), ("root", "inter", "client_only"),
                  ("root", "inter", "outside"), ("root", "inter", "expired"),
                  ("root", "leaf"), ("leaf",)):
        out.append(("crypto.x509.parse_and_verify_certificates",
                    ("".join(certs[c] for c in chain),)))
    out.append(("crypto.x509.parse_certificate_request", (pki["csr"],)))
    for key in (pki["rsa_key"], pki["ec_key"], certs["root"]):
        out.append(("crypto.x509.parse_rsa_private_key", (key,)))
    out += [("crypto.x509.parse_keypair", (certs["leaf"], pki["ec_key"])),
            ("crypto.x509.parse_keypair", (certs["root"], pki["rsa_key"])),
            ("crypto.x509.parse_keypair", (certs["root"], pki["ec_key"]))]
    for alg, token in (("rs256", "rs256"), ("ps384", "ps384"), ("es256", "es256"),
                       ("eddsa", "eddsa"), ("rs384", "rs256"), ("es256", "rs256")):
        for key in (keys["rsa"], keys["ec"], keys["ed"], keys["jwks"], certs["root"]):
            out.append((f"io.jwt.verify_{alg}", (tokens[token], key)))
    out += [("io.jwt.verify_hs256", (tokens["hs256"], s)) for s in ("s3cret", "no")]
    t = 1500000000 * 10**9
    for token in tokens:
        for constraints in ({"cert": keys["rsa"], "time": t, "aud": "api"},
                            {"cert": keys["jwks"], "time": t, "aud": "api", "iss": "acme"},
                            {"secret": "s3cret", "time": t, "aud": "api"},
                            {"secret": "s3cret", "time": t},
                            {"secret": "s3cret", "time": 2100000000 * 10**9, "aud": "api"},
                            {"time": t}):
            out.append(("io.jwt.decode_verify", (tokens[token], constraints)))
    alphabet = ["a", "b", ".", "[ab]", "[b-c]", "a*", "b+", ".*", "[a-c]+", "c"]
    rng = random.Random(7)
    for _ in range(globs):
        pair = tuple("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))
                     for _ in range(2))
        out.append(("regex.globs_match", pair))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opa-bridge", type=Path, required=True)
    parser.add_argument("--globs", type=int, default=1500)
    args = parser.parse_args(argv)
    bridge = load_bridge(args.opa_bridge)
    engine = bridge.OpaEngine()
    engine.add_policy("empty.rego", "package empty\n")
    same = differ = 0
    for name, arguments in cases(make_pki(), args.globs):
        refs = ", ".join(f"input[{i}]" for i in range(len(arguments)))
        try:
            rows = engine.eval_query(f"x := {name}({refs})", input=list(arguments))
            theirs = _as_engine_carries(rows[0]["x"]) if rows else ERROR
        except bridge.OpaError:
            theirs = ERROR
        try:
            ours = BUILTINS[name].func(*arguments)
        except Exception:  # the builtin's error: the call is an evaluation error
            ours = ERROR
        if json.dumps(ours, sort_keys=True) == json.dumps(theirs, sort_keys=True):
            same += 1
        else:
            differ += 1
            shown = ", ".join(repr(a)[:40] for a in arguments)
            print(f"DIFFER {name}({shown}): ours {str(ours)[:200]} | OPA {str(theirs)[:200]}")
    print(f"{same + differ} calls: {same} the same as OPA, {differ} different")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
