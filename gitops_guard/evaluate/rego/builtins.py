"""OPA builtins regorus lacks, in Python, registered on the embedded engine as extensions.

    BUILTINS: name -> Builtin(argument count, function, v0_only)

regorus (0.13) has no crypto.* (x509 in builtins_x509.py), io.jwt.* (verification in
builtins_jwt.py), regex.globs_match (builtins_glob.py), net.cidr_merge / cidr_intersects /
cidr_contains_matches, strings.render_template, conftest's parse_config* builtins, nor
OPA's deprecated v0 builtins (re_match, all, any, set_diff, cast_*); public policy
libraries call them. Each function gets and returns JSON values (sets arrive as lists).
A function that raises makes the call an evaluation error, as in OPA.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import ipaddress
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from gitops_guard.evaluate.rego.builtins_glob import GLOB
from gitops_guard.evaluate.rego.builtins_jwt import JWT
from gitops_guard.evaluate.rego.builtins_more import MORE
from gitops_guard.evaluate.rego.builtins_regex import REGEX, go_match
from gitops_guard.evaluate.rego.builtins_x509 import X509
from gitops_guard.evaluate.rego.gofmt import go_sprintf, go_template


class Builtin(NamedTuple):
    nargs: int
    func: Callable[..., Any]
    v0_only: bool = False


def _items(collection: Any) -> list[Any]:
    return list(collection.values() if isinstance(collection, dict) else collection)


def _digest(name: str) -> Callable[[str], str]:
    return lambda text: hashlib.new(name, text.encode()).hexdigest()


def _hmac(name: str) -> Callable[[str, str], str]:
    return lambda text, key: hmac.new(key.encode(), text.encode(), name).hexdigest()


def _b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _jwt_decode(token: str) -> list[Any]:
    """io.jwt.decode: [header, payload, signature as hex]."""
    parts = token.split(".")
    if len(parts) != 3:
        raise ValueError("io.jwt.decode: encoded JWT must have 3 sections")
    try:
        header, payload = (json.loads(_b64url(p)) for p in parts[:2])
        signature = binascii.hexlify(_b64url(parts[2])).decode()
    except (ValueError, binascii.Error) as exc:
        raise ValueError(f"io.jwt.decode: {exc}") from None
    return [header, payload, signature]


def _network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    if "/" not in text:
        address = ipaddress.ip_address(text)
        return ipaddress.ip_network(f"{text}/{address.max_prefixlen}")
    return ipaddress.ip_network(text, strict=False)


def _cidr_intersects(a: str, b: str) -> bool:
    x, y = _network(a), _network(b)
    return x.version == y.version and x.overlaps(y)


def _cidr_merge(addresses: Any) -> list[str]:
    nets = [_network(a) for a in _items(addresses)]
    out: list[str] = []
    for version in (4, 6):
        same = [n for n in nets if n.version == version]
        out.extend(str(n) for n in ipaddress.collapse_addresses(same))  # type: ignore[type-var]
    return out


def _cidr_contains_matches(cidrs: Any, addresses: Any) -> list[list[Any]]:
    """Pairs [key of cidrs, key of addresses] where the CIDR contains the address."""
    def keyed(value: Any) -> list[tuple[Any, str]]:
        if isinstance(value, str):
            return [(value, value)]
        pairs = value.items() if isinstance(value, dict) else (
            enumerate(value) if isinstance(value, list) else ((v, v) for v in value))
        return [(k, v[0] if isinstance(v, list) else v) for k, v in pairs]
    out = []
    for ck, cidr in keyed(cidrs):
        for ak, address in keyed(addresses):
            outer, inner = _network(cidr), _network(address)
            if outer.version == inner.version and inner.subnet_of(outer):  # type: ignore[arg-type]
                out.append([ck, ak])
    return out


def _cast_array(value: Any) -> list[Any]:
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    if not isinstance(value, list):
        raise ValueError("cast_array: operand must be an array or set")
    return list(value)


def _cast_set(value: Any) -> set[Any]:
    if not isinstance(value, (list, set, frozenset)):
        raise ValueError("cast_set: operand must be an array or set")
    return set(value)


def _cast_string(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("cast_string: operand must be a string")
    return value


def _cast_boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("cast_boolean: operand must be a boolean")
    return value


def _parse_config(parser: str, content: str) -> Any:
    """conftest's parse_config(parser, content): the document the named parser gives."""
    from gitops_guard.evaluate.rego.conftest_parse import parse_content

    return parse_content(parser, content)


