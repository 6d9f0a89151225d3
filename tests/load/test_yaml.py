from __future__ import annotations

from gitops_guard.load import load_bytes
from gitops_guard.load.base import LoadLimits

MULTI = b"""\
# leading comment
apiVersion: v1
kind: ConfigMap
metadata:
  name: first
data:
  a: "1"
---
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: second
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx
        - name: sidecar
          image: envoy
"""


def test_multi_document_positions_of_keys_and_items() -> None:
    result = load_bytes(MULTI, "m.yaml")
    assert result.findings == []
    first, second = result.documents
    assert (first.index, first.line) == (0, 2)
    assert second.index == 2  # the empty document between them still counts
    assert second.line == 10
    assert str(first.locate(("data", "a"))) == "m.yaml:7:3"
    path = ("spec", "template", "spec", "containers", 1, "image")
    assert str(second.locate(path)) == "m.yaml:21:11"
    assert str(second.locate(("spec", "template", "spec", "containers", 1))) == "m.yaml:20:11"


def test_unknown_path_falls_back_to_deepest_known_field() -> None:
    doc = load_bytes(MULTI, "m.yaml").documents[1]
    assert doc.locate(("spec", "template", "nope", "deeper")).line == 15


def test_list_kind_is_expanded_into_items_with_their_own_positions() -> None:
    text = b"""apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: a}
  - apiVersion: v1
    kind: Secret
    metadata:
      name: b
"""
    docs = load_bytes(text, "l.yaml").documents
    assert [d.data["kind"] for d in docs] == ["ConfigMap", "Secret"]
    assert docs[1].line == 7
    assert docs[1].locate(("metadata", "name")).line == 10


def test_non_kubernetes_yaml_is_loaded_without_findings() -> None:
    result = load_bytes(b"replicaCount: 2\nimage:\n  tag: v1\n", "values.yaml")
    assert result.findings == []
    assert not result.documents[0].is_kubernetes


def test_too_many_documents_is_bounded() -> None:
    text = b"---\na: 1\n" * 20
    result = load_bytes(text, "many.yaml", LoadLimits(max_documents=5))
    assert len(result.documents) == 5
    assert [f.rule_id for f in result.findings] == ["GG004"]
