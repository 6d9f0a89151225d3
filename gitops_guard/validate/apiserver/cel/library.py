"""Kubernetes' CEL libraries, as custom functions of the offline CEL environment.

Follows k8s.io/apiserver pkg/cel/library: format.go (`format.<name>()` and
`<Format>.validate()`), ip.go and cidr.go (`isIP`, `isCIDR`, `ip`, `cidr`, family,
containment), urls.go (`isURL`, `url` and its getters), quantity.go (`isQuantity`,
`quantity`, comparisons, `sign`, `isInteger`, `asInteger`), semverlib.go (`isSemver`),
lists.go (`isSorted`, `sum`, `min`, `max`), and cel-go's ext sets (`sets.contains`,
`sets.equivalent`, `sets.intersects`).

Kubernetes' opaque types (Format, IP, CIDR, Quantity) travel as tagged strings: \\x01,
the type name, \\x01, the text. `<Format>.validate()` returns null when the string is
valid, else the list of errors (Kubernetes returns an optional: `validate(x) == null`
works, `validate(x).hasValue()` errs and is reported as not evaluated).

Not provided: Quantity arithmetic (`add`, `sub`),
semver accessors, regex `find`/`findAll` (Python's re has no time bound and a CRD's
pattern is input; `matches` runs in CEL C++'s RE2), `indexOf`/`lastIndexOf` on lists
(CEL C++'s strings extension owns the names), two-variable comprehensions, the authz and
JSON patch libraries: a rule calling them does not compile and is reported as not
evaluated (GG237).
"""
from __future__ import annotations

import base64
import ipaddress
import re
import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlparse

from cel_expr_python import cel

from gitops_guard.validate.apiserver import formats

_T = cel.Type
_TAG = "\x01"


def _tag(kind: str, text: str) -> str:
    return f"{_TAG}{kind}{_TAG}{text}"


def _untag(kind: str, value: str) -> str:
    prefix = f"{_TAG}{kind}{_TAG}"
    if not value.startswith(prefix):
        raise ValueError(f"not a {kind}")
    return value[len(prefix):]


def _prefix(check: Callable[[str], Sequence[str]]) -> Callable[[str], Sequence[str]]:
    return lambda s: check(s[:-1] + "a" if s.endswith("-") else s)


def _ok(parse: Callable[[str], object], message: str) -> Callable[[str], list[str]]:
    def check(value: str) -> list[str]:
        try:
            parse(value)
        except ValueError:
            return [message]
        return []
    return check


def _uri(value: str) -> None:
    parsed = urlparse(value)
    if not (parsed.scheme and (parsed.netloc or parsed.path)) and not value.startswith("/"):
        raise ValueError(value)


FORMATS: dict[str, Callable[[str], Sequence[str]]] = {
    "dns1123Label": formats.dns1123_label,
    "dns1123Subdomain": formats.dns1123_subdomain,
    "dns1035Label": formats.dns1035_label,
    "qualifiedName": formats.qualified_name,
    "dns1123LabelPrefix": _prefix(formats.dns1123_label),
    "dns1123SubdomainPrefix": _prefix(formats.dns1123_subdomain),
    "dns1035LabelPrefix": _prefix(formats.dns1035_label),
    "labelValue": formats.label_value,
    "uri": _ok(_uri, "invalid URI"),
    "uuid": _ok(uuid.UUID, "does not match the UUID format"),
    "byte": _ok(lambda s: base64.b64decode(s, validate=True), "invalid base64"),
    "date": _ok(date.fromisoformat, "invalid date"),
    "datetime": _ok(lambda s: datetime.fromisoformat(s.replace("Z", "+00:00")),
                    "invalid datetime"),
}


def _validate(fmt: str, value: str) -> list[str] | None:
    errors = FORMATS[_untag("format", fmt)](value)
    return list(errors) or None


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    if "%" in value:  # zones are refused, as by netip.ParseAddr in Kubernetes' library
        raise ValueError(value)
    found = ipaddress.ip_address(value)
    if isinstance(found, ipaddress.IPv6Address) and found.ipv4_mapped is not None:
        raise ValueError(value)  # IPv4-mapped IPv6 addresses are refused
    return found


def _cidr(value: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    address, _, length = value.partition("/")
    _ip(address)
    if not length.isdigit():
        raise ValueError(value)
    return ipaddress.ip_network(value, strict=False)


def _url(value: str) -> None:
    parsed = urlparse(value)
    if not (parsed.scheme or value.startswith("/")):
        raise ValueError(value)


def _new_url(value: str) -> str:
    _url(value)
    return _tag("url", value)


def _u(value: str) -> Any:
    return urlparse(_untag("url", value))


def _quantity(value: str) -> Decimal:
    amount = formats.parse_quantity(value)
    if amount is None:
        raise ValueError(value)
    return amount


def _new_quantity(value: str) -> str:
    _quantity(value)
    return _tag("quantity", value)


def _q(value: str) -> Decimal:
    return _quantity(_untag("quantity", value))


_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
                     r"(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")


def _semver(value: str) -> None:
    if not _SEMVER.match(value):
        raise ValueError(value)


