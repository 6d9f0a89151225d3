"""Attacks on the CI trust boundary, replayed through `gitops-guard ci --trusted-ref main`.

Each test builds a real git repo (tests/hardening/ci_attack.py): a trusted `main`, then a
PR branch doing what an attacker would, run as a `pull_request_target` job (a write token
and a canary secret in the environment, the PR comment posted to the GitHub stand-in).
Each asserts the attack fails and what the PR author then sees.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.hardening.ci_attack import DEPLOYMENT, Attack, attack_repo

HELMRELEASE = """\
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: web, namespace: shop}
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/web
      sourceRef: {kind: GitRepository, name: flux-system, namespace: flux-system}
      valuesFiles: [VALUES]
"""
CHART = "apiVersion: v2\nname: web\nversion: 0.1.0\n"


@pytest.fixture
def attack(tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
           ) -> Iterator[Attack]:
    yield from attack_repo(tmp_path, run_cli, monkeypatch)


def _ids(text: str) -> set[str]:
    return {word for word in text.split() if word.startswith("GG") and word[2:].isdigit()}


def test_a_flux_path_symlinked_out_of_the_repo_is_refused(attack: Attack) -> None:
    attack.pr()
    attack.link("apps", attack.outside)  # spec.path ./apps now reads another checkout
    seen = attack.ci()
    assert seen.code == 1, seen
    assert "clusters/staging/apps.yaml:1:1: error   GG120  Kustomization apps: spec.path " \
           "refused: apps resolves outside the repository" in seen.out
    assert "GG120" in seen.comment and "stolen" not in seen.everything
    attack.assert_no_canary(seen)


def test_a_symlink_inside_a_synced_dir_is_refused(attack: Attack) -> None:
    attack.pr()
    attack.link("apps/secret.yaml", attack.outside / "secret.yaml")
    seen = attack.ci()
    assert seen.code == 1, seen
    assert "apps/secret.yaml is a symlink to outside the repository" in seen.out
    attack.assert_no_canary(seen)


@pytest.mark.parametrize("values", ["ENVIRON", "../../../outside/environ",
                                    "charts/web/leak.yaml"])
def test_helm_values_files_outside_the_repo_are_refused(attack: Attack, values: str) -> None:
    attack.write("charts/web/Chart.yaml", CHART)
    attack.pr()
    if values == "charts/web/leak.yaml":
        attack.link(values, attack.outside / "environ")
    values = values.replace("ENVIRON", str(attack.outside / "environ"))
    attack.write("clusters/staging/web.yaml", HELMRELEASE.replace("VALUES", values))
    seen = attack.ci()
    assert seen.code == 1, seen
    assert f"GG120  values file {values} refused" in seen.out
    attack.assert_no_canary(seen)


def test_a_committed_render_cache_is_never_read_and_the_cache_is_no_change(
        attack: Attack) -> None:
    attack.pr()
    attack.write(".gitops-guard-cache/render/planted.json",
                 '{"items": [], "findings": [], "skipped": []}')
    attack.write("apps/web.yaml", DEPLOYMENT.replace("replicas: 2", 'replicas: "3"'))
    first = attack.ci()
    second = attack.ci()  # served from the cache outside the work tree: the same verdict
    assert first.code == second.code == 1, first
    assert "apps/web.yaml:8:3: error   GG201" in second.out
    assert attack.git("status", "--porcelain") == ""
    assert first.out.splitlines()[0] == second.out.splitlines()[0] == \
        "gitops-guard ci: 2 changed file(s), environments: staging"
    assert list((attack.tmp / "xdg" / "gitops-guard" / "render").glob("*.json"))
    attack.assert_no_canary(second)
