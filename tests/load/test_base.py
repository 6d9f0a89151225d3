"""What every loader shares (gitops_guard/load/base.py): bytes to text or a located
GG003 / GG004 saying why not, and a cap on duplicate-key findings."""
from __future__ import annotations

import codecs

import pytest

from gitops_guard.load.base import (
    DUPLICATE_KEY,
    MAX_DUPLICATE_FINDINGS,
    LoadLimits,
    cap_duplicates,
    decode_text,
    load_finding,
)
from gitops_guard.model import Location


@pytest.mark.parametrize(("data", "text"), [
    (b"a: caf\xc3\xa9\n", "a: café\n"),
    (codecs.BOM_UTF8 + b"a: 1\n", "a: 1\n"),  # the BOM is dropped
    (codecs.BOM_UTF16_LE + "a: 1\n".encode("utf-16-le"), "a: 1\n"),
    (b"", ""),
], ids=["utf-8", "utf-8 BOM", "utf-16", "empty"])
def test_text_files_decode(data: bytes, text: str) -> None:
    assert decode_text(data, "f.yaml", LoadLimits()) == text


@pytest.mark.parametrize(("data", "rule", "where", "message"), [
    (b"a: 1\nb: caf\xe9\n", "GG003", (2, 7), "not valid UTF-8: byte 0xe9 at offset 11"),
    (b"a: 1\n\x00\x01", "GG003", (2, 1), "binary file (NUL byte), not a text manifest"),
    (codecs.BOM_UTF16_BE + b"\xd8\x00", "GG003", (1, 1),
     "file has a UTF-16 byte-order mark but is not UTF-16"),
    (b"x" * 101, "GG004", (0, 0), "file is 101 bytes (0.0 MiB), over the 100-byte limit; "
     "not loaded (raise load_limits.max_file_bytes in .gitops-guard.yaml)"),
], ids=["latin-1", "binary", "broken utf-16", "too large"])
def test_what_is_no_text_is_a_located_finding(data: bytes, rule: str, where: tuple[int, int],
                                              message: str) -> None:
    found = decode_text(data, "f.yaml", LoadLimits(max_file_bytes=100))
    assert found == load_finding(rule, message, "f.yaml", *where)


def test_duplicate_key_findings_are_capped_with_one_summary() -> None:
    other = load_finding("GG001", "bad", "f.yaml", 1, 1)
    dups = [load_finding(DUPLICATE_KEY, f"key {i}", "f.yaml", i + 2, 3) for i in range(150)]
    assert cap_duplicates([other, *dups[:MAX_DUPLICATE_FINDINGS]], "f.yaml") == \
        [other, *dups[:MAX_DUPLICATE_FINDINGS]]
    capped = cap_duplicates([other, *dups], "f.yaml")
    assert capped[:-1] == [other, *dups[:MAX_DUPLICATE_FINDINGS]]
    assert capped[-1].message == "50 more duplicate keys after line 101 are not listed"
    assert capped[-1].location == Location("f.yaml", 101, 3)
    # a loader that stopped creating them says how many there were
    assert cap_duplicates(dups[:101], "f.yaml", total=5000)[-1].message == \
        "4,900 more duplicate keys after line 101 are not listed"
