"""Files that are not Kubernetes objects are data: loaded, never GG006 / GG210 (issue 13.3)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import GitRepo, RunCli

# path -> content: the non-Kubernetes YAML of real GitOps repositories, shaped like theirs.
DATA_FILES = {
    "charts/web/Chart.yaml": "apiVersion: v2\nname: web\nversion: 1.2.0\nappVersion: '1.27'\n",
    "charts/web/Chart.lock": "dependencies:\n- name: redis\n  version: 19.0.1\n"
                             "digest: sha256:0a1b\ngenerated: '2026-01-01T00:00:00Z'\n",
    "charts/web/values.yaml": "apiVersion: v1\nreplicaCount: 2\nimage: {repository: nginx}\n",
    "charts/web/values-prod.yaml": "apiVersion: networking.k8s.io/v1\nreplicaCount: 3\n",
    "monitoring/grafana/provisioning/datasources/prometheus.yaml":
        "apiVersion: 1\ndatasources:\n  - name: Prometheus\n    type: prometheus\n"
        "    url: http://prometheus:9090\n",
    "apps/base/labels.yaml": "apiVersion: builtin\nkind: LabelTransformer\n"
                             "metadata: {name: team-labels}\nlabels: {team: shop}\n"
                             "fieldSpecs:\n  - {path: metadata/labels, create: true}\n",
    ".github/workflows/ci.yaml": "apiVersion: v1\nname: ci\non: push\n",
    ".pre-commit-config.yaml": "repos:\n  - repo: local\n    hooks: []\n",
}


@pytest.fixture
def repo(git_repo: GitRepo) -> GitRepo:
    for path, text in DATA_FILES.items():
        git_repo.write(path, text)
    git_repo.write("apps/base/kustomization.yaml",
                   "resources: []\ntransformers: [labels.yaml]\n")
    return git_repo


def test_data_files_are_quiet(repo: GitRepo, run_cli: RunCli) -> None:
    # Named one by one, as the pre-commit hook passes staged files (hidden ones included).
    result = run_cli("-C", str(repo.root), "check", "--no-cache", "-o", "json", *DATA_FILES)
    assert result.code == 0, result.out
    report = result.json()
    assert report["findings"] == []
    assert report["summary"]["files"] == len(DATA_FILES)


@pytest.mark.parametrize(("text", "message"), [
    ("apiVersion: v1\nmetadata: {name: a}\n", "document 1 has apiVersion but no kind"),
    ("kind: ConfigMap\nmetadata: {name: a}\n", "document 1 has kind but no apiVersion"),
    ("apiVersion: v1\nkind:\nmetadata: {name: a}\n", "document 1 has `kind:` with no value"),
    ("apiVersion: ''\nkind: ConfigMap\n", "document 1 has `apiVersion:` with no value"),
])
def test_half_objects_in_manifests_are_still_gg006(tmp_path: Path, run_cli: RunCli,
                                                   text: str, message: str) -> None:
    manifest = tmp_path / "app.yaml"
    manifest.write_text(text)
    result = run_cli("check", "--no-cache", "--no-builtin", "-o", "json", str(manifest))
    assert result.code == 1
    found = [(f["rule_id"], f["line"], f["message"]) for f in result.json()["findings"]]
    assert found[0] == ("GG006", 1, message)
    assert [f for f in found if f[0] != "GG210"] == found[:1]  # GG210 may add what v1 serves
