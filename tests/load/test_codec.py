"""One file's load result as plain values and back (gitops_guard/load/codec.py): what the
load cache stores. A round trip changes nothing a check sees; what is not plain is not
encoded; what this version did not write is a DecodeError, never a crash."""
from __future__ import annotations

import marshal
from typing import Any

import pytest

from gitops_guard.load import load_bytes
from gitops_guard.load.codec import FORMAT, DecodeError, decode, encode
from gitops_guard.model import Document, Finding, Location, Severity

PROBES = [("metadata", "name"), ("items", 1, "data", "x"), ("data", "k"), ("data",), ()]
FILES = {
    "cm.yaml": b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n"
               b"---\napiVersion: v1\nkind: List\nitems:\n- {kind: ConfigMap}\n"
               b"- apiVersion: v1\n  kind: ConfigMap\n  data: {x: 1}\n",
    "cm.json": b'{"apiVersion": "v1", "kind": "ConfigMap",\n "metadata": {"name": "j"},\n'
               b' "data": {"k": 1, "k": 2}}\n',
    "bad.yaml": b"a: [1, 2\n",
}


def _seen(docs: list[Document], findings: list[Finding]) -> list[Any]:
    return [[(d.path, d.index, d.data, d.line, d.source_format, d.env,
              [d.locate(p) for p in PROBES]) for d in docs], findings]


@pytest.mark.parametrize("name", sorted(FILES))
def test_a_round_trip_through_marshal_changes_nothing(name: str) -> None:
    result = load_bytes(FILES[name], name)
    plain = encode(result.documents, result.findings, "text")
    assert plain is not None
    docs, findings, text = decode(marshal.loads(marshal.dumps(plain)))
    assert _seen(docs, findings) == _seen(result.documents, result.findings)
    assert text == "text"


def test_what_is_not_plain_is_not_encoded() -> None:
    hcl = load_bytes(b'x = "1"\n', "main.tf")  # HCL positions: parsed each run
    assert hcl.documents and encode(hcl.documents, hcl.findings, None) is None
    rego = Finding("deny", Severity.ERROR, "m", Location("a.yaml", 1, 1),
                   metadata={"details": {"a": 1}})  # a Rego result's extra keys
    assert encode([], [rego], None) is None


@pytest.mark.parametrize("plain", [
    (FORMAT + 1, [], [], None),  # an older or newer version's entry
    (FORMAT, [], [("GG001", 9, "m", ("a", 1, 1), None, "", None, "", "")], None),
    (FORMAT, [("a.yaml", 0, {}, ("?", 1), 1, "yaml", None)], [], None),
    (FORMAT, [("a.yaml", 0)], [], None),
    (FORMAT, [], []),
    "junk",
], ids=["other format", "bad severity", "unknown positions", "short document",
        "short entry", "not a tuple"])
def test_what_this_version_did_not_write_is_a_decode_error(plain: Any) -> None:
    with pytest.raises(DecodeError):
        decode(plain)