def _parse_config_file(path: str) -> Any:
    from gitops_guard.evaluate.rego.conftest_parse import parse_file

    return parse_file(Path(path))


def _parse_config_file_at(directory: str, path: str) -> Any:
    from gitops_guard.evaluate.rego.conftest_parse import parse_file

    return parse_file(Path(directory) / path)


def _parse_combined_config_files(paths: Any) -> list[Any]:
    from gitops_guard.evaluate.rego.conftest_parse import parse_file

    return [{"path": p, "contents": parse_file(Path(p))} for p in _items(paths)]


BUILTINS: dict[str, Builtin] = {
    "crypto.md5": Builtin(1, _digest("md5")),
    "crypto.sha1": Builtin(1, _digest("sha1")),
    "crypto.sha256": Builtin(1, _digest("sha256")),
    "crypto.hmac.md5": Builtin(2, _hmac("md5")),
    "crypto.hmac.sha1": Builtin(2, _hmac("sha1")),
    "crypto.hmac.sha256": Builtin(2, _hmac("sha256")),
    "crypto.hmac.sha512": Builtin(2, _hmac("sha512")),
    "crypto.hmac.equal": Builtin(2, lambda a, b: hmac.compare_digest(a, b)),
    "io.jwt.decode": Builtin(1, _jwt_decode),
    "net.cidr_intersects": Builtin(2, _cidr_intersects),
    "net.cidr_merge": Builtin(1, _cidr_merge),
    "net.cidr_contains_matches": Builtin(2, _cidr_contains_matches),
    "strings.render_template": Builtin(2, go_template),
    "__gitops_guard_fmt": Builtin(2, go_sprintf),  # sprintf, via rewrite.HELPER_MODULE
    "parse_config": Builtin(2, _parse_config),
    "parse_config_file": Builtin(1, _parse_config_file),
    "__gitops_guard_parse_file": Builtin(2, _parse_config_file_at),  # rewrite.py
    "parse_combined_config_files": Builtin(1, _parse_combined_config_files),
    # OPA's deprecated v0 builtins, still found in public libraries (gatekeeper-library's
    # httpsonly and imagedigests call re_match and all)
    "re_match": Builtin(2, go_match, True),
    "all": Builtin(1, lambda c: all(i is True for i in _items(c)), True),
    "any": Builtin(1, lambda c: any(i is True for i in _items(c)), True),
    "set_diff": Builtin(2, lambda a, b: [i for i in _items(a) if i not in _items(b)], True),
    "cast_array": Builtin(1, _cast_array, True),
    "cast_set": Builtin(1, _cast_set, True),
    "cast_string": Builtin(1, _cast_string, True),
    "cast_boolean": Builtin(1, _cast_boolean, True),
    **{name: Builtin(nargs, func) for table in (MORE, REGEX)
       for name, (nargs, func) in table.items()},
    # io.jwt.verify_*, io.jwt.decode_verify, crypto.x509.*, regex.globs_match
    **{name: Builtin(nargs, func) for table in (JWT, X509, GLOB)
       for name, (nargs, func) in table.items()},
}


def register(engine: Any, rego_version: str,
             extra: Mapping[str, tuple[int, Callable[..., Any]]] = {}) -> None:
    """Add every builtin (and `extra`, a harness's stand-ins) to a regorus engine."""
    for name, builtin in BUILTINS.items():
        if rego_version == "v0" or not builtin.v0_only:
            engine.add_extension(name, builtin.nargs, builtin.func)
    for name, (nargs, func) in extra.items():
        engine.add_extension(name, nargs, func)
