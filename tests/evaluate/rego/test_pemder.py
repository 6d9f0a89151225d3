"""PEM blocks and DER elements as Go's encoding/pem and encoding/asn1 read them (pemder.py),
the ground under the crypto builtins."""
from __future__ import annotations

import pytest

from gitops_guard.evaluate.rego.pemder import (
    DerItem,
    PemBlock,
    der_items,
    der_oid,
    der_value,
    pem_blocks,
    pem_decode,
)

BLOCK = b"-----BEGIN THING-----\nAAEC\n-----END THING-----\n"


@pytest.mark.parametrize(("data", "block", "rest"), [
    (BLOCK, PemBlock("THING", b"\x00\x01\x02"), b""),
    (b"text before\n" + BLOCK + b"after", PemBlock("THING", b"\x00\x01\x02"), b"after"),
    (BLOCK.replace(b"AAEC", b"Proc-Type: 4,ENCRYPTED\nAAEC"),  # headers are skipped
     PemBlock("THING", b"\x00\x01\x02"), b""),
    (BLOCK.replace(b"\n", b"\r\n"), PemBlock("THING", b"\x00\x01\x02"), b""),
    (BLOCK.replace(b"AAEC", b"!!!!") + BLOCK, PemBlock("THING", b"\x00\x01\x02"), b""),
    (BLOCK.replace(b"END THING", b"END OTHER"), None, None),  # END must match BEGIN
    (b"-----BEGIN THING-----AAEC\n-----END THING-----\n", None, None),
    (b"no pem here", None, None),
])
def test_pem_decode_as_go(data: bytes, block: PemBlock | None, rest: bytes | None) -> None:
    """The first valid block and what follows it; nothing found gives (None, data)."""
    assert pem_decode(data) == (block, data if rest is None else rest)


def test_pem_blocks_reads_every_block() -> None:
    assert [b.data for b in pem_blocks(BLOCK + b"junk\n" + BLOCK.replace(b"AAEC", b"AwQ="))] \
        == [b"\x00\x01\x02", b"\x03\x04"]


@pytest.mark.parametrize(("data", "items"), [
    (b"\x02\x01\x05\x05\x00", [DerItem(2, b"\x05", b"\x02\x01\x05"), DerItem(5, b"", b"\x05\x00")]),
    (b"\x04\x81\x02ab", [DerItem(4, b"ab", b"\x04\x81\x02ab")]),  # long-form length
    (b"", []),
])
def test_der_items_one_level(data: bytes, items: list[DerItem]) -> None:
    assert der_items(data) == items


@pytest.mark.parametrize("data", [b"\x02", b"\x02\x05\x01", b"\x04\x82\x01"])
def test_truncated_der_is_an_error(data: bytes) -> None:
    with pytest.raises(ValueError, match="asn1: truncated element"):
        der_items(data)


@pytest.mark.parametrize(("content", "arcs"), [
    (bytes.fromhex("2a864886f70d010101"), [1, 2, 840, 113549, 1, 1, 1]),
    (bytes.fromhex("551d11"), [2, 5, 29, 17]),
    (bytes.fromhex("0a"), [0, 10]),
    (bytes.fromhex("8837"), [2, 999]),
    (b"", []),
])
def test_der_oid_arcs(content: bytes, arcs: list[int]) -> None:
    assert der_oid(content) == arcs


@pytest.mark.parametrize(("item", "value"), [
    (DerItem(0x06, bytes.fromhex("551d11"), b""), [2, 5, 29, 17]),
    (DerItem(0x02, b"\xff", b""), -1),
    (DerItem(0x01, b"\xff", b""), True),
    (DerItem(0x01, b"\x00", b""), False),
    (DerItem(0x0C, "Größe".encode(), b""), "Größe"),
    (DerItem(0x13, b"Acme", b""), "Acme"),
    (DerItem(0x1E, "Ω".encode("utf-16-be"), b""), "Ω"),
    (DerItem(0x04, b"\x00\x01", b""), "AAE="),  # anything else: its bytes, base64
])
def test_der_value_as_go_unmarshals_into_any(item: DerItem, value: object) -> None:
    assert der_value(item) == value
