"""OPA's io.jwt.verify_* and io.jwt.decode_verify in Python (builtins.py registers them),
following OPA v1.20's topdown/tokens.go: the same key sources (a PEM certificate, a PEM
public key, a JWK or a JWK set with `kid`/`alg` matching), the same errors for malformed
tokens, and decode_verify's constraint checks (alg, iss, aud, exp, nbf, time in ns,
nested tokens with `cty: JWT`).

Needs the `cryptography` package (a dependency).
"""
from __future__ import annotations

import base64
import binascii
import hmac
import json
import time
from collections.abc import Callable
from typing import Any, NamedTuple

from gitops_guard.evaluate.rego.pemder import pem_decode

_HASHES = {"256": "sha256", "384": "sha384", "512": "sha512"}
ALGORITHMS = {f"{family}{bits}" for family in ("RS", "PS", "ES", "HS") for bits in _HASHES} | {
    "EdDSA"}


# the `alg` values a JWK may carry (JWS and JWE key management); another is a parse error
_JWK_ALGORITHMS = ALGORITHMS | {"none", "ES256K", "RSA1_5", "RSA-OAEP", "RSA-OAEP-256",
                                "RSA-OAEP-384", "RSA-OAEP-512", "A128KW", "A192KW", "A256KW",
                                "dir", "ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW",
                                "ECDH-ES+A256KW", "A128GCMKW", "A192GCMKW", "A256GCMKW",
                                "PBES2-HS256+A128KW", "PBES2-HS384+A192KW",
                                "PBES2-HS512+A256KW"}


class Key(NamedTuple):
    key: Any
    alg: str = ""
    kid: str = ""


def b64url(text: str) -> bytes:
    """OPA's base64url.decode: padding optional, the alphabet strict."""
    if not text.endswith("="):
        if len(text) % 4 == 1:
            raise ValueError(f"illegal base64url string: {text}")
        text += "=" * (-len(text) % 4)
    if "+" in text or "/" in text:
        raise ValueError(f"illegal base64 data in {text!r}")
    try:
        return base64.b64decode(text.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"illegal base64 data: {exc}") from None


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


def _jwk_key(jwk: dict[str, Any]) -> Any:
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    def num(name: str) -> int:
        return int.from_bytes(b64url(str(jwk[name])), "big")

    kty = jwk.get("kty")
    if kty == "RSA":
        public = rsa.RSAPublicNumbers(num("e"), num("n"))
        return public.public_key()
    if kty == "EC":
        curves: dict[str, ec.EllipticCurve] = {"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1(),
                                               "P-521": ec.SECP521R1()}
        curve = curves.get(str(jwk.get("crv")))
        if curve is None:
            raise ValueError(f"invalid curve {jwk.get('crv')!r}")
        return ec.EllipticCurvePublicNumbers(num("x"), num("y"), curve).public_key()
    if kty == "OKP" and jwk.get("crv") == "Ed25519":
        return ed25519.Ed25519PublicKey.from_public_bytes(b64url(str(jwk["x"])))
    if kty == "oct":
        return b64url(str(jwk["k"]))
    raise ValueError(f"invalid key type from JSON ({kty or ''})")


def keys_from(text: str) -> list[Key]:
    """getKeysFromCertOrJWK: a PEM certificate or public key, else a JWK (set)."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import load_der_public_key

    block, rest = pem_decode(text.encode())
    if block is not None:
        if rest:
            raise ValueError("extra data after a PEM certificate block")
        try:
            if block.type == "CERTIFICATE":
                return [Key(x509.load_der_x509_certificate(block.data).public_key())]
            if block.type == "PUBLIC KEY":
                return [Key(load_der_public_key(block.data))]
        except ValueError as exc:
            raise ValueError(f"failed to parse a PEM {block.type.lower()}: {exc}") from None
        raise ValueError("failed to extract a Key from the PEM certificate")
    try:
        parsed = json.loads(text)
        entries = parsed["keys"] if isinstance(parsed, dict) and "keys" in parsed else [parsed]
        keys = []
        for jwk in entries:
            alg = str(jwk.get("alg", ""))
            if alg and alg not in _JWK_ALGORITHMS:
                raise ValueError(f"invalid algorithm {alg!r}")
            keys.append(Key(_jwk_key(jwk), alg, str(jwk.get("kid", ""))))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"failed to parse a JWK key (set): {exc}") from None
    return keys


def check_signature(key: Any, alg: str, message: bytes, signature: bytes) -> bool:
    """Whether `signature` over `message` verifies with `key` under the JWS `alg`."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    family, bits = alg[:2], alg[2:]
    algorithm = {"256": hashes.SHA256(), "384": hashes.SHA384(),
                 "512": hashes.SHA512()}.get(bits)
    try:
        if family == "HS" and isinstance(key, bytes) and bits in _HASHES:
            return hmac.compare_digest(hmac.new(key, message, _HASHES[bits]).digest(),
                                       signature)
        if family in ("RS", "PS") and isinstance(key, rsa.RSAPublicKey) and algorithm:
            pad = padding.PKCS1v15() if family == "RS" else padding.PSS(
                mgf=padding.MGF1(algorithm), salt_length=padding.PSS.AUTO)
            key.verify(signature, message, pad, algorithm)
            return True
        if family == "ES" and isinstance(key, ec.EllipticCurvePublicKey) and algorithm:
            half = len(signature) // 2
            r, s = (int.from_bytes(p, "big") for p in (signature[:half], signature[half:]))
            key.verify(encode_dss_signature(r, s), message, ec.ECDSA(algorithm))
            return True
        if alg == "EdDSA" and isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(signature, message)
            return True
    except (InvalidSignature, ValueError):
        return False
    return False


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
