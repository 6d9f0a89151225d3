"""Argo CD `source.kustomize` overrides written into the kustomization file as the
repo-server's `kustomize edit` writes them (the build itself: test_app_render.py)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from gitops_guard.render.argo.kustomize_overrides import (
    OverrideError,
    overridden,
    parse_image,
)

ENV = {"ARGOCD_APP_NAME": "shop"}


@pytest.mark.parametrize(("spec", "entry"), [
    ("nginx:1.27", {"name": "nginx", "newTag": "1.27"}),
    ("nginx", {"name": "nginx"}),
    ("nginx=registry.example.com:5000/nginx:1.27",
     {"name": "nginx", "newName": "registry.example.com:5000/nginx", "newTag": "1.27"}),
    ("registry:5000/app", {"name": "registry:5000/app"}),  # a port is not a tag
    ("app@sha256:abc", {"name": "app", "digest": "sha256:abc"}),
    ("old=new@sha256:abc", {"name": "old", "newName": "new", "digest": "sha256:abc"}),
])
def test_parse_image_reads_as_kustomize_edit_set_image(spec: str, entry: dict[str, str]) -> None:
    assert parse_image(spec) == entry


def edit(tmp_path: Path, text: str, opts: dict[str, Any]) -> dict[str, Any]:
    path = tmp_path / "kustomization.yaml"
    path.write_text(text)
    result = yaml.safe_load(overridden(path, opts, ENV, tmp_path, tmp_path))
    assert path.read_text() == text  # the user's file is never modified
    return dict(result)


def test_overrides_are_written_in_the_repo_servers_order(tmp_path: Path) -> None:
    (tmp_path / "comp").mkdir()
    doc = edit(tmp_path, "resources: [a.yaml]\nimages: [{name: nginx, digest: 'sha256:1'}]\n"
               "replicas: [{name: web, count: 1}]\npatches: [{path: p.yaml}]\n", {
                   "namePrefix": "new-", "images": ["nginx:${ARGOCD_APP_NAME}", "redis:7"],
                   "replicas": [{"name": "web", "count": "3"}],
                   "commonLabels": {"app": "$ARGOCD_APP_NAME"},
                   "commonAnnotations": {"by": "$ARGOCD_APP_NAME"},
                   "namespace": "prod", "patches": [{"patch": "x"}],
                   "components": ["comp", "missing"], "ignoreMissingComponents": True})
    assert doc == {
        "resources": ["a.yaml"],
        "images": [{"name": "nginx", "newTag": "shop"}, {"name": "redis", "newTag": "7"}],
        "replicas": [{"name": "web", "count": 3}],
        "patches": [{"path": "p.yaml"}, {"patch": "x"}],
        "namePrefix": "new-",
        "commonLabels": {"app": "shop"},
        "commonAnnotations": {"by": "$ARGOCD_APP_NAME"},  # without commonAnnotationsEnvsubst
        "namespace": "prod",
        "components": ["comp"]}


def test_labels_without_selector_go_to_labels(tmp_path: Path) -> None:
    doc = edit(tmp_path, "resources: []\n", {"commonLabels": {"a": "b"},
                                             "labelWithoutSelector": True,
                                             "labelIncludeTemplates": True})
    assert doc["labels"] == [{"pairs": {"a": "b"}, "includeSelectors": False,
                              "includeTemplates": True}]


@pytest.mark.parametrize(("text", "opts", "error"), [
    ("commonLabels: {team: b}\n", {"commonLabels": {"team": "a"}}, "forceCommonLabels"),
    ("commonAnnotations: {o: b}\n", {"commonAnnotations": {"o": "a"}},
     "forceCommonAnnotations"),
    ("commonLabels: [a]\n", {"commonLabels": {"team": "a"}}, "is not a mapping"),
    ("patches: {a: 1}\n", {"patches": [{"patch": "x"}]}, "patches in the kustomization"),
    ("resources: []\n", {"replicas": [{"name": "web", "count": "many"}]}, "not a number"),
])
def test_what_kustomize_edit_refuses_fails_the_build(
        tmp_path: Path, text: str, opts: dict[str, Any], error: str) -> None:
    with pytest.raises(OverrideError, match=error):
        edit(tmp_path, text, opts)


def test_force_overwrites_an_existing_label(tmp_path: Path) -> None:
    doc = edit(tmp_path, "commonLabels: {team: b}\n",
               {"commonLabels": {"team": "a"}, "forceCommonLabels": True})
    assert doc["commonLabels"] == {"team": "a"}
