"""Which files are patches (partial resources, validated without required fields) and which
documents are kustomize build config (never applied, no schema)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gitops_guard.load import load_bytes
from gitops_guard.model import Document
from gitops_guard.validate.patches import is_build_config, patch_paths, without_directives
from tests.conftest import RunCli
from tests.evaluate.conftest import Repo

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


@pytest.mark.parametrize(("patch", "expected"), [
    ({"kind": "Deployment", "$patch": "delete"}, {"kind": "Deployment"}),
    ({"spec": {"template": {"spec": {"containers": [{"name": "a", "$patch": "delete"}]}}}},
     {"spec": {"template": {"spec": {"containers": [{"name": "a"}]}}}}),
    ({"spec": {"$retainKeys": ["type"], "type": "Recreate"}}, {"spec": {"type": "Recreate"}}),
    ({"spec": {"$setElementOrder/containers": [{"name": "a"}], "containers": []}},
     {"spec": {"containers": []}}),
    ({"metadata": {"$deleteFromPrimitiveList/finalizers": ["x"]}}, {"metadata": {}}),
    ({"data": {"$patch": "replace", "a": "1"}, "items": [{"$patch": "replace"}]},
     {"data": {"a": "1"}, "items": [{}]}),  # list indexes kept for locating
    ({"data": {"$other": "kept", "patch": "kept"}}, {"data": {"$other": "kept", "patch": "kept"}}),
])
def test_without_directives(patch: dict[str, Any], expected: dict[str, Any]) -> None:
    assert without_directives(patch) == expected


COMPONENT = """
    apiVersion: kustomize.config.k8s.io/v1alpha1
    kind: Component
    patches:
    - path: delete-loadgenerator.patch.yaml
    """


def test_a_delete_patch_in_a_component_is_no_schema_error(repo: Repo, run_cli: RunCli) -> None:
    """GoogleCloudPlatform/microservices-demo's without-loadgenerator component: GG202
    'unknown field "$patch"' on a patch that kustomize applies as a delete."""
    repo.write("components/without-loadgenerator/kustomization.yaml", COMPONENT)
    repo.write("components/without-loadgenerator/delete-loadgenerator.patch.yaml", """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: loadgenerator
        $patch: delete
        """)
    result = run_cli("check", "--no-builtin", "components")
    assert result.code == 0, result.out
    assert "0 errors" in result.out


def test_a_misspelt_field_in_the_same_patch_still_is(repo: Repo, run_cli: RunCli) -> None:
    repo.write("components/scale/kustomization.yaml",
               COMPONENT.replace("delete-loadgenerator", "scale"))
    repo.write("components/scale/scale.patch.yaml", """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: loadgenerator
        spec:
          $retainKeys: [replicas]
          replicaz: 2
        """)
    result = run_cli("check", "--no-builtin", "components")
    assert result.code == 1
    assert ('components/scale/scale.patch.yaml:7:3: error   GG202  unknown field "spec.replicaz"'
            in result.out)
