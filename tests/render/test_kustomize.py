"""kustomize_build: a real `kubectl kustomize` of an overlay, each resource traced to the
file (and patches) it came from; refusals and build errors as findings at file:line."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.load.datafiles import kustomization_file
from gitops_guard.render.kustomize import kustomize_build
from gitops_guard.render.sources import PATCH_INLINE, PATCH_JSON6902, PATCH_SMP, PatchRef
from tests.conftest import requires

DEPLOY = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {a: "1"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "nginx:1.27"}]}
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


@pytest.fixture
def overlay(tmp_path: Path) -> Path:
    return write(tmp_path, {
        "base/kustomization.yaml": "resources: [app.yaml]\n",
        "base/app.yaml": DEPLOY,
        "prod/kustomization.yaml": (
            "resources: [../base]\nnamePrefix: prod-\n"
            "patches:\n  - path: replicas.yaml\n"
            "  - path: image.json\n    target: {kind: Deployment, name: web}\n"
            "  - patch: |\n      - {op: add, path: /data/b, value: '2'}\n"
            "    target: {kind: ConfigMap}\n"),
        "prod/replicas.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
                              "spec: {replicas: 3}\n",
        "prod/image.json": '[{"op": "replace", "path": "/spec/template/spec/containers/0/image",'
                           ' "value": "nginx:1.28"}]\n'})


@requires("kustomize")
def test_each_resource_keeps_its_source_document_and_patches(overlay: Path) -> None:
    rendered, findings = kustomize_build("prod", overlay, "prod", [])
    assert findings == []
    by_kind = {r.data["kind"]: r for r in rendered}
    web, settings = by_kind["Deployment"], by_kind["ConfigMap"]
    assert web.data["metadata"] == {"name": "prod-web"}  # origin annotations stripped
    assert web.data["spec"]["replicas"] == 3
    assert (web.source, web.source_doc) == ("base/app.yaml", 1)
    assert web.patches == (PatchRef("prod/replicas.yaml", PATCH_SMP, 0),
                           PatchRef("prod/image.json", PATCH_JSON6902))
    assert (settings.source, settings.source_doc) == ("base/app.yaml", 0)
    assert settings.data["data"] == {"a": "1", "b": "2"}
    assert settings.patches == (PatchRef("prod/kustomization.yaml", PATCH_INLINE, 0,
                                         ("patches", 2, "patch")),)


@requires("kustomize")
def test_a_kustomization_given_as_text_builds_without_touching_the_files(overlay: Path) -> None:
    before = (overlay / "prod/kustomization.yaml").read_text()
    rendered, findings = kustomize_build("prod", overlay, None, [],
                                         kustomization="resources: [../base]\nnameSuffix: -x\n")
    assert findings == []
    assert sorted(r.data["metadata"]["name"] for r in rendered) == ["settings-x", "web-x"]
    assert (overlay / "prod/kustomization.yaml").read_text() == before


@requires("kustomize")
def test_a_generated_resource_points_at_its_generator(tmp_path: Path) -> None:
    write(tmp_path, {"app/kustomization.yaml":
                     "configMapGenerator:\n  - name: gen\n    literals: [k=v]\n"})
    [gen], findings = kustomize_build("app", tmp_path, None, [])
    assert findings == []
    assert (gen.source, gen.source_doc) == ("app/kustomization.yaml", None)


@requires("kustomize")
@pytest.mark.parametrize(("files", "path", "message"), [
    ({"app/kustomization.yaml": "resources: [missing.yaml]\n"},
     "app/kustomization.yaml", "missing.yaml"),
    ({"app/kustomization.yaml": "resources: [../base]\n",
      "base/kustomization.yaml": "resources: [gone.yaml]\n"},
     "base/kustomization.yaml", "gone.yaml"),  # the kustomization listing the missing file
    ({"kustomization.yaml": "resources: [app]\n",
      "app/kustomization.yaml": "resources: [../base]\n",
      "base/kustomization.yaml": "resources: [gone.yaml]\n"},
     "base/kustomization.yaml", "gone.yaml"),  # not the top one: the most specific path
])
def test_a_failed_build_is_a_finding_at_the_file_to_fix(
        tmp_path: Path, files: dict[str, str], path: str, message: str) -> None:
    rendered, [finding] = kustomize_build("app", write(tmp_path, files), "dev", [])
    assert rendered == []
    assert (finding.rule_id, finding.location.path, finding.env) == ("GG101", path, "dev")
    assert message in finding.message
    assert str(tmp_path) not in finding.message


@pytest.mark.parametrize(("outside", "rule", "says"), [
    ([("app/kustomization.yaml", "https://github.com/x/y//deploy?ref=v1")], "GG104",
     "remote resource https://github.com/x/y//deploy?ref=v1"),
    ([("app/kustomization.yaml", "../../elsewhere"), ("app/kustomization.yaml", "../../b")],
     "GG101", "refers to ../../elsewhere, outside the repository (and 1 more)"),
])
def test_references_leaving_the_repository_are_refused_before_kustomize_runs(
        tmp_path: Path, outside: list[tuple[str, str]], rule: str, says: str) -> None:
    rendered, [finding] = kustomize_build("app", tmp_path, None, outside)
    assert rendered == []
    assert (finding.rule_id, finding.location.path, finding.location.line) == (
        rule, "app/kustomization.yaml", 1)
    assert says in finding.message


@pytest.mark.parametrize(("names", "found"), [
    ([], None),
    (["kustomization.yaml"], "kustomization.yaml"),
    (["Kustomization"], "Kustomization"),
    (["kustomization.yml", "Kustomization"], "kustomization.yml"),
])
def test_kustomization_file_finds_the_name_kustomize_reads(
        tmp_path: Path, names: list[str], found: str | None) -> None:
    for name in names:
        (tmp_path / name).write_text("resources: []\n")
    result = kustomization_file(tmp_path)
    assert (result.name if result else None) == found
