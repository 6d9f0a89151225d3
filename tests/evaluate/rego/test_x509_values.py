"""Single x509 field values as Go's encoding/json writes them (x509_values.py)."""
from __future__ import annotations

from typing import Any

import pytest

from gitops_guard.evaluate.rego.pemder import DerItem
from gitops_guard.evaluate.rego.x509_values import (
    general_names,
    go_int,
    go_time,
    ip_text,
    key_usage_bits,
    uri_text,
    url_json,
)


@pytest.mark.parametrize(("value", "shown"), [
    (7, 7), (-(1 << 63), -(1 << 63)), ((1 << 64) - 1, (1 << 64) - 1),
    (1 << 64, "18446744073709551616"), (-(1 << 63) - 1, "-9223372036854775809"),
])
def test_integers_beyond_64_bits_are_decimal_strings(value: int, shown: int | str) -> None:
    assert go_int(value) == shown


@pytest.mark.parametrize(("text", "fields"), [
    ("spiffe://acme/ns/web", {"Scheme": "spiffe", "Host": "acme", "Path": "/ns/web",
                              "Opaque": "", "User": None}),
    ("https://u@h.example:8443/a%20b?q=1#frag", {"Host": "h.example:8443", "Path": "/a b",
                                                 "User": {}, "RawQuery": "q=1",
                                                 "Fragment": "frag"}),
    ("urn:uuid:1234?x", {"Scheme": "urn", "Opaque": "uuid:1234", "Path": "", "Host": ""}),
    ("https://h/?", {"ForceQuery": True, "RawQuery": ""}),
])
def test_url_json_has_go_url_fields(text: str, fields: dict[str, Any]) -> None:
    out = url_json(text)
    assert {k: out[k] for k in fields} == fields


@pytest.mark.parametrize(("text", "shown"), [
    ("HTTPS://Host/Path", "https://Host/Path"), ("no-scheme", "no-scheme"),
])
def test_uri_text_lowers_the_scheme_only(text: str, shown: str) -> None:
    assert uri_text(text) == shown


@pytest.mark.parametrize(("data", "shown"), [
    (bytes([10, 0, 0, 1]), "10.0.0.1"),
    (bytes(10) + b"\xff\xff" + bytes([192, 0, 2, 1]), "192.0.2.1"),  # v4-mapped v6
    (bytes.fromhex("20010db8000000000000000000000001"), "2001:db8::1"),
])
def test_ip_text_as_go_prints_it(data: bytes, shown: str) -> None:
    assert ip_text(data) == shown


@pytest.mark.parametrize(("content", "usage"), [
    (b"\x07\x80", 1),  # digitalSignature
    (b"\x01\x06", 96),  # keyCertSign | cRLSign
    (b"\x07\x00\x80", 256),  # decipherOnly, the ninth bit
])
def test_key_usage_bits_as_go_key_usage(content: bytes, usage: int) -> None:
    assert key_usage_bits(content) == usage


@pytest.mark.parametrize(("item", "shown"), [
    (DerItem(0x17, b"491231235959Z", b""), "2049-12-31T23:59:59Z"),  # UTCTime, 2-digit year
    (DerItem(0x17, b"500101000000Z", b""), "1950-01-01T00:00:00Z"),
    (DerItem(0x18, b"21060207062815Z", b""), "2106-02-07T06:28:15Z"),  # GeneralizedTime
])
def test_times_as_go_json(item: DerItem, shown: str) -> None:
    assert go_time(item) == shown


def test_general_names_by_kind() -> None:
    content = (b"\x82\x05a.com" + b"\x81\x07a@b.com" + b"\x86\x05urn:x"
               + b"\x87\x04\x0a\x00\x00\x01" + b"\x87\x03bad")  # an IP of 3 bytes: skipped
    assert general_names(content) == {"dns": ["a.com"], "email": ["a@b.com"],
                                      "ip": ["10.0.0.1"], "uri": ["urn:x"]}
