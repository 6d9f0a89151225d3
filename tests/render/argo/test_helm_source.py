"""An Argo CD Application whose source is a Helm repository (`repoURL` + `chart`): the
same chart cache and locator as Flux, over the loopback chart repository."""
from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from gitops_guard.render import render_environment
from gitops_guard.render.charts import ChartOptions
from gitops_guard.render.model import Environment, RenderResult
from tests.fakes.helm_chart_repository import ChartRepository
from tests.render.chart_fixtures import chart_repo  # noqa: F401


def app_repo(tmp_path: Path, url: str, revision: str) -> Path:
    root = tmp_path / "apps"
    (root / "apps").mkdir(parents=True)
    app = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
           "metadata": {"name": "podinfo", "namespace": "argocd"},
           "spec": {"project": "default",
                    "destination": {"server": "https://kubernetes.default.svc",
                                    "namespace": "web"},
                    "source": {"repoURL": url, "chart": "podinfo", "targetRevision": revision,
                               "helm": {"valuesObject": {"replicas": 2}}}}}
    (root / "apps" / "podinfo.yaml").write_text(yaml.safe_dump(app))
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def render(root: Path, cache: Path, fetch: bool) -> RenderResult:
    env = Environment("apps", "apps", kind="plain", charts=ChartOptions(cache, fetch=fetch))
    return render_environment(env, root, use_cache=False)


def test_application_helm_repository_chart(chart_repo: ChartRepository,  # noqa: F811
                                           tmp_path: Path) -> None:
    root = app_repo(tmp_path, chart_repo.url, "1.*")
    offline = render(root, tmp_path / "cache", fetch=False)
    assert [f.rule_id for f in offline.findings] == ["GG104"]
    assert "gitops-guard charts pull" in offline.findings[0].message
    result = render(root, tmp_path / "cache", fetch=True)
    found = {str(d.resource): d for d in result.documents}
    deployment = found["Deployment web/podinfo"]
    assert deployment.data["spec"]["replicas"] == 2
    assert deployment.data["spec"]["template"]["spec"]["containers"][0]["image"] == \
        "example/podinfo:1.1.0"
    assert deployment.path == "apps/podinfo.yaml"
    # the cache now answers offline, with the version the fetch resolved
    again = render(root, tmp_path / "cache", fetch=False)
    assert {str(d.resource) for d in again.documents} == set(found)
    assert again.findings == []
