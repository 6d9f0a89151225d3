"""Kubernetes' opaque CEL values (Quantity, Semver, IP, CIDR, URL, Format) as CEL maps.

cel-expr-python's custom functions exchange CEL's own values only, so each opaque value
travels as a one-entry map `{"\\x01<kind>": <canonical text>}`: member functions dispatch
on the map's one key, two values are `==` exactly when Kubernetes calls them equal
(`quantity('1') == quantity('1000m')`, as `Quantity.Equal` compares amounts; an IP or a
CIDR by its canonical address), and `string(ip(...))` gives the text back. Parsing follows
k8s.io/apiserver pkg/cel/library (quantity.go, semverlib.go with blang/semver, ip.go and
cidr.go with net/netip, urls.go).
"""
from __future__ import annotations

import ipaddress
import re
from decimal import Decimal
from functools import lru_cache
from typing import Any
from urllib.parse import urlparse

from gitops_guard.validate.apiserver import formats

Opaque = dict[str, str]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_MARK = "\x01"
_INT64 = (-(2 ** 63), 2 ** 63 - 1)


def wrap(kind: str, text: str) -> Opaque:
    return {_MARK + kind: text}


def kind_of(value: object) -> str:
    """The opaque kind of a value ('' when it is not one)."""
    if isinstance(value, dict) and len(value) == 1:
        key = next(iter(value))
        if isinstance(key, str) and key.startswith(_MARK):
            return key[1:]
    return ""


def unwrap(kind: str, value: object) -> str:
    if kind_of(value) != kind:
        raise ValueError(f"no such overload: expected a {kind}")
    assert isinstance(value, dict)
    text: str = value[_MARK + kind]
    return text


def text_of(value: object) -> str:
    """`string(x)` of an opaque value: its text."""
    kind = kind_of(value)
    if not kind or kind == "quantity":
        raise ValueError("no such overload: string() of this value")
    return unwrap(kind, value)


# Quantity: the amount's canonical decimal text, so that equal amounts are equal maps.

def parse_quantity(text: str) -> Decimal:
    amount = formats.parse_quantity(text)
    if amount is None:
        raise ValueError(f"quantities must match the regular expression: {text!r}")
    return amount


def quantity(amount: Decimal) -> Opaque:
    return wrap("quantity", str(amount.normalize()) if amount else "0")


def amount(value: object) -> Decimal:
    return Decimal(unwrap("quantity", value))


def as_int64(value: Decimal) -> int | None:
    """Quantity.AsInt64: the integer when the amount is whole and fits in an int64."""
    if value != value.to_integral_value():
        return None
    whole = int(value)
    return whole if _INT64[0] <= whole <= _INT64[1] else None


# Semver (blang/semver v4: strict SemVer 2.0.0; `normalize` as semverlib.go does).

_NUMBER = r"(0|[1-9]\d*)"
_SEMVER = re.compile(rf"^{_NUMBER}\.{_NUMBER}\.{_NUMBER}"
                     r"(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?"
                     r"(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$")


def parse_semver(text: str, normalize: bool = False) -> Opaque:
    if normalize:
        text = _normalize_semver(text)
    match = _SEMVER.match(text)
    if not match:
        raise ValueError(f"invalid semantic version: {text!r}")
    for part in (match.group(4) or "").split("."):
        if part.isdigit() and len(part) > 1 and part.startswith("0"):
            raise ValueError(f"numeric pre-release part with a leading zero: {text!r}")
    return wrap("semver", text)


def _normalize_semver(text: str) -> str:
    parts = text.removeprefix("v").split(".", 2)
    for index, part in enumerate(parts):
        if len(part) > 1:
            part = part.lstrip("0")
            if not part or not part[0].isdigit():
                part = "0" + part
            parts[index] = part
    if len(parts) < 3:
        if any(c in parts[-1] for c in "+-"):
            raise ValueError("short version cannot contain PreRelease/Build meta data")
        parts += ["0"] * (3 - len(parts))
    return ".".join(parts)


def semver_parts(value: object) -> tuple[int, int, int, str]:
    match = _SEMVER.match(unwrap("semver", value))
    assert match
    return int(match.group(1)), int(match.group(2)), int(match.group(3)), match.group(4) or ""


def compare_semver(a: object, b: object) -> int:
    left, right = semver_parts(a), semver_parts(b)
    if left[:3] != right[:3]:
        return -1 if left[:3] < right[:3] else 1
    return _compare_pre(left[3], right[3])


def _compare_pre(a: str, b: str) -> int:
    if a == b:
        return 0
    if not a or not b:  # a version without pre-release ranks higher
        return 1 if not a else -1
    for x, y in zip(a.split("."), b.split("."), strict=False):
        if x == y:
            continue
        if x.isdigit() and y.isdigit():
            return -1 if int(x) < int(y) else 1
        if x.isdigit() or y.isdigit():  # numeric identifiers rank lower
            return -1 if x.isdigit() else 1
        return -1 if x < y else 1
    return -1 if len(a.split(".")) < len(b.split(".")) else 1


def compare(a: object, b: object) -> int:
    """compareTo for two quantities or two semvers."""
    kind = kind_of(a)
    if kind == "semver" and kind_of(b) == "semver":
        return compare_semver(a, b)
    left, right = amount(a), amount(b)
    return int(left > right) - int(left < right)


# IP and CIDR (net/netip: no zones, no IPv4-mapped IPv6; a CIDR keeps its host bits).

@lru_cache(maxsize=1024)
def parse_ip(text: str) -> IPAddress:
    if "%" in text:
        raise ValueError(f"IP address {text!r} with zone value is not allowed")
    address = ipaddress.ip_address(text)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        raise ValueError(f"IPv4-mapped IPv6 address {text!r} is not allowed")
    return address


def ip_of(value: object) -> IPAddress:
    return ipaddress.ip_address(unwrap("ip", value))


@lru_cache(maxsize=1024)
def parse_cidr(text: str) -> tuple[IPAddress, int]:
    address, _, bits = text.partition("/")
    found = parse_ip(address)
    if not bits.isdigit() or (len(bits) > 1 and bits.startswith("0")) \
            or int(bits) > found.max_prefixlen:
        raise ValueError(f"network address parse error: {text!r}")
    return found, int(bits)


def cidr(address: IPAddress, bits: int) -> Opaque:
    return wrap("cidr", f"{address}/{bits}")


def cidr_of(value: object) -> tuple[IPAddress, int]:
    return parse_cidr(unwrap("cidr", value))


def network(value: object) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    return _network(unwrap("cidr", value))


@lru_cache(maxsize=1024)
def _network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    address, bits = parse_cidr(text)
    return ipaddress.ip_network(f"{address}/{bits}", strict=False)


def contains_ip(outer: object, inner: object) -> bool:
    address = parse_ip(inner) if isinstance(inner, str) else ip_of(inner)
    return address in network(outer)


def contains_cidr(outer: object, inner: object) -> bool:
    other = cidr(*parse_cidr(inner)) if isinstance(inner, str) else inner
    mine, theirs = network(outer), network(other)
    return mine.version == theirs.version and theirs.subnet_of(mine)  # type: ignore[arg-type]


# URL (urls.go: an absolute URI or an absolute path).

def parse_url(text: str) -> Opaque:
    parsed = urlparse(text)
    if not (parsed.scheme or text.startswith("/")):
        raise ValueError(f"URL is invalid: {text!r}")
    return wrap("url", text)


def url_of(value: object) -> Any:
    return urlparse(unwrap("url", value))
