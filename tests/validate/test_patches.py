"""Which files are patches (partial resources, validated without required fields) and which
documents are kustomize build config (never applied, no schema)."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.load import load_bytes
from gitops_guard.model import Document
from gitops_guard.validate.patches import is_build_config, patch_paths

DEPLOY = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"


def docs(files: dict[str, str]) -> list[Document]:
    return [d for path, text in files.items() for d in load_bytes(text.encode(), path).documents]


def test_files_a_kustomization_lists_as_patches() -> None:
    found = patch_paths(docs({
        "prod/kustomization.yaml": (
            "resources: [../base, extra.yaml]\n"
            "patchesStrategicMerge: [smp.yaml, '../shared/labels.yaml']\n"
            "patches: [{path: replicas.yaml}, {patch: 'inline'}, plain.yaml]\n"
            "patchesJson6902: [{path: ops.json, target: {kind: Deployment}}]\n"),
        "prod/smp.yaml": DEPLOY, "prod/extra.yaml": DEPLOY}))
    assert found == {"prod/smp.yaml", "shared/labels.yaml", "prod/replicas.yaml",
                     "prod/plain.yaml", "prod/ops.json"}


@pytest.mark.parametrize(("path", "listed", "patch"), [
    ("apps/replicas-patch.yaml", False, True),
    ("apps/patch-replicas.yaml", False, True),
    ("apps/web.patch.yaml", False, True),
    ("apps/patches.yaml", False, True),
    ("apps/replicas-patch.yaml", True, False),  # listed as a resource: applied as it is
    ("apps/dispatcher.yaml", False, False),  # 'patch' inside a word
])
def test_files_named_as_patches(path: str, listed: bool, patch: bool) -> None:
    files = {path: DEPLOY}
    if listed:
        files["apps/kustomization.yaml"] = f"resources: [{path.split('/')[1]}]\n"
    assert (path in patch_paths(docs(files))) is patch


def test_a_patch_checked_alone_finds_its_kustomization_on_disk(tmp_path: Path) -> None:
    (tmp_path / "prod/patches").mkdir(parents=True)
    (tmp_path / "prod/kustomization.yaml").write_text("patches: [{path: patches/web.yaml}]\n")
    changed = docs({"prod/patches/web.yaml": DEPLOY})
    assert patch_paths(changed) == frozenset()
    assert patch_paths(changed, tmp_path) == {"prod/patches/web.yaml"}


@pytest.mark.parametrize(("text", "build"), [
    ("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n", True),
    ("apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n", True),
    ("apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n"
     "metadata: {name: apps}\n", False),  # Flux's is a cluster object
    (DEPLOY, False),
])
def test_is_build_config(text: str, build: bool) -> None:
    [doc] = docs({"k.yaml": text})
    assert is_build_config(doc) is build
