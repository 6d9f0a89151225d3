"""`charts pull`, `check` offline / `--fetch-charts`, and a chart version bump in `diff`,
against the loopback chart repository and OCI registry."""
from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import RunCli
from tests.fakes.github_api import FakeGitHub
from tests.fakes.helm_chart_repository import ChartRepository
from tests.fakes.oci_registry import OciRegistry
from tests.render.chart_fixtures import chart_repo, registry  # noqa: F401

RELEASE = """\
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {{name: charts, namespace: flux-system}}
spec: {{url: "{url}", interval: 1h{extra}}}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {{name: podinfo, namespace: apps}}
spec:
  interval: 10m
  chart:
    spec:
      chart: podinfo
      version: "{version}"
      sourceRef: {{kind: HelmRepository, name: charts, namespace: flux-system}}
  values:
    replicas: {replicas}
"""


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def fleet(tmp_path: Path, url: str, version: str, oci: bool = False, replicas: int = 1
          ) -> Path:
    root = tmp_path / "fleet"
    (root / "clusters" / "prod").mkdir(parents=True)
    config = {"environments": {"prod": {"path": "clusters/prod"}},
              "chart_cache": str(tmp_path / "chart-cache")}
    (root / ".gitops-guard.yaml").write_text(yaml.safe_dump(config))
    write_release(root, url, version, oci, replicas)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "base")
    return root


# Without the helm extra nothing is fetched, and the failure names the extra to install.
_FETCH_FAILURE = ("connection refused" if importlib.util.find_spec("helm_python")
                  else "needs the extra `pip install 'gitops-guard[helm]'`")


def write_release(root: Path, url: str, version: str, oci: bool = False, replicas: int = 1
                  ) -> None:
    extra = ", type: oci, insecure: true" if oci else ""
    (root / "clusters" / "prod" / "podinfo.yaml").write_text(
        RELEASE.format(url=url, version=version, extra=extra, replicas=replicas))


def test_check_is_offline_until_charts_are_pulled(chart_repo: ChartRepository,  # noqa: F811
                                                  tmp_path: Path, run_cli: RunCli) -> None:
    root = fleet(tmp_path, chart_repo.url, "^1.0")
    offline = run_cli("-C", str(root), "check", "--env", "prod", "-o", "json")
    assert chart_repo.paths() == []  # check made no network call
    notes = [f for f in offline.json()["findings"] if f["rule_id"] == "GG104"]
    assert len(notes) == 1 and "run `gitops-guard charts pull`" in notes[0]["message"]
    pulled = run_cli("-C", str(root), "charts", "pull")
    assert pulled.code == 0, pulled.err
    assert pulled.out.startswith(f"ok      podinfo 1.1.0 (^1.0) from {chart_repo.url} sha256:")
    again = run_cli("-C", str(root), "check", "--env", "prod", "-o", "json")
    assert [f for f in again.json()["findings"] if f["rule_id"] in ("GG104", "GG110")] == []
    assert oct((tmp_path / "chart-cache").stat().st_mode & 0o777) == "0o700"


def test_check_fetch_charts_flag(chart_repo: ChartRepository,  # noqa: F811
                                 tmp_path: Path, run_cli: RunCli) -> None:
    root = fleet(tmp_path, chart_repo.url, "1.0.0")
    result = run_cli("-C", str(root), "check", "--env", "prod", "--fetch-charts", "-o", "json")
    assert [f["rule_id"] for f in result.json()["findings"] if f["rule_id"] in
            ("GG104", "GG110")] == []
    assert "/podinfo-1.0.0.tgz" in chart_repo.paths()


def test_pull_failure_exits_1_and_names_the_chart(tmp_path: Path, run_cli: RunCli) -> None:
    root = fleet(tmp_path, "http://127.0.0.1:9", "1.0.0")
    result = run_cli("-C", str(root), "charts", "pull", "--env", "prod")
    assert result.code == 1
    assert result.out.startswith("failed  podinfo 1.0.0 from http://127.0.0.1:9: fetching")
    assert _FETCH_FAILURE in result.out


