"""Kubernetes' opaque CEL values parsed as k8s.io/apiserver parses them: quantities equal by
amount, strict semver (and its normalisation), net/netip IPs and CIDRs, URLs."""
from __future__ import annotations

from decimal import Decimal

import pytest

from gitops_guard.validate.apiserver.cel import values as v


def test_equal_amounts_are_equal_quantities() -> None:
    assert v.quantity(v.parse_quantity("1")) == v.quantity(v.parse_quantity("1000m"))
    assert v.quantity(v.parse_quantity("1Gi")) == v.quantity(v.parse_quantity("1024Mi"))
    assert v.quantity(Decimal(0)) == v.quantity(v.parse_quantity("0m"))
    assert v.compare(v.quantity(Decimal(2)), v.quantity(v.parse_quantity("1500m"))) == 1
    with pytest.raises(ValueError, match="quantities must match"):
        v.parse_quantity("1.5.5Gi")


@pytest.mark.parametrize(("amount", "integer"), [
    ("2", 2), ("2.5", None), ("9223372036854775807", 2 ** 63 - 1),
    ("9223372036854775808", None), ("-9223372036854775808", -(2 ** 63))])
def test_as_int64(amount: str, integer: int | None) -> None:
    assert v.as_int64(Decimal(amount)) == integer


@pytest.mark.parametrize(("text", "normalize", "parsed"), [
    ("1.2.3", False, "1.2.3"),
    ("1.2.3-rc.1+build.5", False, "1.2.3-rc.1+build.5"),
    ("v1.2", True, "1.2.0"),
    ("01.02.3", True, "1.2.3"),
    ("1.2", False, None),
    ("1.02.3", False, None),  # no leading zeros
    ("1.2.3-01", False, None),  # nor in a numeric pre-release part
    ("1.2-rc.1", True, None),  # a short version with a pre-release
])
def test_semver(text: str, normalize: bool, parsed: str | None) -> None:
    if parsed is None:
        with pytest.raises(ValueError):
            v.parse_semver(text, normalize)
    else:
        assert v.parse_semver(text, normalize) == v.wrap("semver", parsed)


@pytest.mark.parametrize(("a", "b", "order"), [
    ("1.0.0-alpha", "1.0.0-alpha.1", -1),
    ("1.0.0-alpha.1", "1.0.0-alpha.beta", -1),  # numeric identifiers rank lower
    ("1.0.0-beta.2", "1.0.0-beta.11", -1),
    ("1.0.0-rc.1", "1.0.0", -1),
    ("2.0.0", "1.9.9", 1),
    ("1.0.0+a", "1.0.0+b", 0),  # build metadata does not order
])
def test_semver_precedence(a: str, b: str, order: int) -> None:
    assert v.compare(v.parse_semver(a), v.parse_semver(b)) == order
    assert v.compare(v.parse_semver(b), v.parse_semver(a)) == -order


@pytest.mark.parametrize(("text", "ok"), [
    ("10.0.0.1", True), ("2001:db8::1", True), ("fe80::1%eth0", False),
    ("::ffff:10.0.0.1", False), ("10.0.0.256", False), ("", False)])
def test_ips_as_net_netip_reads_them(text: str, ok: bool) -> None:
    if ok:
        assert str(v.parse_ip(text)) == text
    else:
        with pytest.raises(ValueError):
            v.parse_ip(text)


@pytest.mark.parametrize(("text", "ok"), [
    ("10.0.0.0/8", True), ("10.1.2.3/8", True), ("2001:db8::/32", True),
    ("10.0.0.0/33", False), ("10.0.0.0/08", False), ("10.0.0.0", False), ("10.0.0.0/x", False)])
def test_cidrs_keep_their_host_bits(text: str, ok: bool) -> None:
    if ok:
        assert v.unwrap("cidr", v.cidr(*v.parse_cidr(text))) == text
    else:
        with pytest.raises(ValueError):
            v.parse_cidr(text)


def test_cidr_containment() -> None:
    net = v.cidr(*v.parse_cidr("10.0.0.0/8"))
    assert v.contains_ip(net, "10.255.0.1") and not v.contains_ip(net, "11.0.0.1")
    assert v.contains_cidr(net, "10.1.0.0/16") and not v.contains_cidr(net, "10.0.0.0/7")
    assert not v.contains_cidr(net, "::/0")  # another family


@pytest.mark.parametrize(("text", "ok"), [
    ("https://example.com/x", True), ("/just/a/path", True), ("example.com", False),
    ("relative/path", False)])
def test_urls_are_absolute_uris_or_paths(text: str, ok: bool) -> None:
    if ok:
        assert v.url_of(v.parse_url(text)).geturl() == text
    else:
        with pytest.raises(ValueError, match="URL is invalid"):
            v.parse_url(text)


def test_an_opaque_value_is_of_one_kind_only() -> None:
    ip = v.wrap("ip", "10.0.0.1")
    assert v.kind_of(ip) == "ip" and v.kind_of({"a": 1}) == "" and v.kind_of("x") == ""
    assert v.text_of(ip) == "10.0.0.1"
    with pytest.raises(ValueError, match="no such overload"):
        v.unwrap("cidr", ip)
    with pytest.raises(ValueError, match="no such overload"):
        v.text_of(v.quantity(Decimal(1)))
