"""helm-python-sdk renders in a child process (helm_child.py): manifests and CRDs back as
JSON, Helm's template error as a reply, a crash or a timeout as a reason, never a
traceback in the parent."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from gitops_guard.render.helm_sdk import SdkRender, render_sdk
from gitops_guard.render.tools import ToolRun, render_timeout

# helm-python-sdk itself, not the helm binary: the extra gitops-guard[helm]
needs_sdk = pytest.mark.skipif(importlib.util.find_spec("helm_python") is None,
                               reason="needs the extra gitops-guard[helm]")


def chart(root: Path, template: str, crd: bool = False) -> Path:
    folder = root / "web"
    (folder / "templates").mkdir(parents=True)
    (folder / "Chart.yaml").write_text("apiVersion: v2\nname: web\nversion: 1.0.0\n")
    (folder / "values.yaml").write_text("replicas: 1\n")
    (folder / "templates" / "cm.yaml").write_text(template)
    if crd:
        (folder / "crds").mkdir()
        (folder / "crds" / "w.yaml").write_text("kind: CustomResourceDefinition\n")
    return folder


CM = ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {{ .Release.Name }}, namespace: "
      "{{ .Release.Namespace }}}\ndata: {replicas: \"{{ .Values.replicas }}\"}\n")


@needs_sdk
def test_a_chart_renders_with_its_release_values_and_crds(tmp_path: Path) -> None:
    result = render_sdk(chart(tmp_path, CM, crd=True), "shop", "apps", {"replicas": 3},
                        tmp_path)
    assert result.replied and result.error is None and result.crash() is None
    [(name, text)] = result.manifests.items()
    assert name == "web/templates/cm.yaml"
    assert "name: shop" in text and "namespace: apps" in text and 'replicas: "3"' in text
    assert [c["filename"] for c in result.crds] == ["web/crds/w.yaml"]


@needs_sdk
def test_a_template_error_is_helms_message(tmp_path: Path) -> None:
    result = render_sdk(chart(tmp_path, '{{ fail "no replicas" }}'), "shop", "apps", {},
                        tmp_path)
    assert result.replied and result.error is not None and "no replicas" in result.error


@needs_sdk
def test_a_child_past_the_render_timeout_is_no_reply(tmp_path: Path) -> None:
    with render_timeout(0.001):
        result = render_sdk(chart(tmp_path, CM), "shop", "apps", {}, tmp_path)
    assert (result.replied, result.run.timed_out, result.crash()) == (False, True, None)


@pytest.mark.parametrize(("run", "why"), [
    (ToolRun(2, "", "panic: boom\ngoroutine 1\n"), "helm-python-sdk exited with 2: goroutine 1"),
    (ToolRun(0, "not json", ""), "helm-python-sdk replied with something that is not a render"),
])
def test_a_crash_is_named(run: ToolRun, why: str) -> None:
    assert SdkRender(run).crash() == why
