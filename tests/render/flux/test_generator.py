"""The kustomization file kustomize-controller generates for a `spec.path` without one
(fluxcd/pkg kustomize generator): each case is compared object by object with
`kubectl kustomize` of the file the controller would write."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import RunCli
from tests.render.flux.helpers import (
    config_map,
    errors,
    flux_repo,
    kubectl_kustomize,
    kustomization,
    objects,
    render,
)


def test_a_subdirectory_with_its_own_kustomization_is_one_resource(tmp_path: Path) -> None:
    repo = flux_repo(tmp_path / "fleet")
    repo.write("clusters/prod/apps.yaml", kustomization("apps", "./apps"))
    # team-a builds with its own kustomization (namespace team-a); nested/ is not listed
    # by it, so the controller never loads it; kustomization.yaml is never a resource.
    repo.write("apps/team-a/kustomization.yaml", "namespace: team-a\nresources: [cm.yaml]\n")
    repo.write("apps/team-a/cm.yaml", config_map("a"))
    repo.write("apps/team-a/nested/cm.yaml", config_map("not-listed"))
    repo.write("apps/team-b/cm.yml", config_map("b", "team-b"))
    repo.write("apps/team-b/deep/er/cm.yaml", config_map("deep", "team-b"))
    repo.write("apps/team-b/notes.json", json.dumps(config_map("json-is-not-a-manifest")))
    repo.write("apps/team-c/Kustomization", "resources: [cm.yaml]\nnamespace: team-c\n")
    repo.write("apps/team-c/cm.yaml", config_map("c"))
    repo.commit()

    result = render(repo)

    assert errors(result) == []
    oracle = tmp_path / "oracle"
    shutil.copytree(repo.root / "apps", oracle)
    expected = kubectl_kustomize(oracle, "resources: [./team-a, ./team-b/cm.yml, "
                                         "./team-b/deep/er/cm.yaml, ./team-c]\n")
    assert objects(result) == expected
    assert set(expected) == {"ConfigMap team-a/a", "ConfigMap team-b/b",
                             "ConfigMap team-b/deep", "ConfigMap team-c/c"}


def test_no_duplicate_findings_for_kustomize_dirs_under_a_generated_path(
        tmp_path: Path, run_cli: RunCli) -> None:
    repo = flux_repo(tmp_path / "fleet")
    repo.write(".gitops-guard.yaml", "environments:\n  prod: {path: clusters/prod}\n")
    repo.write("clusters/prod/infra.yaml", kustomization("infra", "./infrastructure"))
    for app in ("ingress", "monitoring"):
        repo.write(f"infrastructure/{app}/kustomization.yaml",
                   f"namespace: {app}\nresources: [deploy.yaml]\n")
        repo.write(f"infrastructure/{app}/deploy.yaml", config_map(f"{app}-settings"))
    repo.commit()

    result = run_cli("-C", str(repo.root), "check", "--no-schema", "-o", "json")

    out = json.loads(result.out)
    assert result.code == 0
    assert not [f for f in out["findings"] if f["rule_id"] in ("GG606", "GG101")]


def test_a_file_that_is_not_a_kubernetes_object_fails_the_kustomization(
        tmp_path: Path) -> None:
    # scanManifests decodes every .yaml it lists; a values file without `kind` makes the
    # controller fail the whole Kustomization ("failed to decode Kubernetes YAML").
    repo = flux_repo(tmp_path / "fleet")
    repo.write("clusters/prod/apps.yaml", kustomization("apps", "./apps"))
    repo.write("apps/cm.yaml", config_map("kept-out"))
    repo.write("apps/chart/values.yaml", "replicas: 3\n")
    repo.commit()

    result = render(repo)

    assert errors(result) == [
        "GG101 clusters/prod/apps.yaml:1:1: Kustomization apps: failed to decode Kubernetes "
        "YAML from apps/chart/values.yaml: missing kind (kustomize-controller would apply "
        "nothing)"]
    assert objects(result) == {}


def test_empty_path_and_ignored_files(tmp_path: Path) -> None:
    repo = flux_repo(tmp_path / "fleet")
    repo.write("clusters/prod/apps.yaml", [kustomization("apps", "./apps"),
                                           kustomization("empty", "./empty")])
    repo.write("empty/README.md", "nothing to apply\n")
    repo.write("apps/cm.yaml", config_map("kept", "apps"))
    repo.write("apps/drafts/cm.yaml", config_map("ignored", "apps"))
    repo.write("apps/.sourceignore", "drafts/\n")
    repo.write("apps/only-comments.yaml", "# nothing here yet\n")
    repo.commit()

    result = render(repo)

    assert errors(result) == []
    assert set(objects(result)) == {"ConfigMap apps/kept"}
