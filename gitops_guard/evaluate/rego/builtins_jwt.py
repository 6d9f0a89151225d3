"""OPA's io.jwt.verify_* and io.jwt.decode_verify in Python (builtins.py registers them),
following OPA v1.20's topdown/tokens.go: the same key choice (a JWK set's `kid`/`alg`
matching; the keys and signatures themselves are in jwt_keys.py), the same errors for
malformed tokens, and decode_verify's constraint checks (alg, iss, aud, exp, nbf, time in ns,
nested tokens with `cty: JWT`).

Needs the `cryptography` package (a dependency).
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from gitops_guard.evaluate.rego.jwt_keys import (
    ALGORITHMS,
    Key,
    b64url,
    check_signature,
    keys_from,
)


def _split(token: Any) -> list[str]:
    if not isinstance(token, str):
        raise ValueError("operand 1 must be string")
    if "." not in token:
        raise ValueError("encoded JWT had no period separators")
    parts = token.split(".")
    if len(parts) != 3:
        raise ValueError(f"encoded JWT must have 3 sections, found {len(parts)}")
    return parts


def _json_object(data: bytes, what: str) -> dict[str, Any]:
    try:
        value = json.loads(data)
    except ValueError as exc:
        raise ValueError(f"{what}invalid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise ValueError(f"{what}decoded JSON type was not an Object")
    return value


def _header(part: str) -> dict[str, Any]:
    try:
        raw = b64url(part)
    except ValueError as exc:
        raise ValueError(f"JWT header had invalid encoding: {exc}") from None
    header = _json_object(raw, "bad JWT header: ")
    if "enc" in header:
        raise ValueError("JWT is a JWE object, which is not supported")
    return header


def _verify(alg: str) -> Callable[[Any, Any], bool]:
    """io.jwt.verify_<alg>(token, key): the builtin's own algorithm, whatever the header
    says; a JWK set's key with another `alg` is skipped."""
    def verify(token: Any, certificate: Any) -> bool:
        header_part, payload_part, signature_part = _split(token)
        if not isinstance(certificate, str):
            raise ValueError("operand 2 must be string")
        message = f"{header_part}.{payload_part}".encode()
        if alg.startswith("HS"):
            return check_signature(certificate.encode(), alg, message, b64url(signature_part))
        keys = keys_from(certificate)
        signature = b64url(signature_part)
        header = _header(header_part)
        kid, header_alg = str(header.get("kid", "")), str(header.get("alg", ""))
        if kid:
            for key in keys:
                if key.kid == kid:
                    return check_signature(key.key, alg, message, signature)
        return any(check_signature(key.key, alg, message, signature) for key in keys
                   if not key.alg or key.alg == header_alg)
    return verify


def _constraints(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError("operand 2 must be object")
    out: dict[str, Any] = {"time": None}
    for name, item in value.items():
        if name == "cert":
            if not isinstance(item, str):
                raise ValueError("cert constraint: must be a string")
            out["keys"] = keys_from(item)
        elif name in ("secret", "alg", "iss", "aud"):
            if not isinstance(item, str):
                raise ValueError(f"{name} constraint: must be a string")
            out[name] = item
        elif name == "time":
            if isinstance(item, bool) or not isinstance(item, (int, float)):
                raise ValueError("token time constraint: must be a number")
            if item < 0:
                raise ValueError("token time constraint: must not be negative")
            out["time"] = float(item)
        else:
            raise ValueError(f"unknown token validation constraint: {name}")
    if out["time"] is None:
        out["time"] = float(time.time_ns())
    count = ("keys" in out) + bool(out.get("secret"))
    if count != 1:
        raise ValueError("duplicate key constraints" if count else "no key constraint")
    return out


def _header_valid(header: dict[str, Any]) -> bool:
    for name in ("alg", "kid", "typ", "cty"):
        if name in header and not isinstance(header[name], str):
            raise ValueError(f"{name}: must be a string")
    crit = header.get("crit")
    if crit is not None:
        if not isinstance(crit, list):
            raise ValueError("crit: must be a list")
        if not crit:
            raise ValueError("crit: must be a nonempty list")
    known = {"alg", "kid", "typ", "cty", "crit"}
    if not header.get("alg"):
        return False
    return not any(name in (crit or []) for name in header if name not in known)


def _signature_ok(constraints: dict[str, Any], header: dict[str, Any], message: bytes,
                  signature: bytes) -> bool:
    alg, kid = str(header["alg"]), str(header.get("kid", ""))
    if "keys" in constraints:
        keys: list[Key] = constraints["keys"]
        public = [k._replace(key=_public(k.key)) for k in keys]
        if kid:
            for key in public:
                if key.kid == kid:
                    return check_signature(key.key, alg, message, signature)
        return any(check_signature(k.key, alg, message, signature) for k in public
                   if not k.alg or k.alg == alg)
    return check_signature(str(constraints["secret"]).encode(), alg, message, signature)


def _public(key: Any) -> Any:
    return key.public_key() if hasattr(key, "public_key") else key


UNVERIFIED: list[Any] = [False, {}, {}]


def decode_verify(token: Any, value: Any) -> list[Any]:
    """io.jwt.decode_verify(token, constraints): [valid, header, payload]."""
    constraints = _constraints(value)
    while True:
        header_part, payload_part, signature_part = _split(token)
        header = _header(header_part)
        if not _header_valid(header):
            return UNVERIFIED
        if constraints.get("alg") and constraints["alg"] != header["alg"]:
            return UNVERIFIED
        signature = b64url(signature_part)
        if not _signature_ok(constraints, header, f"{header_part}.{payload_part}".encode(),
                             signature):
            return UNVERIFIED
        try:
            payload_bytes = b64url(payload_part)
        except ValueError as exc:
            raise ValueError(f"JWT payload had invalid encoding: {exc}") from None
        if str(header.get("cty", "")).upper() == "JWT":
            token = payload_bytes.decode("utf-8", "replace")
            continue
        break
    payload = _json_object(payload_bytes, "")
    return [True, header, payload] if _claims_ok(constraints, payload) else UNVERIFIED


def _claims_ok(constraints: dict[str, Any], payload: dict[str, Any]) -> bool:
    if constraints.get("iss") and payload.get("iss") != constraints["iss"]:
        return False
    want = constraints.get("aud", "")
    if "aud" in payload:
        aud = payload["aud"]
        if not (aud == want if isinstance(aud, str) else
                isinstance(aud, list) and want in [a for a in aud if isinstance(a, str)]):
            return False
    elif want:
        return False
    now = constraints["time"] / 1e9
    for claim in ("exp", "nbf"):
        if claim in payload:
            stamp = payload[claim]
            if isinstance(stamp, bool) or not isinstance(stamp, (int, float)):
                raise ValueError(f"{claim} value must be a number")
            if (now >= stamp) if claim == "exp" else (now < stamp):
                return False
    return True


JWT: dict[str, tuple[int, Callable[..., Any]]] = {
    **{f"io.jwt.verify_{alg.lower()}": (2, _verify(alg)) for alg in sorted(ALGORITHMS)},
    "io.jwt.decode_verify": (2, decode_verify),
}
