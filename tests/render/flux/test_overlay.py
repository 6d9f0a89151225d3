"""A Flux Kustomization's own fields written into the kustomization file it builds
(patches, images, namePrefix/nameSuffix, targetNamespace, components), then postBuild
substitution and commonMetadata: compared with `kubectl kustomize` of the file
kustomize-controller writes, or with the values the controller substitutes."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from tests.render.flux.helpers import (
    errors,
    flux_repo,
    kubectl_kustomize,
    kustomization,
    objects,
    render,
)

STAGING_ACME = "https://acme-staging-v02.api.letsencrypt.org/directory"
PROD_ACME = "https://acme-v02.api.letsencrypt.org/directory"
ISSUER = {"apiVersion": "cert-manager.io/v1", "kind": "ClusterIssuer",
          "metadata": {"name": "letsencrypt"},
          "spec": {"acme": {"email": "ops@example.com", "server": STAGING_ACME,
                            "privateKeySecretRef": {"name": "letsencrypt"},
                            "solvers": [{"http01": {"ingress": {"class": "nginx"}}}]}}}


def _deploy(name: str, image: str, labels: dict[str, str] | None = None) -> dict[str, Any]:
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "labels": {"app": name, **(labels or {})}},
            "spec": {"replicas": 1, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [{"name": name, "image": image}]}}}}


def test_production_cluster_issuer_is_patched_to_the_prod_acme_server(tmp_path: Path) -> None:
    # shaped like an older flux2-kustomize-helm-example: one configs dir, and production's
    # infra-configs Kustomization patches the ClusterIssuer with a JSON 6902 `target`.
    repo = flux_repo(tmp_path / "fleet", "production")
    repo.write("clusters/staging/flux-system/gotk-sync.yaml",
               (repo.root / "clusters/production/flux-system/gotk-sync.yaml").read_text()
               .replace("production", "staging"))
    repo.write("clusters/staging/flux-system/kustomization.yaml",
               "resources: [gotk-sync.yaml]\n")
    repo.write("infrastructure/configs/kustomization.yaml", "resources: [cluster-issuers.yaml]\n")
    repo.write("infrastructure/configs/cluster-issuers.yaml", ISSUER)
    repo.write("clusters/staging/infrastructure.yaml",
               kustomization("infra-configs", "./infrastructure/configs"))
    repo.write("clusters/production/infrastructure.yaml", kustomization(
        "infra-configs", "./infrastructure/configs", patches=[{
            "patch": f"- op: replace\n  path: /spec/acme/server\n  value: {PROD_ACME}\n",
            "target": {"kind": "ClusterIssuer", "name": "letsencrypt"}}]))
    repo.commit()

    production, staging = render(repo, "production"), render(repo, "staging")

    assert errors(production) == errors(staging) == []
    issuer = objects(production)["ClusterIssuer letsencrypt"]
    assert issuer["spec"]["acme"]["server"] == PROD_ACME
    assert objects(staging)["ClusterIssuer letsencrypt"]["spec"]["acme"]["server"] == \
        STAGING_ACME
    located = next(d for d in production.documents if d.data["kind"] == "ClusterIssuer")
    assert located.path == "infrastructure/configs/cluster-issuers.yaml"


def test_spec_fields_render_as_the_generated_kustomization(tmp_path: Path) -> None:
    repo = flux_repo(tmp_path / "fleet")
    repo.write("apps/web/kustomization.yaml",
               "resources: [deploy.yaml, worker.yaml, role.yaml]\n"
               "images: [{name: nginx, newTag: '1.25'}]\n")
    repo.write("apps/web/deploy.yaml", _deploy("web", "nginx:1.0", {"tier": "front"}))
    repo.write("apps/web/worker.yaml", _deploy("worker", "busybox:1.0"))
    repo.write("apps/web/role.yaml", {"apiVersion": "rbac.authorization.k8s.io/v1",
                                      "kind": "ClusterRole", "metadata": {"name": "reader"},
                                      "rules": []})
    repo.write("components/extra/kustomization.yaml",
               "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n"
               "resources: [cm.yaml]\n")
    repo.write("components/extra/cm.yaml", {"apiVersion": "v1", "kind": "ConfigMap",
                                            "metadata": {"name": "extra"}})
    spec: dict[str, Any] = {
        "targetNamespace": "shop", "namePrefix": "p-", "nameSuffix": "-s",
        "components": ["../../components/extra", "../../components/missing"],
        "ignoreMissingComponents": True,
        "images": [{"name": "nginx", "newName": "registry.example.com/nginx"},
                   {"name": "busybox", "digest": "sha256:" + "a" * 64}],
        "patches": [
            {"patch": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: any}\n"
                      "spec: {replicas: 3}\n",
             "target": {"kind": "Deployment", "labelSelector": "tier=front"}},
            {"patch": "- op: add\n  path: /spec/paused\n  value: true\n",
             "target": {"group": "apps", "version": "v1", "kind": "Deployment",
                        "name": "worker"}}],
    }
    repo.write("clusters/prod/web.yaml", kustomization("web", "./apps/web", **spec))
    repo.commit()

    result = render(repo)

    assert errors(result) == []
    oracle = tmp_path / "oracle"
    shutil.copytree(repo.root, oracle, ignore=shutil.ignore_patterns(".git"))
    expected = kubectl_kustomize(oracle / "apps/web", """\
