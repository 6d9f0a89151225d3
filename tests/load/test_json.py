from __future__ import annotations

from gitops_guard.load import load_bytes


def test_json_document_positions_are_found_lazily() -> None:
    text = (b'{\n  "apiVersion": "v1",\n  "kind": "ConfigMap",\n'
            b'  "metadata": {\n    "name": "x"\n  }\n}')
    result = load_bytes(text, "c.json")
    (doc,) = result.documents
    assert doc.data["metadata"]["name"] == "x"
    assert str(doc.locate(("metadata", "name"))) == "c.json:5:5"


def test_invalid_json_reports_line_and_column() -> None:
    result = load_bytes(b'{\n  "a": 1,\n  "b": \n}', "bad.json")
    (finding,) = result.findings
    assert finding.rule_id == "GG001"
    assert (finding.location.line, finding.location.column) == (4, 1)


def test_json_list_kind_and_duplicate_keys() -> None:
    text = (b'{"apiVersion": "v1", "kind": "List", "items": ['
            b'{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a", "name": "b"}}]}')
    result = load_bytes(text, "l.json")
    assert [d.data["metadata"]["name"] for d in result.documents] == ["b"]
    assert [f.rule_id for f in result.findings] == ["GG002"]
