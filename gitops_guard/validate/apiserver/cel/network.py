"""Kubernetes' IP, CIDR and URL CEL libraries (k8s.io/apiserver pkg/cel/library ip.go,
cidr.go, urls.go), as cel-expr-python overloads over the values of `cel/values.py`."""
from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import parse_qs

from cel_expr_python import cel

from gitops_guard.validate.apiserver import formats
from gitops_guard.validate.apiserver.cel import values as v
from gitops_guard.validate.apiserver.cel.decl import fn, overload

_T = cel.Type
_LINK_LOCAL_MULTICAST = (ipaddress.ip_network("224.0.0.0/24"), ipaddress.ip_network("ff02::/16"))


def _global_unicast(address: v.IPAddress) -> bool:
    """netip.Addr.IsGlobalUnicast: not unspecified, loopback, multicast, link-local or broadcast."""
    return not (address.is_unspecified or address.is_loopback or address.is_multicast
                or address.is_link_local or address == ipaddress.ip_address("255.255.255.255"))


def _link_local_multicast(address: v.IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        return address.is_multicast and (int(address) >> 112) & 0xF == 2
    return address in _LINK_LOCAL_MULTICAST[0]


def _is_canonical(text: str) -> bool:
    return str(v.parse_ip(text)) == text


def _host(value: Any) -> str:
    netloc: str = v.url_of(value).netloc
    return netloc.rpartition("@")[2]


def _hostname(value: Any) -> str:
    host = _host(value)
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.rpartition(":")[0] if ":" in host else host


def _port(value: Any) -> str:
    host = _host(value)
    tail = host.rpartition("]")[2] if host.startswith("[") else host
    return tail.rpartition(":")[2] if ":" in tail else ""


def declarations() -> list[Any]:
    s, b, i, m = _T.STRING, _T.BOOL, _T.INT, _T.MAP

    def ip_test(name: str, test: Any) -> Any:
        return fn(name, overload(name, b, [m], lambda x: test(v.ip_of(x)), member=True))

    return [
        fn("isIP", overload("isIP", b, [s], formats.parses(v.parse_ip))),
        fn("ip", overload("ip", m, [s], lambda t: v.wrap("ip", str(v.parse_ip(t)))),
           overload("cidr_ip", m, [m], lambda c: v.wrap("ip", str(v.cidr_of(c)[0])),
                    member=True)),
        fn("ip.isCanonical", overload("ip_isCanonical", b, [s], _is_canonical)),
        fn("family", overload("family", i, [m], lambda x: v.ip_of(x).version, member=True)),
        ip_test("isUnspecified", lambda a: a.is_unspecified),
        ip_test("isLoopback", lambda a: a.is_loopback),
        ip_test("isLinkLocalMulticast", _link_local_multicast),
        ip_test("isLinkLocalUnicast", lambda a: a.is_link_local),
        ip_test("isGlobalUnicast", _global_unicast),
        fn("isCIDR", overload("isCIDR", b, [s], formats.parses(v.parse_cidr))),
        fn("cidr", overload("cidr", m, [s], lambda t: v.cidr(*v.parse_cidr(t)))),
        fn("containsIP", overload("containsIP_string", b, [m, s], v.contains_ip, member=True),
           overload("containsIP_ip", b, [m, m], v.contains_ip, member=True)),
        fn("containsCIDR",
           overload("containsCIDR_string", b, [m, s], v.contains_cidr, member=True),
           overload("containsCIDR_cidr", b, [m, m], v.contains_cidr, member=True)),
        fn("prefixLength", overload("prefixLength", i, [m], lambda c: v.cidr_of(c)[1],
                                    member=True)),
        fn("masked", overload("masked", m, [m], lambda c: v.cidr(
            v.network(c).network_address, v.cidr_of(c)[1]), member=True)),
        fn("isURL", overload("isURL", b, [s], formats.parses(v.parse_url))),
        fn("url", overload("url", m, [s], v.parse_url)),
        fn("getScheme", overload("getScheme", s, [m], lambda u: v.url_of(u).scheme,
                                 member=True)),
        fn("getHost", overload("getHost", s, [m], _host, member=True)),
        fn("getHostname", overload("getHostname", s, [m], _hostname, member=True)),
        fn("getPort", overload("getPort", s, [m], _port, member=True)),
        fn("getEscapedPath", overload("getEscapedPath", s, [m], lambda u: v.url_of(u).path,
                                      member=True)),
        fn("getQuery", overload("getQuery", _T.Map(s, _T.List(s)), [m], lambda u: parse_qs(
            v.url_of(u).query, keep_blank_values=True), member=True)),
    ]