resources: [deploy.yaml, worker.yaml, role.yaml]
images:
- {name: nginx, newName: registry.example.com/nginx, newTag: '1.25'}
- {name: busybox, digest: 'sha256:%s'}
namespace: shop
namePrefix: p-
nameSuffix: -s
components: [../../components/extra]
patches:
- patch: |
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: any}
    spec: {replicas: 3}
  target: {kind: Deployment, labelSelector: tier=front}
- patch: |
    - op: add
      path: /spec/paused
      value: true
  target: {group: apps, version: v1, kind: Deployment, name: worker}
""" % ("a" * 64))
    assert objects(result) == expected
    assert set(expected) == {"Deployment shop/p-web-s", "Deployment shop/p-worker-s",
                             "ClusterRole p-reader-s", "ConfigMap shop/p-extra-s"}
    assert expected["Deployment shop/p-web-s"]["spec"]["replicas"] == 3


def test_post_build_substitution_and_common_metadata(tmp_path: Path) -> None:
    repo = flux_repo(tmp_path / "fleet")
    repo.write("apps/cfg/settings.yaml", [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings",
                                                               "namespace": "apps"},
         "data": {"region": "${region}", "tier": "${tier:=gold}", "zone": "${zone:-a}",
                  "empty": "${empty:=filled}", "price": "$${literal}"}},
        {"apiVersion": "v1", "kind": "ConfigMap",
         "metadata": {"name": "raw", "namespace": "apps",
                      "annotations": {"kustomize.toolkit.fluxcd.io/substitute": "disabled"}},
         "data": {"script": "echo ${HOME}"}}])
    repo.write("clusters/prod/vars.yaml", {
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "cluster-vars", "namespace": "flux-system"},
        "data": {"region": "eu-west-1", "tier": "silver"}})
    repo.write("clusters/prod/cfg.yaml", kustomization(
        "cfg", "./apps/cfg",
        postBuild={"substitute": {"tier": "platinum", "empty": ""},
                   "substituteFrom": [{"kind": "ConfigMap", "name": "cluster-vars"},
                                      {"kind": "ConfigMap", "name": "absent",
                                       "optional": True}]},
        commonMetadata={"labels": {"team": "core"}, "annotations": {"owner": "ops"}}))
    repo.commit()

    result = render(repo)

    assert errors(result) == []
    got = objects(result)
    assert got["ConfigMap apps/settings"]["data"] == {
        "region": "eu-west-1", "tier": "platinum", "zone": "a", "empty": "filled",
        "price": "${literal}"}
    assert got["ConfigMap apps/raw"]["data"] == {"script": "echo ${HOME}"}
    for name in ("settings", "raw"):
        meta = got[f"ConfigMap apps/{name}"]["metadata"]
        assert meta["labels"] == {"team": "core"}
        assert meta["annotations"]["owner"] == "ops"


def test_fields_not_reproduced_are_named(tmp_path: Path) -> None:
    repo = flux_repo(tmp_path / "fleet")
    repo.write("apps/cfg/cm.yaml", {"apiVersion": "v1", "kind": "ConfigMap",
                                    "metadata": {"name": "cm", "namespace": "apps"}})
    repo.write("clusters/prod/cfg.yaml", kustomization(
        "cfg", "./apps/cfg", decryption={"provider": "sops"},
        postBuild={"substituteFrom": [{"kind": "Secret", "name": "creds"}]}))
    repo.commit()

    result = render(repo)

    notes = sorted(f.message for f in result.findings if f.rule_id == "GG104")
    assert notes == [
        "Kustomization cfg: postBuild.substituteFrom Secret/creds is not read "
        "(secret values never are): its variables are unset here",
        "Kustomization cfg: spec.decryption is not reproduced: SOPS-encrypted "
        "values are checked as committed, not decrypted"]
    assert set(objects(result)) == {"ConfigMap apps/cm"}


def test_objects_the_controller_does_not_apply(tmp_path: Path) -> None:
    repo = flux_repo(tmp_path / "fleet")
    repo.write("apps/cfg/cms.yaml", [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {
            "name": name, "namespace": "apps", **extra}}
        for name, extra in (
            ("managed", {}),
            ("paused", {"annotations": {"kustomize.toolkit.fluxcd.io/reconcile": "disabled"}}),
            ("seed", {"labels": {"kustomize.toolkit.fluxcd.io/ssa": "IfNotPresent"}}))])
    repo.write("clusters/prod/cfg.yaml", kustomization("cfg", "./apps/cfg"))
    repo.commit()

    result = render(repo)

    assert set(objects(result)) == {"ConfigMap apps/managed", "ConfigMap apps/paused",
                                    "ConfigMap apps/seed"}
    assert [(f.rule_id, str(f.location), f.message) for f in result.findings] == [
        ("GG104", "clusters/prod/cfg.yaml:1:1",
         "Kustomization cfg: the controller does not apply ConfigMap paused (reconcile: "
         "disabled), ConfigMap seed (ssa: IfNotPresent): checked here, but changes to them "
         "do not deploy")]



def test_v1beta2_patch_fields(tmp_path: Path) -> None:
    repo = flux_repo(tmp_path / "fleet")
    repo.write("apps/web/deploy.yaml", _deploy("web", "nginx:1.0"))
    doc = kustomization("web", "./apps/web", targetNamespace="shop")
    doc["apiVersion"] = "kustomize.toolkit.fluxcd.io/v1beta2"
    doc["spec"]["patchesStrategicMerge"] = [
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
         "spec": {"replicas": 2}}]
    doc["spec"]["patchesJson6902"] = [
        {"target": {"group": "apps", "version": "v1", "kind": "Deployment", "name": "web"},
         "patch": [{"op": "add", "path": "/metadata/labels/patched", "value": "yes"}]}]
    repo.write("clusters/prod/web.yaml", doc)
    repo.commit()

    result = render(repo)

    assert errors(result) == []
    oracle = tmp_path / "oracle"
    shutil.copytree(repo.root / "apps/web", oracle)
    expected = kubectl_kustomize(oracle, """\
resources: [./deploy.yaml]
namespace: shop
patches:
- patch: '{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
    "spec": {"replicas": 2}}'
- patch: '[{"op": "add", "path": "/metadata/labels/patched", "value": "yes"}]'
  target: {group: apps, version: v1, kind: Deployment, name: web}
""")
    assert objects(result) == expected
    web = expected["Deployment shop/web"]
    assert (web["spec"]["replicas"], web["metadata"]["labels"]["patched"]) == (2, "yes")
