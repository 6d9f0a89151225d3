"""Shared by tests/render/charts and tests/render/flux (import the fixtures in a
conftest): tiny charts written by the tests, served by the loopback chart repository and OCI
registry (tests/fakes), packaged and pushed with the real Helm SDK."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.helm_chart_repository import ChartRepository, serve_chart_repository
from tests.fakes.oci_registry import OciRegistry, serve_oci_registry


def _helm() -> Any:
    return pytest.importorskip("helm_python", reason="needs the extra gitops-guard[helm]")

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  namespace: {{ .Release.Namespace }}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels: {app: {{ .Release.Name }}}
  template:
    metadata:
      labels: {app: {{ .Release.Name }}}
    spec:
      containers:
        - name: app
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
"""


def write_chart(parent: Path, name: str, version: str, tag: str = "",
                crd: bool = False) -> Path:
    """A chart whose Deployment runs `example/<name>:<tag>` (the tag defaults to the
    chart version), optionally with a CRD in crds/."""
    folder = parent / f"{name}-{version}-src" / name
    (folder / "templates").mkdir(parents=True)
    (folder / "Chart.yaml").write_text(
        f"apiVersion: v2\nname: {name}\nversion: {version}\nappVersion: \"{version}\"\n")
    (folder / "values.yaml").write_text(
        f"replicas: 1\nimage:\n  repository: example/{name}\n  tag: \"{tag or version}\"\n")
    (folder / "templates" / "deployment.yaml").write_text(DEPLOYMENT)
    if crd:
        (folder / "crds").mkdir()
        (folder / "crds" / "widgets.yaml").write_text(
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
            "metadata: {name: widgets.example.com}\nspec:\n  group: example.com\n"
            "  names: {kind: Widget, plural: widgets}\n  scope: Namespaced\n"
            "  versions: [{name: v1, served: true, storage: true,\n"
            "    schema: {openAPIV3Schema: {type: object}}}]\n")
    return folder


def package(parent: Path, name: str, version: str, tag: str = "", crd: bool = False) -> Path:
    out = parent / "packages"
    out.mkdir(parents=True, exist_ok=True)
    return Path(_helm().package(write_chart(parent, name, version, tag, crd),
                                destination=out))


@pytest.fixture
def chart_repo(tmp_path: Path) -> Iterator[ChartRepository]:
    """`podinfo` 1.0.0, 1.1.0 and 2.0.0-rc.1 behind a loopback `index.yaml`."""
    _helm()
    with serve_chart_repository(tmp_path / "served") as repo:
        for version in ("1.0.0", "1.1.0", "2.0.0-rc.1"):
            repo.publish(write_chart(tmp_path / "http-src", "podinfo", version))
        yield repo


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[OciRegistry]:
    """`charts/podinfo` 1.0.0 and 1.1.0, pushed with the Helm SDK."""
    with serve_oci_registry() as reg:
        for version in ("1.0.0", "1.1.0"):
            _helm().push(package(tmp_path / "oci-src", "podinfo", version), reg.url("charts"),
                             plain_http=True)
        yield reg
