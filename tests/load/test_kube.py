"""One parsed value into Documents (gitops_guard/load/kube.py): empties skipped, `*List`
kinds expanded, and what is no Kubernetes object said at its line (GG005 / GG006)."""
from __future__ import annotations

import pytest

from gitops_guard.load.base import LoadLimits
from gitops_guard.load.yaml import load_yaml


@pytest.mark.parametrize(("text", "documents", "findings"), [
    ("", [], []),
    ("---\n# only a comment\n", [], []),
    ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n", [("a", 1)], []),
    ("apiVersion: v1\nkind: ConfigMapList\nitems:\n- kind: ConfigMap\n  metadata: {name: a}\n"
     "- 7\n- metadata: {name: b}\n", [("a", 4), ("b", 7)], []),
    ("- {apiVersion: v1, kind: A}\n- {apiVersion: v1, kind: B}\n", [(None, 1)],
     [("GG005", "error", 1, "document 1 is a YAML list of resources; Kubernetes cannot apply "
       "it. Separate them with `---` or wrap them in `kind: List`")]),
    ("- a\n- b\n", [(None, 1)], []),  # a data list: for policies and custom schemas
    ("a: 1\n---\nbroken indentation\n", [(None, 1)],
     [("GG005", "warning", 3, "document 2 is a string scalar, not a mapping; it is not a "
       "Kubernetes object (broken indentation?)")]),
    ("42\n", [], [("GG005", "warning", 1, "document 1 is an integer scalar, not a mapping; "
                   "it is not a Kubernetes object (broken indentation?)")]),
    ("kind: ConfigMap\nmetadata: {name: a}\n", [("a", 1)],
     [("GG006", "error", 1, "document 1 has kind but no apiVersion")]),
    ("apiVersion: v1\nkind:\nmetadata: {name: a}\n", [("a", 1)],
     [("GG006", "error", 1, "document 1 has `kind:` with no value")]),
], ids=["empty", "comment only", "an object", "a List", "a list of resources", "a data list",
        "a scalar", "an integer", "no apiVersion", "empty kind"])
def test_what_becomes_a_document(text: str, documents: list[tuple[str | None, int]],
                                 findings: list[tuple[str, str, int, str]]) -> None:
    result = load_yaml(text.encode(), "f.yaml", LoadLimits())
    names = [((d.data.get("metadata") or {}).get("name") if isinstance(d.data, dict) else None,
              d.line) for d in result.documents]
    assert names == documents
    assert [(f.rule_id, f.severity.label, f.location.line, f.message)
            for f in result.findings] == findings


def test_a_list_item_is_located_through_its_list() -> None:
    text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n" \
           "  data:\n    x: 1\n"
    [doc] = load_yaml(text.encode(), "f.yaml", LoadLimits()).documents
    assert str(doc.locate(("data", "x"))) == "f.yaml:7:5"