def _compare(a: Decimal, b: Decimal | int) -> int:
    return int(a > b) - int(a < b)


def _overload(name: str, result: Any, params: list[Any], impl: Callable[..., Any],
              member: bool = False) -> Any:
    types = "_".join(t.name() for t in params)
    return cel.Overload(f"k8s_{name}_{types}", result, params, is_member=member, impl=impl)


def _fn(name: str, *overloads: Any) -> Any:
    return cel.FunctionDecl(name, list(overloads))


def declarations() -> list[Any]:
    s, b, i, d, dyn, lst = _T.STRING, _T.BOOL, _T.INT, _T.DOUBLE, _T.DYN, _T.LIST
    out = [_fn(f"format.{name}", _overload(f"format_{name}", s, [],
                                           lambda n=name: _tag("format", n)))
           for name in FORMATS]
    out += [
        _fn("format.named", _overload("format_named", dyn, [s], lambda n: _tag(
            "format", n) if n in FORMATS else None)),
        _fn("validate", _overload("validate", dyn, [s, s], _validate, member=True)),
        _fn("isIP", _overload("isIP", b, [s], formats.parses(_ip))),
        _fn("isCIDR", _overload("isCIDR", b, [s], formats.parses(_cidr))),
        _fn("isURL", _overload("isURL", b, [s], formats.parses(_url))),
        _fn("url", _overload("url", s, [s], _new_url)),
        _fn("getScheme", _overload("getScheme", s, [s], lambda v: _u(v).scheme, member=True)),
        _fn("getHost", _overload("getHost", s, [s], lambda v: _u(v).netloc.rpartition(
            "@")[2], member=True)),
        _fn("getHostname", _overload("getHostname", s, [s], lambda v: _u(
            v).hostname or "", member=True)),
        _fn("getPort", _overload("getPort", s, [s], lambda v: str(_u(v).port or ""),
                                 member=True)),
        _fn("getEscapedPath", _overload("getEscapedPath", s, [s], lambda v: _u(v).path,
                                        member=True)),
        _fn("getQuery", _overload("getQuery", _T.Map(s, _T.List(s)), [s], lambda v: parse_qs(
            _u(v).query, keep_blank_values=True), member=True)),
        _fn("isQuantity", _overload("isQuantity", b, [s], formats.parses(_quantity))),
        _fn("isSemver", _overload("isSemver", b, [s], formats.parses(_semver))),
        _fn("ip", _overload("ip", s, [s], lambda v: _tag("ip", str(_ip(v))))),
        _fn("cidr", _overload("cidr", s, [s], lambda v: _tag("cidr", str(_cidr(v))))),
        _fn("family", _overload("family", i, [s], lambda v: _ip(_untag("ip", v)).version,
                                member=True)),
        _fn("isLoopback", _overload("isLoopback", b, [s],
                                    lambda v: _ip(_untag("ip", v)).is_loopback, member=True)),
        _fn("prefixLength", _overload("prefixLength", i, [s], lambda v: ipaddress.ip_network(
            _untag("cidr", v), strict=False).prefixlen, member=True)),
        _fn("containsIP", _overload("containsIP", b, [s, s], lambda c, v: ipaddress.ip_address(
            _untag("ip", v) if v.startswith(_TAG) else v) in ipaddress.ip_network(
            _untag("cidr", c), strict=False), member=True)),
        _fn("quantity", _overload("quantity", s, [s], _new_quantity)),
        _fn("isGreaterThan", _overload("isGreaterThan", b, [s, s],
                                       lambda a, c: _q(a) > _q(c), member=True)),
        _fn("isLessThan", _overload("isLessThan", b, [s, s],
                                    lambda a, c: _q(a) < _q(c), member=True)),
        _fn("compareTo", _overload("compareTo", i, [s, s],
                                   lambda a, c: _compare(_q(a), _q(c)), member=True)),
        _fn("sign", _overload("sign", i, [s], lambda a: _compare(_q(a), 0), member=True)),
        _fn("isInteger", _overload("isInteger", b, [s],
                                   lambda a: _q(a) == _q(a).to_integral_value(), member=True)),
        _fn("asInteger", _overload("asInteger", i, [s], lambda a: int(_q(a)), member=True)),
        _fn("asApproximateFloat", _overload("asApproximateFloat", d, [s],
                                            lambda a: float(_q(a)), member=True)),
        _fn("isSorted", _overload("isSorted", b, [lst], lambda v: list(v) == sorted(v),
                                  member=True)),
        _fn("sum", _overload("sum", dyn, [lst], lambda v: sum(v), member=True)),
        _fn("min", _overload("min", dyn, [lst], lambda v: min(v), member=True)),
        _fn("max", _overload("max", dyn, [lst], lambda v: max(v), member=True)),
        _fn("sets.contains", _overload("sets_contains", b, [lst, lst], lambda a, c: all(
            x in a for x in c))),
        _fn("sets.equivalent", _overload("sets_equivalent", b, [lst, lst], lambda a, c: all(
            x in a for x in c) and all(x in c for x in a))),
        _fn("sets.intersects", _overload("sets_intersects", b, [lst, lst], lambda a, c: any(
            x in a for x in c))),
    ]
    return out
