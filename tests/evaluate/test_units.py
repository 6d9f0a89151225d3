"""Issue 13, points 1 and 2: cross-resource rules judge one deployable unit; patches are
fragments.

Repos shaped like fluxcd/flux2-kustomize-helm-example (clusters/<name>/ with the same
Flux objects in each, apps/<env>/ overlays patching a HelmRelease in apps/base/) and
argocd-example-apps (the same app in two directories, a kustomize overlay whose patch
is a partial Deployment).
"""
from __future__ import annotations

from pathlib import Path

from gitops_guard.evaluate.units import plan_units
from gitops_guard.load import load_bytes
from tests.conftest import GitRepo, RunCli
from tests.evaluate.conftest import Repo

FLUX_APPS = """
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/{env}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
"""
GOTK_SYNC = """
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m
  path: ./clusters/{env}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
"""
RELEASE = """
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: podinfo
spec:
  interval: 50m
  chart:
    spec:
      chart: podinfo
      sourceRef: {kind: HelmRepository, name: podinfo}
"""
VALUES_PATCH = """
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: podinfo
spec:
  values:
    replicaCount: 2
"""
DEPLOYMENT_PATCH = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:2.0
"""


def _flux_repo(repo: Repo) -> None:
    for env in ("staging", "production"):
        repo.write(f"clusters/{env}/apps.yaml", FLUX_APPS.format(env=env))
        repo.write(f"clusters/{env}/flux-system/gotk-sync.yaml", GOTK_SYNC.format(env=env))
        repo.write(f"clusters/{env}/flux-system/kustomization.yaml",
                   "resources: [gotk-sync.yaml]\n")
        repo.write(f"apps/{env}/kustomization.yaml", """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources: [../base/podinfo]
            patches:
              - path: podinfo-values.yaml
                target: {kind: HelmRelease, name: podinfo}
            """)
        repo.write(f"apps/{env}/podinfo-values.yaml", VALUES_PATCH)
    repo.write("apps/base/podinfo/kustomization.yaml", "resources: [release.yaml]\n")
    repo.write("apps/base/podinfo/release.yaml", RELEASE)


def _rules(run_cli: RunCli, *args: str) -> list[tuple[str, str, int, str]]:
    out = run_cli("check", "--no-schema", "-o", "json", *args).json()["findings"]
    return [(f["rule_id"], f["path"], f["line"], f["message"]) for f in out]


def test_clusters_and_overlays_are_not_duplicates(repo: Repo, run_cli: RunCli) -> None:
    _flux_repo(repo)
    assert [f for f in _rules(run_cli) if f[0] == "GG606"] == []
    assert run_cli("check", "--no-schema").code == 0


def test_a_real_duplicate_inside_one_unit_is_still_reported(repo: Repo,
                                                            run_cli: RunCli) -> None:
    _flux_repo(repo)
    repo.write("clusters/production/apps-copy.yaml", FLUX_APPS.format(env="production"))
    assert [f for f in _rules(run_cli) if f[0] == "GG606"] == [
        ("GG606", "clusters/production/apps.yaml", 4,
         "Kustomization flux-system/apps is already defined at "
         "clusters/production/apps-copy.yaml:1")]


def test_placeholder_names_are_not_duplicates(repo: Repo, run_cli: RunCli) -> None:
    repo.write("tenants/namespaces.yaml", """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: _
        ---
        apiVersion: v1
        kind: Namespace
        metadata:
          name: _
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: ${TENANT}
          namespace: ${TENANT}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: ${TENANT}
          namespace: ${TENANT}
        """)
    assert [f for f in _rules(run_cli) if f[0] == "GG606"] == []


def test_same_app_in_two_directories_is_two_units(repo: Repo, run_cli: RunCli) -> None:
    service = """
        apiVersion: v1
        kind: Service
        metadata:
          name: guestbook-ui
        spec:
          ports: [{port: 80, targetPort: 80}]
          selector: {app: guestbook-ui}
        """
    repo.write("guestbook/svc.yaml", service)
    repo.write("kustomize-guestbook/svc.yaml", service)
    repo.write("kustomize-guestbook/kustomization.yaml", "resources: [svc.yaml]\n")
    assert [f for f in _rules(run_cli) if f[0] == "GG606"] == []


def test_cross_resource_rules_see_what_an_overlay_combines(repo: Repo,
                                                           run_cli: RunCli) -> None:
    """A Service in one base selects a Deployment in another; the overlay applies both.
    Judged per unit, the Service selects something; a typo in the overlay's own Service
    is still reported."""
    repo.write("base/web/kustomization.yaml", "resources: [deploy.yaml]\n")
    repo.write("base/web/deploy.yaml", """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: web, image: "ghcr.io/acme/web:1.0"}]
        """)
    repo.write("base/net/kustomization.yaml", "resources: [svc.yaml]\n")
    repo.write("base/net/svc.yaml", """
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec:
          selector: {app: web}
          ports: [{port: 80}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: typo, namespace: shop}
        spec:
          selector: {app: wbe}
          ports: [{port: 80}]
        """)
    repo.write("overlay/kustomization.yaml", "resources: [../base/web, ../base/net]\n")
    assert [f[1:] for f in _rules(run_cli) if f[0] == "GG604"] == [
        ("base/net/svc.yaml", 12, 'Service "typo" selects no pod of the workloads in its '
         "namespace")]


def test_patches_are_fragments_for_the_policies(repo: Repo, run_cli: RunCli) -> None:
    repo.write("app/base/kustomization.yaml", "resources: [deploy.yaml]\n")
    repo.write("app/base/deploy.yaml", """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: web, image: "ghcr.io/acme/web:1.0"}]
        """)
    repo.write("app/overlay/kustomization.yaml", """
        resources: [../base]
        patches:
          - patches/web.yaml
        patchesStrategicMerge:
          - patches/privileged.yaml
        """)
    repo.write("app/overlay/patches/web.yaml", DEPLOYMENT_PATCH)
    repo.write("app/overlay/patches/privileged.yaml", """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          template:
            spec:
              containers:
                - name: web
                  image: ghcr.io/acme/web:latest
                  securityContext:
                    privileged: true
        """)
    for args in ((), ("app/overlay/patches/web.yaml", "app/overlay/patches/privileged.yaml")):
        # The whole repo, and the patches alone as the pre-commit hook hands them over.
        on_patches = sorted({f[0] for f in _rules(run_cli, *args) if "/patches/" in f[1]})
        assert on_patches == ["GG301", "GG501"], args
    result = run_cli("check", "app/overlay/patches/web.yaml")  # schema too: partial
    assert result.code == 0, result.out


def test_plan_units_names_what_it_groups(tmp_path: Path) -> None:
    files = {
        "clusters/prod/flux-system/gotk-sync.yaml": GOTK_SYNC.format(env="prod"),
        "clusters/prod/flux-system/kustomization.yaml": "resources: [gotk-sync.yaml]\n",
        "clusters/prod/apps.yaml": FLUX_APPS.format(env="prod"),
        "apps/prod/kustomization.yaml": "resources: [../base/podinfo]\n"
                                        "patches: [{path: values.yaml}]\n",
        "apps/prod/values.yaml": VALUES_PATCH,
        "apps/base/podinfo/kustomization.yaml": "resources: [release.yaml]\n",
        "apps/base/podinfo/release.yaml": RELEASE,
        "loose/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
    }
    docs = [d for path, text in files.items()
            for d in load_bytes(text.lstrip().encode(), path).documents]
    plan = plan_units(docs)
    units = {u.name: sorted({d.path for d in u.documents}) for u in plan.units}
    assert units == {
        "apps/prod": ["apps/base/podinfo/kustomization.yaml", "apps/base/podinfo/release.yaml",
                      "apps/prod/kustomization.yaml"],
        "clusters/prod/flux-system": ["clusters/prod/flux-system/gotk-sync.yaml",
                                      "clusters/prod/flux-system/kustomization.yaml"],
        "clusters/prod": ["clusters/prod/apps.yaml", "clusters/prod/flux-system/gotk-sync.yaml",
                          "clusters/prod/flux-system/kustomization.yaml"],
        "loose": ["loose/a.yaml"],
    }
    assert plan.fragments == frozenset({"apps/prod/values.yaml"})


def test_paths_outside_the_repository_are_units_too() -> None:
    """Absolute and `../` paths (what rendering can hand over) end in a unit each, and the
    walk up their directories ends."""
    text = b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"
    docs = [d for path in ("/abs/dir/a.yaml", "/b.yaml", "../up/c.yaml", "d.yaml")
            for d in load_bytes(text, path).documents]
    units = {u.name: [d.path for d in u.documents] for u in plan_units(docs).units}
    assert units == {"/abs/dir": ["/abs/dir/a.yaml"], "/": ["/b.yaml"], "../up": ["../up/c.yaml"],
                     ".": ["d.yaml"]}


def test_an_application_set_sending_one_source_to_two_clusters_is_no_duplicate(
        repo: Repo, run_cli: RunCli) -> None:
    """christianh814/gitops-examples' shape: a list generator, one element per cluster,
    each generated Application deploying the same overlay; rendered as one environment."""
    repo.write(".gitops-guard.yaml", "environments:\n  fleet: {path: appsets}\n")
    repo.write("appsets/bgd.yaml", """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata: {name: bgd, namespace: argocd}
        spec:
          generators:
            - list:
                elements:
                  - {cluster: east, url: "https://east.example.org:6443"}
                  - {cluster: west, url: "https://west.example.org:6443"}
          template:
            metadata: {name: "{{cluster}}-bgd"}
            spec:
              project: default
              source: {repoURL: "https://example.org/fleet.git", path: bgd, targetRevision: HEAD}
              destination: {server: "{{url}}", namespace: bgd}
        """)
    repo.write("bgd/namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: bgd}\n")
    repo.write("bgd/config.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bgd}\n"
                                  "data: {color: blue}\n")
    (repo.root / ".git").rmdir()
    GitRepo(repo.root).git("remote", "add", "origin", "https://example.org/fleet.git")
    out = run_cli("check", "--no-schema", "-o", "json").json()["findings"]
    assert {f["env"] for f in out if f["path"] == "bgd/namespace.yaml"} == {"fleet"}
    assert [f for f in out if f["rule_id"] == "GG606"] == []
    # two manifests of one object in that source are still a duplicate
    repo.write("bgd/config-copy.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bgd}\n")
    assert [(f[0], f[1]) for f in _rules(run_cli) if f[0] == "GG606"] == [
        ("GG606", "bgd/config.yaml")]


def test_a_file_named_as_a_patch_that_no_kustomization_lists_is_a_fragment(
        repo: Repo, run_cli: RunCli) -> None:
    """gitops-examples' cmp/: a partial Deployment kept for `kubectl patch --patch-file`;
    a file named so but listed as a resource is judged whole."""
    patch = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: argocd-repo-server, namespace: argocd}
        spec:
          template:
            spec:
              containers:
                - name: cmp
                  image: alpine:3.20
                  volumeMounts: [{name: plugins, mountPath: /home/argocd/cmp-server/plugins}]
                  imagePullPolicey: Always
        """
    repo.write("cmp/2.argocd-repo-server-patch.yaml", patch)
    found = run_cli("check", "--no-builtin", "-o", "json", "cmp").json()["findings"]
    assert [(f["rule_id"], f["field"]) for f in found if f["severity"] == "error"] == [
        ("GG202", "spec.template.spec.containers[0].imagePullPolicey")]
    repo.write("cmp/kustomization.yaml", "resources: [2.argocd-repo-server-patch.yaml]\n")
    whole = {f["rule_id"] for f in run_cli("check", "--no-builtin", "-o", "json", "cmp").json()[
        "findings"] if f["severity"] == "error"}
    assert {"GG203", "GG235", "GG202"} <= whole


