"""A parsed certificate as OPA's crypto.x509 builtins show it (Go's x509.Certificate as
JSON): shared by the parse builtins and the chain verification, which judges those facts."""
from __future__ import annotations

from typing import Any

from gitops_guard.evaluate.rego.x509_json import certificate_json


def hash_name(obj: Any) -> str | None:
    try:
        algorithm = obj.signature_hash_algorithm
    except Exception:  # unsupported algorithm (e.g. Ed25519 has none)
        return None
    return None if algorithm is None else str(algorithm.name)


def cert_json(cert: Any, uri_strings: bool = True) -> dict[str, Any]:
    from cryptography.hazmat.primitives.serialization import Encoding

    try:
        key = cert.public_key()
    except Exception:  # an algorithm cryptography does not know: Go gives null too
        key = None
    return certificate_json(cert.public_bytes(Encoding.DER), hash_name(cert), key,
                            uri_strings)
