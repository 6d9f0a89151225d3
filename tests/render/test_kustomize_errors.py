"""render/kustomize_errors.py: a failed kustomize build as one finding, in kustomize's own
words, at the entry to fix (real `kubectl kustomize`)."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from gitops_guard.render.kustomize import kustomize_build
from gitops_guard.render.kustomize_errors import error_text
from tests.render.test_kustomize import write

KUSTOMIZATION = """apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - present.yaml
  - missing.yaml
"""
CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"


def test_the_message_is_what_kustomize_says_of_the_target_itself(tmp_path: Path) -> None:
    """It read "accumulating resources from '../pytest-of-root/.../app': 'app' must resolve
    to a file': recursed accumulation of path 'app': ..." (the wrapper's layer, and a temp
    path that differs on every run, in the PR comment)."""
    root = write(tmp_path / "repo", {"app/kustomization.yaml": KUSTOMIZATION,
                                     "app/present.yaml": CONFIG_MAP})
    _, [finding] = kustomize_build("app", root, "dev", [])
    direct = subprocess.run(["kubectl", "kustomize", "app"], cwd=root, capture_output=True,
                            text=True, check=False, timeout=120)
    own = error_text(direct.stderr).replace(f"{root}/", "")
    assert finding.message == f"kustomize build failed: {own}"
    assert "must resolve to a file" not in finding.message and "../" not in finding.message
    location = finding.location
    assert (location.path, location.line, location.column) == ("app/kustomization.yaml", 5, 5)


def test_a_missing_file_named_nowhere_in_the_lister_points_at_its_start(tmp_path: Path) -> None:
    root = write(tmp_path, {"app/kustomization.yaml": "resources: [../base]\n",
                            "base/kustomization.yaml": "# a comment naming gone.yaml\n"
                                                       "resources:\n- gone.yaml\n"})
    _, [finding] = kustomize_build("app", root, None, [])
    location = finding.location
    assert (location.path, location.line, location.column) == ("base/kustomization.yaml", 3, 3)


@pytest.mark.parametrize(("stderr", "expected"), [
    ("Error: accumulating resources: boom\n", "Error: accumulating resources: boom"),
    ('E1203 14:30:26.042148   16162 run.go:72] "command failed" err="a \\"quoted\\" b"\n',
     'a "quoted" b'),
    ('E1203 14:30:26.042148   16162 run.go:72] "command failed" err=<\n\tline one\n'
     '\tline two\n >\n', "line one line two"),
    ("", "no output"),
])
def test_error_text_is_one_line_without_klog(stderr: str, expected: str) -> None:
    assert error_text(stderr) == expected
