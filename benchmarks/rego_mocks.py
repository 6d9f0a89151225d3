"""Python stand-ins for Trivy's custom Rego builtins, so trivy-checks' own tests run under
`verify` in benchmarks/rego_libraries.py. Behaviour as Trivy documents it; the shell
parser is shlex-based, not mvdan/sh, so exotic shell syntax may differ."""
from __future__ import annotations

import ipaddress
import re
import shlex
from collections.abc import Callable
from typing import Any

_SEPARATORS = re.compile(r"\s*(?:&&|\|\||;|\||\n)\s*")


def _result_new(message: str, cause: Any) -> dict[str, Any]:
    """Trivy's result.new: the message plus the cause's location metadata."""
    out: dict[str, Any] = {"msg": message}
    meta = cause.get("__defsec_metadata") if isinstance(cause, dict) else None
    if isinstance(meta, dict):
        out.update({k: v for k, v in meta.items() if k in (
            "startline", "endline", "filepath", "explicit", "managed", "fskey", "resource",
            "sourceprefix")})
    return out


def _parse_commands(text: str) -> list[list[str]]:
    out: list[list[str]] = []
    for part in _SEPARATORS.split(text.strip()):
        try:
            words = shlex.split(part)
        except ValueError:
            words = part.split()
        if words:
            out.append(words)
    return out


def _is_public(cidr: str) -> bool:
    try:
        network = ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        return False
    return not (network.is_private or network.is_loopback or network.is_link_local)


def _count_addresses(cidr: str) -> int:
    try:
        return ipaddress.ip_network(cidr, strict=False).num_addresses
    except ValueError:
        return 0


_SECRET = re.compile(r"(?i)(aws_secret_access_key|password|secret|token|api[_-]?key)\s*[=:]\s*"
                     r"\S+|AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----")


def _scan_string(text: str) -> dict[str, Any]:
    found = _SECRET.search(text or "")
    return {"transgressionFound": found is not None,
            "description": "secret found" if found else ""}


def _is_managed(value: Any) -> bool:
    """Trivy's isManaged: whether a resource is managed by the IaC scanned (default true)."""
    meta = value.get("__defsec_metadata") if isinstance(value, dict) else None
    return bool(meta.get("managed", True)) if isinstance(meta, dict) else True


TRIVY_MOCKS: dict[str, tuple[int, Callable[..., Any]]] = {
    "result.new": (2, _result_new),
    "sh.parse_commands": (1, _parse_commands),
    "cidr.is_public": (1, _is_public),
    "cidr.count_addresses": (1, _count_addresses),
    "squealer.scan_string": (1, _scan_string),
    "isManaged": (1, _is_managed),
}
