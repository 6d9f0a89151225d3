"""OPA's crypto.x509.* builtins in Python (builtins.py registers them), with OPA v1.20's
input handling (PEM, base64 DER, base64 PEM) and output shapes (x509_json.py).

Needs the `cryptography` package (a dependency) for keys and signatures.
"""
from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Callable
from typing import Any

from gitops_guard.evaluate.rego.pemder import pem_blocks, pem_decode
from gitops_guard.evaluate.rego.x509_cert import cert_json, hash_name
from gitops_guard.evaluate.rego.x509_json import csr_json
from gitops_guard.evaluate.rego.x509_values import b64, go_int


def _b64decode(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"illegal base64 data: {exc}") from None


def _load_certs(text: str) -> list[Any]:
    """getX509CertsFromString: PEM, else base64 of PEM or of DER (one or more)."""
    from cryptography import x509

    data = text.encode() if text.startswith("-----BEGIN") else _b64decode(text)
    if data.startswith(b"-----BEGIN"):
        blocks = [b for b in pem_blocks(data) if b.type == "CERTIFICATE"]
        if not blocks:
            raise ValueError("failed to find any PEM data in input")
        ders = [b.data for b in blocks]
    else:
        ders = _split_der(data)
    try:
        return [x509.load_der_x509_certificate(d) for d in ders]
    except ValueError as exc:
        raise ValueError(f"x509: malformed certificate: {exc}") from None


def _split_der(data: bytes) -> list[bytes]:
    from gitops_guard.evaluate.rego.pemder import der_items

    return [item.raw for item in der_items(data)]


def parse_certificates(text: str) -> list[dict[str, Any]]:
    return [cert_json(c) for c in _load_certs(text)]


def parse_and_verify_certificates(text: str) -> list[Any]:
    """[true, chain leaf first] when the first certificate (root), the middle ones
    (intermediates) and the last (leaf) form a valid chain now; else [false, []]."""
    from gitops_guard.evaluate.rego.x509_verify import verify_chain

    try:
        certs = _load_certs(text)
    except ValueError:
        return [False, []]
    if len(certs) < 2:
        return [False, []]
    chain = verify_chain(certs[-1], certs[1:-1], certs[0], dt.datetime.now(dt.UTC))
    return [False, []] if chain is None else [True, [cert_json(c) for c in chain]]


def parse_certificate_request(text: str) -> dict[str, Any]:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    data = (text.encode() if text.startswith("-----BEGIN CERTIFICATE REQUEST-----")
            else _b64decode(text))
    block, _ = pem_decode(data)
    if block is not None and block.type != "CERTIFICATE REQUEST":
        raise ValueError("invalid PEM-encoded certificate signing request")
    if block is not None:
        data = block.data
    try:
        csr = x509.load_der_x509_csr(data)
        key = csr.public_key()
    except ValueError as exc:
        raise ValueError(f"x509: malformed certificate request: {exc}") from None
    return csr_json(csr.public_bytes(Encoding.DER), hash_name(csr), key)


def _load_private_key(block_type: str, der: bytes) -> Any:
    from cryptography.hazmat.primitives import serialization

    if block_type == "RSA PRIVATE KEY":  # PKCS #1
        key = serialization.load_der_private_key(der, None)
        from cryptography.hazmat.primitives.asymmetric import rsa
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("x509: failed to parse private key")
        return key
    return serialization.load_der_private_key(der, None)


def _b64url_int(value: int, size: int = 0) -> str:
    raw = value.to_bytes(max(size, (value.bit_length() + 7) // 8, 1), "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def private_key_jwk(key: Any) -> dict[str, Any]:
    """The key as lestrrat-go/jwx writes a JWK."""
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        PublicFormat,
    )

    if isinstance(key, rsa.RSAPrivateKey):
        n = key.private_numbers()
        return {"kty": "RSA", "n": _b64url_int(n.public_numbers.n),
                "e": _b64url_int(n.public_numbers.e), "d": _b64url_int(n.d),
                "p": _b64url_int(n.p), "q": _b64url_int(n.q), "dp": _b64url_int(n.dmp1),
                "dq": _b64url_int(n.dmq1), "qi": _b64url_int(n.iqmp)}
    if isinstance(key, ec.EllipticCurvePrivateKey):
        size = (key.curve.key_size + 7) // 8
        en = key.private_numbers()
        crv = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}.get(
            key.curve.name, key.curve.name)
        return {"kty": "EC", "crv": crv, "x": _b64url_int(en.public_numbers.x, size),
                "y": _b64url_int(en.public_numbers.y, size), "d": _b64url_int(en.private_value,
                                                                               size)}
    if isinstance(key, ed25519.Ed25519PrivateKey):
        raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        enc = base64.urlsafe_b64encode
        return {"kty": "OKP", "crv": "Ed25519", "x": enc(public).rstrip(b"=").decode(),
                "d": enc(raw).rstrip(b"=").decode()}
    raise ValueError("unsupported private key type")


