"""Flux ArtifactGenerator / ExternalArtifact (source-watcher): a Kustomization reads the
artifact the generator's copy operations stage (shaped like flux2-kustomize-helm-example
at HEAD); its objects equal `kubectl kustomize` of the same dirs, located in repo files."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.render.flux.helpers import (
    config_map,
    errors,
    flux_repo,
    kubectl_kustomize,
    kustomization,
    objects,
    render,
)


def _generator(copies: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    return {"apiVersion": "source.extensions.fluxcd.io/v1beta1", "kind": "ArtifactGenerator",
            "metadata": {"name": "flux-system", "namespace": "flux-system"},
            "spec": {"sources": [{"alias": "monorepo", "kind": "GitRepository",
                                  "name": "flux-system"}],
                     "artifacts": [{"name": name, "originRevision": "@monorepo",
                                    "copy": ops} for name, ops in copies.items()]}}


def _from_artifact(name: str, artifact: str, path: str) -> dict[str, Any]:
    doc = kustomization(name, path)
    doc["spec"]["sourceRef"] = {"kind": "ExternalArtifact", "name": artifact}
    return doc


def _fleet(tmp_path: Path) -> Any:
    repo = flux_repo(tmp_path / "fleet")
    repo.write("infrastructure/configs/kustomization.yaml", "resources: [issuer.yaml]\n")
    repo.write("infrastructure/configs/issuer.yaml", config_map("issuer", "cert-manager"))
    repo.write("apps/base/podinfo/kustomization.yaml",
               "namespace: podinfo\nresources: [cm.yaml]\n")
    repo.write("apps/base/podinfo/cm.yaml", config_map("podinfo"))
    repo.write("apps/base/podinfo/README.md", "notes\n")
    repo.write("apps/production/kustomization.yaml",
               "resources: [../base/podinfo]\npatches:\n- patch: |\n"
               "    {kind: ConfigMap, apiVersion: v1, metadata: {name: podinfo},"
               " data: {k: production}}\n")
    return repo


def test_kustomizations_read_the_staged_artifacts(tmp_path: Path) -> None:
    repo = _fleet(tmp_path)
    repo.write("clusters/prod/artifacts.yaml", _generator({
        "infrastructure": [{"from": "@monorepo/infrastructure/**", "to": "@artifact/"}],
        "apps": [{"from": "@monorepo/apps/base/**", "to": "@artifact/base/",
                  "exclude": ["*.md"]},
                 {"from": "@monorepo/apps/production/**", "to": "@artifact/production/"}]}))
    repo.write("clusters/prod/infrastructure.yaml",
               _from_artifact("infra-configs", "infrastructure", "./configs"))
    repo.write("clusters/prod/apps.yaml", _from_artifact("apps", "apps", "./production"))
    repo.commit()

    result = render(repo)

    assert errors(result) == []
    expected = {**kubectl_kustomize(repo.root / "apps/production",
                                    (repo.root / "apps/production/kustomization.yaml")
                                    .read_text()),
                **kubectl_kustomize(repo.root / "infrastructure/configs",
                                    "resources: [issuer.yaml]\n")}
    assert objects(result) == expected
    assert expected["ConfigMap podinfo/podinfo"]["data"] == {"k": "production"}
    where = {str(d.resource): d.path for d in result.documents}
    assert where["ConfigMap podinfo/podinfo"] == "apps/base/podinfo/cm.yaml"
    assert where["ConfigMap cert-manager/issuer"] == "infrastructure/configs/issuer.yaml"


def test_artifacts_that_are_not_reproduced_are_named(tmp_path: Path) -> None:
    repo = _fleet(tmp_path)
    repo.write("clusters/prod/artifacts.yaml", _generator({
        "apps": [{"from": "@monorepo/apps/bundle.tgz", "to": "@artifact/",
                  "strategy": "Extract"}],
        "typo": [{"from": "@monorepo/apps/nowhere/**", "to": "@artifact/"}]}))
    repo.write("clusters/prod/apps.yaml", [_from_artifact("apps", "apps", "./production"),
                                           _from_artifact("typo", "typo", "./"),
                                           _from_artifact("ghost", "ghost", "./")])
    repo.commit()

    result = render(repo)

    assert errors(result) == []
    assert sorted(result.skipped) == [
        "Kustomization apps: source ExternalArtifact/apps (ArtifactGenerator flux-system): "
        "copy strategy Extract is not reproduced",
        "Kustomization ghost: source ExternalArtifact/ghost: no ArtifactGenerator in the "
        "rendered resources produces it",
        "Kustomization typo: source ExternalArtifact/typo (ArtifactGenerator flux-system): "
        "source-watcher would fail: no files match pattern 'apps/nowhere/**' in source "
        "'monorepo'"]
    assert objects(result) == {}