def test_pull_into_a_cache_inside_the_repository_is_refused(
        tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    root = fleet(tmp_path, "http://127.0.0.1:9", "1.0.0")
    config = yaml.safe_load((root / ".gitops-guard.yaml").read_text())
    del config["chart_cache"]
    (root / ".gitops-guard.yaml").write_text(yaml.safe_dump(config))
    monkeypatch.setenv("GITOPS_GUARD_CHART_CACHE", str(root / ".charts"))
    result = run_cli("-C", str(root), "charts", "pull")
    assert result.code == 2
    assert f"charts pull: chart cache {root / '.charts'} not used: it is inside the " \
           "repository" in result.err
    assert not (root / ".charts").exists()


def test_pull_unknown_env_is_a_usage_error(chart_repo: ChartRepository,  # noqa: F811
                                           tmp_path: Path, run_cli: RunCli) -> None:
    root = fleet(tmp_path, chart_repo.url, "1.0.0")
    result = run_cli("-C", str(root), "charts", "pull", "--env", "nope")
    assert result.code == 2 and "--env nope: no such environment" in result.err


@pytest.mark.parametrize("oci", [False, True])
def test_diff_shows_the_change_inside_a_bumped_chart(
        chart_repo: ChartRepository, registry: OciRegistry,  # noqa: F811
        tmp_path: Path, run_cli: RunCli, oci: bool) -> None:
    url = registry.url("charts") if oci else chart_repo.url
    root = fleet(tmp_path, url, "1.0.0", oci)
    write_release(root, url, "1.1.0", oci)
    result = run_cli("-C", str(root), "diff", "--base", "HEAD", "--color", "never")
    assert result.code == 0, result.err
    assert "Deployment apps/podinfo" in result.out
    assert "example/podinfo:1.0.0" in result.out and "example/podinfo:1.1.0" in result.out
    assert "GG104" not in result.out and "not rendered" not in result.out


def test_diff_values_only_change_shows_only_that_field(chart_repo: ChartRepository,  # noqa: F811
                                                       tmp_path: Path, run_cli: RunCli) -> None:
    root = fleet(tmp_path, chart_repo.url, "1.0.0")
    write_release(root, chart_repo.url, "1.0.0", replicas=3)
    result = run_cli("-C", str(root), "diff", "--base", "HEAD", "--color", "never")
    assert "replicas" in result.out and "image" not in result.out.split("Deployment", 1)[1]


def test_diff_with_an_unreachable_chart_says_not_rendered(tmp_path: Path,
                                                          run_cli: RunCli) -> None:
    root = fleet(tmp_path, "http://127.0.0.1:9", "1.0.0")
    write_release(root, "http://127.0.0.1:9", "1.1.0")
    result = run_cli("-C", str(root), "diff", "--base", "HEAD", "--color", "never")
    assert "No changes." not in result.out
    assert "GG110" in result.out and _FETCH_FAILURE in result.out


@pytest.mark.parametrize("oci", [False, True])
def test_ci_comment_shows_the_change_inside_a_bumped_chart(
        chart_repo: ChartRepository, registry: OciRegistry,  # noqa: F811
        tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, oci: bool) -> None:
    url = registry.url("charts") if oci else chart_repo.url
    root = fleet(tmp_path, url, "1.0.0", oci)
    git(root, "checkout", "-qb", "pr")
    write_release(root, url, "1.1.0", oci)
    git(root, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qam", "bump podinfo")
    sha = {ref: subprocess.run(["git", "-C", str(root), "rev-parse", ref], check=True,
                               capture_output=True, text=True).stdout.strip()
           for ref in ("main", "HEAD")}
    with FakeGitHub() as gh:
        event = tmp_path / "event.json"
        event.write_text(json.dumps({"number": 7, "pull_request": {
            "number": 7, "base": {"sha": sha["main"], "repo": {"full_name": "acme/fleet"}},
            "head": {"sha": sha["HEAD"], "repo": {"full_name": "acme/fleet"}}}}))
        for key, value in {"GITHUB_ACTIONS": "true", "GITHUB_EVENT_PATH": str(event),
                           "GITHUB_REPOSITORY": "acme/fleet", "GITHUB_API_URL": gh.url,
                           "GITHUB_TOKEN": "write-token"}.items():
            monkeypatch.setenv(key, value)
        monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
        result = run_cli("-C", str(root), "ci", "--comment", "github", "--no-builtin")
        comments = gh.bot_comments()
    assert result.code == 0, result.out + result.err
    assert len(comments) == 1, result.out + result.err
    (comment,) = comments
    body = comment["body"]
    assert "- spec.template.spec.containers[name=app].image: example/podinfo:1.0.0" in body
    assert "+ spec.template.spec.containers[name=app].image: example/podinfo:1.1.0" in body
    assert "+ spec.chart.spec.version: 1.1.0" in body