def test_objects_a_kustomization_sends_to_another_cluster_are_a_unit_of_their_own(
        repo: Repo, run_cli: RunCli) -> None:
    """fluxcd/flux2-hub-spoke-example's shape: the hub creates Namespace `production` and
    a Kustomization there whose `spec.kubeConfig` applies deploy/tenants (a Namespace
    `${CLUSTER_NAME}`, substituted to `production`) to the production cluster."""
    repo.write(".gitops-guard.yaml", "environments:\n  hub: {path: hub}\n")
    repo.write("hub/kustomization.yaml", "resources: [production.yaml]\n")
    repo.write("hub/production.yaml", """
        apiVersion: v1
        kind: Namespace
        metadata: {name: production}
        ---
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata: {name: tenants, namespace: production}
        spec:
          interval: 1h
          path: ./deploy/tenants
          prune: true
          sourceRef: {kind: GitRepository, name: flux-system, namespace: flux-system}
          kubeConfig: {secretRef: {name: cluster-kubeconfig}}
          postBuild: {substitute: {CLUSTER_NAME: production}}
        """)
    repo.write("deploy/tenants/namespace.yaml", """
        apiVersion: v1
        kind: Namespace
        metadata: {name: "${CLUSTER_NAME}"}
        """)
    (repo.root / ".git").rmdir()
    git = GitRepo(repo.root)
    git.git("remote", "add", "origin", "https://example.org/fleet.git")
    git.commit("hub and spoke")
    out = run_cli("check", "--no-schema", "-o", "json").json()["findings"]
    assert {f["env"] for f in out if f["path"] == "deploy/tenants/namespace.yaml"} == {"hub"}
    assert [f for f in out if f["rule_id"] == "GG606"] == []
    # the same object twice on the spoke is still a duplicate
    repo.write("deploy/tenants/copy.yaml", """
        apiVersion: v1
        kind: Namespace
        metadata: {name: production}
        """)
    git.commit("copy")
    assert [(f[0], f[3]) for f in _rules(run_cli) if f[0] == "GG606"] == [
        ("GG606", "Namespace production is already defined at deploy/tenants/namespace.yaml:1")]
