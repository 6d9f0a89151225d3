"""JWS keys and signatures for the io.jwt builtins (builtins_jwt.py), following OPA v1.20's
topdown/tokens.go: where a key comes from (a PEM certificate, a PEM public key, a JWK or a
JWK set) and whether a signature verifies under a JWS `alg`.

Needs the `cryptography` package (a dependency).
"""
from __future__ import annotations

import base64
import binascii
import hmac
import json
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
