"""GG505 through `gitops-guard check`: a resource without a namespace is not reported when
what deploys it in the input sets one (evaluate/units.py `namespaces`)."""
from __future__ import annotations

import pytest

from gitops_guard.evaluate import python_run
from tests.conftest import RunCli
from tests.evaluate.conftest import Repo

CONFIGMAP = """
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: {name}
    data: {{level: info}}
    """
APPLICATION = """
    apiVersion: argoproj.io/v1alpha1
    kind: Application
    metadata:
      name: guestbook
      namespace: argocd
    spec:
      project: default
      source:
        repoURL: https://example.com/apps.git
        path: {path}
      destination:
        server: https://kubernetes.default.svc
        {destination}
    """


def _gg505(run_cli: RunCli) -> list[tuple[str, int, str]]:
    out = run_cli("check", "--no-schema", "-o", "json").json()["findings"]
    return [(f["path"], f["line"], f["message"]) for f in out if f["rule_id"] == "GG505"]


def test_argo_destination_namespace_sets_it(repo: Repo, run_cli: RunCli) -> None:
    repo.write("apps/guestbook.yaml", APPLICATION.format(path="guestbook",
                                                         destination="namespace: shop"))
    repo.write("guestbook/config.yaml", CONFIGMAP.format(name="settings"))
    repo.write("other/config.yaml", CONFIGMAP.format(name="loose"))
    assert _gg505(run_cli) == [("other/config.yaml", 3, 'ConfigMap "loose" has no namespace')]


def test_argo_without_destination_namespace_still_reported(repo: Repo,
                                                           run_cli: RunCli) -> None:
    repo.write("apps/guestbook.yaml", APPLICATION.format(path="guestbook", destination=""))
    repo.write("guestbook/config.yaml", CONFIGMAP.format(name="settings"))
    assert _gg505(run_cli) == [
        ("guestbook/config.yaml", 3, 'ConfigMap "settings" has no namespace')]


def test_applicationset_flux_and_kustomize_namespace_set_it(repo: Repo,
                                                            run_cli: RunCli) -> None:
    repo.write("apps/set.yaml", """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata: {name: set, namespace: argocd}
        spec:
          generators: [{list: {elements: [{cluster: a}]}}]
          template:
            metadata: {name: 'web-{{cluster}}'}
            spec:
              project: default
              source: {repoURL: https://example.com/apps.git, path: web}
              destination: {server: https://kubernetes.default.svc, namespace: web}
        """)
    repo.write("web/config.yaml", CONFIGMAP.format(name="web"))
    repo.write("clusters/prod/infra.yaml", """
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata: {name: infra, namespace: flux-system}
        spec:
          interval: 10m
          path: ./infra
          targetNamespace: infra
          sourceRef: {kind: GitRepository, name: flux-system}
        """)
    repo.write("infra/redis/config.yaml", CONFIGMAP.format(name="redis"))
    repo.write("base/kustomization.yaml", "namespace: shop\nresources: [../shared/config.yaml]\n")
    repo.write("shared/config.yaml", CONFIGMAP.format(name="shared"))
    repo.write("loose/config.yaml", CONFIGMAP.format(name="loose"))
    assert _gg505(run_cli) == [("loose/config.yaml", 3, 'ConfigMap "loose" has no namespace')]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_each_document_gets_its_own_context(repo: Repo, run_cli: RunCli, jobs: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # Two identical ConfigMaps in one file, one deployed by a kustomization setting its
    # namespace: each rule call is handed its own document and that document's namespace,
    # in forked workers too (`-j 2`, rules shared out from the first document on).
    monkeypatch.setattr(python_run, "PARALLEL_DOCUMENTS", 1)
    twice = CONFIGMAP.format(name="same") + "---\n" + CONFIGMAP.format(name="same")
    repo.write("base/kustomization.yaml", "namespace: shop\nresources: [config.yaml]\n")
    repo.write("base/config.yaml", twice)
    repo.write("loose/config.yaml", twice)
    policy = repo.policy("judged_document.py")
    out = run_cli("check", "--no-schema", "--no-builtin", "-p", policy, "-j", jobs,
                  "-o", "json").json()["findings"]
    assert sorted((f["path"], f["line"], f["message"]) for f in out
                  if f["rule_id"] == "ACME004") == [
        ("base/config.yaml", 3, "base/config.yaml#0 deployed into shop"),
        ("base/config.yaml", 10, "base/config.yaml#1 deployed into shop"),
        ("loose/config.yaml", 3, "loose/config.yaml#0 deployed into None"),
        ("loose/config.yaml", 10, "loose/config.yaml#1 deployed into None"),
    ]
