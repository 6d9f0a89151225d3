"""`init` on Flux repositories (gitops_guard/commands/init_flux.py): cluster dirs from
bootstrap and the Flux Operator's layouts, and the path a Flux instance syncs wherever
the repository declares it."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.config import load_config
from tests.commands.test_init import FLUX_KS, _init_environments, _write
from tests.conftest import RunCli


def test_init_finds_flux_cluster_directories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    root = tmp_path / "fleet"
    _write(root, {
        ".git/HEAD": "ref: refs/heads/main\n",
        # flux bootstrap: no kustomization.yaml in the cluster dir itself
        "clusters/staging/flux-system/gotk-sync.yaml": FLUX_KS,
        "clusters/staging/flux-system/kustomization.yaml": "resources: [gotk-sync.yaml]\n",
        "clusters/staging/apps.yaml": FLUX_KS,
        "clusters/production/flux-system/gotk-sync.yaml": FLUX_KS,
        "clusters/production/flux-system/kustomization.yaml": "resources: []\n",
        # the Flux Operator's layout
        "fleet/edge/flux-system/instance.yaml": "apiVersion: fluxcd.controlplane.io/v1\n"
                                                "kind: FluxInstance\n",
        # a cluster dir applied some other way, with Flux Kustomizations
        "clusters/lab/infra.yaml": FLUX_KS,
        # a namespace folder named flux-system is not a cluster
        "apps/base/flux-system/release.yaml": "kind: HelmRelease\n",
    })
    monkeypatch.chdir(root)

    result = run_cli("init", "--no-pre-commit")

    assert result.code == 0
    config = load_config(root / ".gitops-guard.yaml", root)
    assert {n: e.path for n, e in config.environments.items()} == {
        "lab": "clusters/lab", "production": "clusters/production",
        "staging": "clusters/staging", "edge": "fleet/edge"}


FLUX_INSTANCE_RELEASE = """\
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: flux-instance}
spec:
  interval: 1h
  chartRef: {kind: OCIRepository, name: flux-instance}
  values:
    instance:
      sync:
        kind: GitRepository
        url: https://github.com/example/home-ops
        path: kubernetes/flux/cluster
"""


def test_init_finds_the_path_a_flux_instance_syncs_in_a_home_lab_layout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    """The home-lab layout: no clusters/ dir, no flux-system/ dir; the flux-instance chart
    syncs kubernetes/flux/cluster, whose Flux Kustomization applies kubernetes/apps."""
    root = tmp_path / "home-ops"
    _write(root, {
        "kubernetes/flux/cluster/ks.yaml": FLUX_KS + "metadata: {name: cluster-apps}\n"
                                           "spec: {path: ./kubernetes/apps}\n",
        "kubernetes/apps/flux-system/flux-instance/app/helmrelease.yaml": FLUX_INSTANCE_RELEASE,
        "kubernetes/apps/default/echo/ks.yaml": FLUX_KS + "spec: {path: ./kubernetes/apps/x}\n",
        "kubernetes/components/common/kustomization.yaml": "kind: Component\n",
        "bootstrap/helmfile.yaml": "releases: [{name: cilium, chart: cilium/cilium}]\n",
    })
    assert _init_environments(root, monkeypatch, run_cli) == {
        "cluster": {"path": "kubernetes/flux/cluster"}}


@pytest.mark.parametrize(("where", "text"), [
    ("kubernetes/apps/flux-system/flux-instance/app/helm/values.yaml",
     "instance:\n  sync: {kind: GitRepository, path: ./kubernetes/flux/cluster}\n"),
    ("bootstrap/instance.yaml", "apiVersion: fluxcd.controlplane.io/v1\nkind: FluxInstance\n"
     "metadata: {name: flux}\nspec:\n"
     "  sync: {kind: GitRepository, path: kubernetes/flux/cluster}\n"),
    ("kubernetes/flux/sync.yaml", FLUX_KS + "metadata: {name: flux-system}\n"
     "spec: {path: ./kubernetes/flux/cluster}\n"),
])
def test_init_reads_the_synced_path_wherever_the_repo_declares_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli, where: str, text: str,
) -> None:
    root = tmp_path / "lab"
    _write(root, {"kubernetes/flux/cluster/apps.yaml": FLUX_KS, where: text,
                  # a path that is not a directory of the repo is not an environment
                  "other/instance.yaml": text.replace("kubernetes/flux/cluster", "gone/x")})
    assert _init_environments(root, monkeypatch, run_cli) == {
        "cluster": {"path": "kubernetes/flux/cluster"}}


def test_init_finds_a_kustomization_that_applies_its_own_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
) -> None:
    """bjw-s/home-ops: kubernetes/main/flux/config/cluster.yaml, a Kustomization `cluster`
    applying ./kubernetes/main/flux (its own directory's parent); init found no
    environment, so nothing was rendered."""
    root = tmp_path / "home-ops"
    _write(root, {
        "kubernetes/main/flux/config/kustomization.yaml": "resources: [cluster.yaml]\n",
        "kubernetes/main/flux/config/cluster.yaml":
            FLUX_KS + "metadata: {name: cluster, namespace: flux-system}\n"
            "spec: {path: ./kubernetes/main/flux}\n",
        "kubernetes/main/flux/apps.yaml":
            FLUX_KS + "metadata: {name: cluster-apps, namespace: flux-system}\n"
            "spec: {path: ./kubernetes/main/apps}\n",
        "kubernetes/main/apps/app.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
    })
    assert _init_environments(root, monkeypatch, run_cli) == {
        "flux": {"path": "kubernetes/main/flux"}}
