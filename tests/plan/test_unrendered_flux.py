"""A Flux Kustomization whose head build fails is unknown, never "removed" (shaped like
flux2-kustomize-helm-example: an overlay per cluster over `apps/base`, read from the
repository or from an ArtifactGenerator's ExternalArtifact). kustomize-controller fails
it and applies, and prunes, nothing; a sibling Kustomization is still planned."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import RunCli, requires
from tests.plan.helpers import GitRepo
from tests.render.flux.helpers import config_map, flux_repo, kustomization

BROKEN = {
    "unparsable": "resources: [\n",
    "missing file": "resources: [../base/podinfo, missing-file.yaml]\n",
}


def _generator() -> dict[str, Any]:
    return {"apiVersion": "source.extensions.fluxcd.io/v1beta1", "kind": "ArtifactGenerator",
            "metadata": {"name": "flux-system", "namespace": "flux-system"},
            "spec": {"sources": [{"alias": "monorepo", "kind": "GitRepository",
                                  "name": "flux-system"}],
                     "artifacts": [{"name": "apps", "originRevision": "@monorepo", "copy": [
                         {"from": "@monorepo/apps/base/**", "to": "@artifact/base/"},
                         {"from": "@monorepo/apps/staging/**", "to": "@artifact/staging/"}]}]}}


def _fleet(root: Path, artifact: bool) -> GitRepo:
    repo = flux_repo(root, "staging")
    repo.write(".gitops-guard.yaml", "environments:\n  staging: {path: clusters/staging}\n")
    repo.write("apps/base/podinfo/kustomization.yaml",
               "resources: [namespace.yaml, settings.yaml]\n")
    repo.write("apps/base/podinfo/namespace.yaml",
               {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "podinfo"}})
    repo.write("apps/base/podinfo/settings.yaml", config_map("podinfo-settings", "podinfo"))
    repo.write("apps/staging/kustomization.yaml", "resources: [../base/podinfo]\n")
    repo.write("web/kustomization.yaml", "resources: [web.yaml]\n")
    repo.write("web/web.yaml", config_map("web", "web"))
    apps = kustomization("apps", "./staging" if artifact else "./apps/staging")
    if artifact:
        apps["spec"]["sourceRef"] = {"kind": "ExternalArtifact", "name": "apps"}
        repo.write("clusters/staging/artifacts.yaml", _generator())
    repo.write("clusters/staging/apps.yaml", apps)
    repo.write("clusters/staging/web.yaml", kustomization("web", "./web"))
    repo.commit("fleet")
    return repo


@requires("kustomize")
@pytest.mark.parametrize("artifact", [False, True], ids=["git", "external-artifact"])
@pytest.mark.parametrize("broken", sorted(BROKEN))
def test_a_broken_overlay_of_a_flux_kustomization_is_unknown(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli,
        artifact: bool, broken: str) -> None:
    repo = _fleet(tmp_path / "fleet", artifact)
    repo.write("apps/staging/kustomization.yaml", BROKEN[broken])
    repo.write("web/web.yaml", {**config_map("web", "web"), "data": {"mode": "green"}})
    monkeypatch.chdir(repo.root)
    result = run_cli("diff", "--base", "main", "--color", "never")
    out = result.out
    assert result.code == 0, result.err
    assert "staging: 0 added, 1 changed, 0 removed" in out, out
    assert "Namespace podinfo" not in out and "podinfo-settings" not in out, out
    assert "~ ConfigMap web/web" in out, out
    assert "1 source not rendered" in out, out
    assert "kustomize build failed: " in out and "(GG101)" in out, out
