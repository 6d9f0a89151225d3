"""PEM blocks and DER elements as Go's encoding/pem and encoding/asn1 see them, for the
crypto builtins (builtins_x509.py, x509_json.py, x509_values.py, jwt_keys.py).

    pem_decode(data) -> (PemBlock | None, rest)    like Go's pem.Decode
    der_items(data)  -> [DerItem]                  the elements of one DER level
"""
from __future__ import annotations

import base64
import binascii
import re
from typing import NamedTuple

_BEGIN = re.compile(rb"(?m)^-----BEGIN ([^\r\n-]*)-----")


class PemBlock(NamedTuple):
    type: str
    data: bytes


def pem_decode(data: bytes) -> tuple[PemBlock | None, bytes]:
    """The first PEM block in `data` and what follows its END line (Go's pem.Decode: text
    before the block is skipped; an invalid block is skipped and the search goes on)."""
    rest = data
    while True:
        match = _BEGIN.search(rest)
        if match is None:
            return None, data
        kind = match.group(1)
        after = rest[match.end():]
        end = re.search(rb"-----END " + re.escape(kind) + rb"-----[ \t]*(\r?\n|$)", after)
        if end is not None and after[:1] in (b"\n", b"\r"):
            body = re.sub(rb"^[A-Za-z-]+:.*\r?\n", b"", after[:end.start()], flags=re.M)
            try:
                decoded = base64.b64decode(b"".join(body.split()), validate=True)
            except (binascii.Error, ValueError):
                decoded = None
            if decoded is not None:
                return PemBlock(kind.decode("latin-1"), decoded), after[end.end():]
        rest = after


def pem_blocks(data: bytes) -> list[PemBlock]:
    out: list[PemBlock] = []
    while True:
        block, data = pem_decode(data)
        if block is None:
            return out
        out.append(block)


class DerItem(NamedTuple):
    tag: int
    content: bytes
    raw: bytes  # tag, length and content


def der_items(data: bytes) -> list[DerItem]:
    """The consecutive DER elements of `data` (one level, no recursion)."""
    out: list[DerItem] = []
    i = 0
    while i < len(data):
        start = i
        tag = data[i]
        if i + 1 >= len(data):
            raise ValueError("asn1: truncated element")
        length = data[i + 1]
        i += 2
        if length & 0x80:
            count = length & 0x7F
            length = int.from_bytes(data[i:i + count], "big")
            i += count
        if i + length > len(data):
            raise ValueError("asn1: truncated element")
        out.append(DerItem(tag, data[i:i + length], data[start:i + length]))
        i += length
    return out


def der_oid(content: bytes) -> list[int]:
    """An OBJECT IDENTIFIER's arcs."""
    arcs: list[int] = []
    value = 0
    for byte in content:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(value)
            value = 0
    if not arcs:
        return []
    first = arcs[0]
    head = [0, first] if first < 40 else [1, first - 40] if first < 80 else [2, first - 80]
    return head + arcs[1:]


def oid_arcs(dotted: str) -> list[int]:
    return [int(part) for part in dotted.split(".")]


def der_value(item: DerItem) -> object:
    """A primitive value as Go's asn1.Unmarshal into `any` gives it (JSON-ready)."""
    if item.tag == 0x06:
        return der_oid(item.content)
    if item.tag == 0x02:
        return int.from_bytes(item.content, "big", signed=True)
    if item.tag == 0x01:
        return item.content != b"\x00"
    if item.tag in (0x0C, 0x13, 0x16, 0x14, 0x12, 0x1A):
        return item.content.decode("utf-8", "replace")
    if item.tag == 0x1E:
        return item.content.decode("utf-16-be", "replace")
    return base64.b64encode(item.content).decode()