def parse_rsa_private_key(text: str) -> dict[str, Any] | None:
    """The key as a JWK; null (as OPA 1.20 gives) when the text holds no PEM key block."""
    data = text.encode() if text.startswith("-----BEGIN") else _b64decode(text)
    block, _ = pem_decode(data)
    if block is None or block.type not in ("RSA PRIVATE KEY", "PRIVATE KEY"):
        return None
    return private_key_jwk(_load_private_key(block.type, block.data))


def _private_key_json(key: Any) -> Any:
    """A Go crypto private key as encoding/json writes it (tls.Certificate.PrivateKey)."""
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        PublicFormat,
    )

    if isinstance(key, rsa.RSAPrivateKey):
        n = key.private_numbers()
        return {"N": go_int(n.public_numbers.n), "E": n.public_numbers.e, "D": go_int(n.d),
                "Primes": [go_int(n.p), go_int(n.q)],
                "Precomputed": {"Dp": go_int(n.dmp1), "Dq": go_int(n.dmq1),
                                "Qinv": go_int(n.iqmp), "CRTValues": []}}
    if isinstance(key, ec.EllipticCurvePrivateKey):
        n2 = key.private_numbers()
        return {"Curve": {}, "X": go_int(n2.public_numbers.x),
                "Y": go_int(n2.public_numbers.y), "D": go_int(n2.private_value)}
    if isinstance(key, ed25519.Ed25519PrivateKey):
        seed = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return b64(seed + key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))
    return None


def _pem_or_b64(text: str, kind: str) -> bytes:
    data = text.encode() if text.startswith("-----BEGIN") else _b64decode(text)
    if not data.startswith(b"-----BEGIN"):  # DER: wrapped in a PEM block, as OPA does
        body = base64.encodebytes(data).decode().replace("\n", "")
        lines = "\n".join(body[i:i + 64] for i in range(0, len(body), 64))
        data = f"-----BEGIN {kind}-----\n{lines}\n-----END {kind}-----\n".encode()
    return data


def parse_keypair(cert_text: str, key_text: str) -> dict[str, Any]:
    """tls.X509KeyPair(cert, key) as encoding/json writes the tls.Certificate."""
    from cryptography import x509

    certs = [b for b in pem_blocks(_pem_or_b64(cert_text, "CERTIFICATE"))
             if b.type == "CERTIFICATE"]
    if not certs:
        raise ValueError("tls: failed to find any PEM data in certificate input")
    keys = [b for b in pem_blocks(_pem_or_b64(key_text, "PRIVATE KEY"))
            if b.type == "PRIVATE KEY" or b.type.endswith(" PRIVATE KEY")]
    if not keys:
        raise ValueError("tls: failed to find any PEM data in key input")
    try:
        leaf = x509.load_der_x509_certificate(certs[0].data)
        key = _load_private_key(keys[0].type, keys[0].data)
    except ValueError as exc:
        raise ValueError(f"tls: failed to parse private key: {exc}") from None
    _match(leaf.public_key(), key)
    return {"Certificate": [b64(b.data) for b in certs], "PrivateKey": _private_key_json(key),
            "Leaf": cert_json(leaf, uri_strings=False), "OCSPStaple": None,
            "SignedCertificateTimestamps": None, "SupportedSignatureAlgorithms": None}


def _kind(key: Any) -> str:
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, rsa

    kinds = {"rsa": (rsa.RSAPublicKey, rsa.RSAPrivateKey),
             "ec": (ec.EllipticCurvePublicKey, ec.EllipticCurvePrivateKey),
             "ed25519": (ed25519.Ed25519PublicKey, ed25519.Ed25519PrivateKey),
             "dsa": (dsa.DSAPublicKey, dsa.DSAPrivateKey)}
    return next((name for name, types in kinds.items() if isinstance(key, types)), "other")


def _match(public: Any, private: Any) -> None:
    """tls.X509KeyPair's check that the key belongs to the leaf certificate."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    if _kind(public) != _kind(private):
        raise ValueError("tls: private key type does not match public key type")
    spki = (Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    if private.public_key().public_bytes(*spki) != public.public_bytes(*spki):
        raise ValueError("tls: private key does not match public key")


X509: dict[str, tuple[int, Callable[..., Any]]] = {
    "crypto.x509.parse_certificates": (1, parse_certificates),
    "crypto.x509.parse_and_verify_certificates": (1, parse_and_verify_certificates),
    "crypto.x509.parse_certificate_request": (1, parse_certificate_request),
    "crypto.x509.parse_rsa_private_key": (1, parse_rsa_private_key),
    "crypto.x509.parse_keypair": (2, parse_keypair),
}
