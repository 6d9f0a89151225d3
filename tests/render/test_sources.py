"""Rendered resources located in the files they came from: a field a patch set points at
the patch (file:line), any other field at the source document."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gitops_guard.render.sources import (
    PATCH_INLINE,
    PATCH_JSON6902,
    PATCH_SMP,
    PatchRef,
    Rendered,
    as_dict,
    to_documents,
)

APP = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: other}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
        - name: sidecar
          image: envoy:1
"""
SMP = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: sidecar
          image: envoy:2
"""
JSON6902 = """\
- op: replace
  path: /spec/template/spec/containers/0/image
  value: nginx:1.28
- op: remove
  path: /spec/paused
"""
KUSTOMIZATION = """\
resources: [app.yaml]
patches:
  - patch: |
      - op: add
        path: /metadata/labels
        value: {tier: web}
"""
RENDERED: dict[str, Any] = {
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "web", "labels": {"tier": "web"}},
    "spec": {"replicas": 3, "template": {"spec": {"containers": [
        {"name": "web", "image": "nginx:1.28"}, {"name": "sidecar", "image": "envoy:2"}]}}}}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    for name, text in {"app.yaml": APP, "smp.yaml": SMP, "ops.yaml": JSON6902,
                       "kustomization.yaml": KUSTOMIZATION}.items():
        (tmp_path / name).write_text(text)
    return tmp_path


PATCHED = Rendered(RENDERED, "app.yaml", 1, 1, (
    PatchRef("smp.yaml", PATCH_SMP, 0),
    PatchRef("ops.yaml", PATCH_JSON6902),
    PatchRef("kustomization.yaml", PATCH_INLINE, 0, ("patches", 0, "patch"))))


@pytest.mark.parametrize(("field", "where"), [
    ((), ("app.yaml", 5)),
    (("spec", "replicas"), ("smp.yaml", 5)),  # the strategic-merge patch set it
    (("spec", "template", "spec", "containers", 1, "image"), ("smp.yaml", 10)),  # by name
    (("spec", "template", "spec", "containers", 0, "image"), ("ops.yaml", 3)),  # JSON 6902
    (("metadata", "labels", "tier"), ("kustomization.yaml", 6)),  # the inline patch
    (("spec", "template", "spec", "containers", 0, "name"), ("app.yaml", 14)),  # no patch
])
def test_a_field_is_located_where_it_was_last_set(
        repo: Path, field: tuple[str | int, ...], where: tuple[str, int]) -> None:
    [doc] = to_documents([PATCHED], repo, "prod")
    assert (doc.path, doc.index, doc.env) == ("app.yaml", 1, "prod")
    location = doc.locate(field)
    assert (location.path, location.line) == where


def test_a_resource_without_a_source_document_points_at_its_line(repo: Path) -> None:
    generated = Rendered({"kind": "ConfigMap"}, "kustomization.yaml", None, 4)
    unknown = Rendered({"kind": "Secret"})
    docs = to_documents([generated, unknown], repo, None)
    assert [(d.path, d.index, d.locate(("data",)).line) for d in docs] == [
        ("kustomization.yaml", 0, 4), ("<rendered>", 1, 1)]


def test_patches_in_missing_files_locate_nothing_and_fail_nothing(repo: Path) -> None:
    gone = Rendered(RENDERED, "app.yaml", 1, 1, (PatchRef("gone.yaml", PATCH_SMP, 0),
                                                 PatchRef("gone.json", PATCH_JSON6902)))
    [doc] = to_documents([gone], repo, None)
    assert doc.locate(("spec", "replicas")).path == "app.yaml"


def test_rendered_round_trips_through_json() -> None:
    assert Rendered.from_json(PATCHED.to_json()) == PATCHED


@pytest.mark.parametrize(("value", "expected"), [({"a": 1}, {"a": 1}), (None, {}),
                                                 ([1], {}), ("text", {})])
def test_as_dict(value: Any, expected: dict[str, Any]) -> None:
    assert as_dict(value) == expected
