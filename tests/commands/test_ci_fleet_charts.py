"""Issue 17's "done when": a fleet of 100 environments sharing a kustomize base and a
chart served by the loopback chart repository, checked by `ci` on a PR against the GitHub
stand-in: one unsharded run, then 4 shards and `ci merge`, each job cold (its own empty
load, render and chart caches, as on a fresh CI runner). The posted comment, SARIF, JUnit,
job summary and exit code must be identical.

The environments are small (one HelmRelease of a one-Deployment chart each) so the test
takes seconds: 10 regions are kustomize overlays of one base (real `kubectl kustomize`),
90 edge clusters are plain directories each with its own HelmRelease of the same chart.
The PR bumps the chart in the base and in every edge cluster (all 100 environments
affected), pins `latest` in a few clusters and breaks one cluster's values.
"""
from __future__ import annotations

import json
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.commands.ci_github import ci_outputs, git, on_pull_request
from tests.conftest import RunCli
from tests.fakes.github_api import FakeGitHub
from tests.fakes.helm_chart_repository import ChartRepository
from tests.render.chart_fixtures import chart_repo  # noqa: F401

REGIONS = 10
EDGES = 90

SOURCE = """\
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {{name: charts, namespace: flux-system}}
spec: {{url: "{url}", interval: 1h}}
"""

RELEASE = """\
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {{name: podinfo, namespace: {namespace}}}
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

REGION = """\
resources: [../../base]
patches:
  - target: {{kind: HelmRelease, name: podinfo}}
    patch: |
      - {{op: replace, path: /spec/values/replicas, value: {replicas}}}
"""


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _edge(root: Path, i: int, url: str, version: str, extra: str = "") -> None:
    _write(root / "clusters" / f"edge-{i:02d}" / "podinfo.yaml",
           SOURCE.format(url=url) + "---\n"
           + RELEASE.format(namespace=f"edge-{i:02d}", version=version, replicas=2 + i % 2)
           + extra)


def chart_fleet(root: Path, url: str, regions: int = REGIONS, edges: int = EDGES) -> Path:
    """`main`: podinfo 1.0.0 everywhere; then branch `pr` with the change committed."""
    envs = []
    _write(root / "base" / "kustomization.yaml", "resources: [source.yaml, podinfo.yaml]\n")
    _write(root / "base" / "source.yaml", SOURCE.format(url=url))
    _write(root / "base" / "podinfo.yaml",
           RELEASE.format(namespace="apps", version="1.0.0", replicas=2))
    for i in range(regions):
        envs.append(f"  region-{i}: {{path: clusters/region-{i}}}")
        _write(root / "clusters" / f"region-{i}" / "kustomization.yaml",
               REGION.format(replicas=2 + i % 3))
    for i in range(edges):
        envs.append(f"  edge-{i:02d}: {{path: clusters/edge-{i:02d}, kind: plain}}")
        _edge(root, i, url, "1.0.0")
    _write(root / ".gitops-guard.yaml", "environments:\n" + "\n".join(envs) + "\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "ci@example.com")
    git(root, "config", "user.name", "CI")
    git(root, "add", ".")
    git(root, "commit", "-qm", "fleet")
    git(root, "checkout", "-qb", "pr")
    podinfo = root / "base" / "podinfo.yaml"
    podinfo.write_text(podinfo.read_text().replace('"1.0.0"', '"^1.1"'))
    for i in range(edges):
        extra = ""
        if i % 15 == 0:
            extra = "    image: {tag: latest}\n"
        if i == 42:
            extra = "    image: {tag: \"1.1.0\"}\n"
        _edge(root, i, url, "1.1.0", extra)
    broken = root / "clusters" / "edge-77" / "podinfo.yaml"
    if broken.exists():
        broken.write_text(broken.read_text().replace("replicas: 3", "replicas: three"))
    git(root, "commit", "-qam", "podinfo 1.1 across the fleet")
    return root


@pytest.fixture
def fleet(chart_repo: ChartRepository, tmp_path: Path,  # noqa: F811
          monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, FakeGitHub]]:
    root = chart_fleet(tmp_path / "repo", chart_repo.url)
    monkeypatch.chdir(root)
    with FakeGitHub() as gh:
        on_pull_request(monkeypatch, gh, root, tmp_path / "event.json")
        yield root, gh


def _cold_job(monkeypatch: pytest.MonkeyPatch, cache: Path) -> None:
    """A fresh runner: empty load, render and chart caches of its own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))


def test_a_hundred_chart_environments_sharded_say_what_one_run_says(
        fleet: tuple[Path, FakeGitHub], chart_repo: ChartRepository,  # noqa: F811
        run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, gh = fleet
    _cold_job(monkeypatch, tmp_path / "cache-whole")
    whole = ci_outputs(run_cli, gh, tmp_path / "whole", monkeypatch, "ci")
    bundles = []
    for k in range(1, 5):
        _cold_job(monkeypatch, tmp_path / f"cache-{k}")
        bundle = tmp_path / f"shard-{k}.json"
        shard = run_cli("ci", "--shard", f"{k}/4", "--bundle", str(bundle))
        assert shard.code == 0, shard.out + shard.err
        assert gh.bot_comments() == []
        bundles.append(str(bundle))
    _cold_job(monkeypatch, tmp_path / "cache-merge")
    merged = ci_outputs(run_cli, gh, tmp_path / "merged", monkeypatch, "ci", "merge", *bundles)
    assert merged == whole
    # What the run found, so that the comparison above is about something: every
    # environment rendered its chart (fetched by each job), findings from several shards.
    assert whole.code == 1, whole.stdout
    fetched = [p for p in chart_repo.paths() if p.endswith(".tgz")]
    assert set(fetched) == {"/podinfo-1.0.0.tgz", "/podinfo-1.1.0.tgz"}  # base, head
    assert len(fetched) <= 3 * 5  # a few per cold job, not one per environment (400 renders)
    assert "100 of 100 environments change" in whole.comment
    assert "image: example/podinfo:1.1.0  [region-0, region-1, " in whole.comment
    assert "[edge-00, edge-15, edge-30, edge-45, edge-60, edge-75 only]" in whole.comment
    assert '"GG201"' in whole.sarif and "clusters/edge-77/podinfo.yaml" in whole.sarif
    # The base's findings collapse into one naming all 10 regions, rendered in 3 shards
    # (the changed files, checked as they are, fill the fourth).
    units = [json.loads(Path(b).read_text())["units"] for b in bundles]
    assert sum(any(u.startswith("region-") for u in group) for group in units) >= 3
    collapsed = ", ".join(f"region-{i}" for i in range(REGIONS))
    assert f"base/podinfo.yaml:4:1: warning GG403  container \"app\" has no memory limit  " \
           f"[Deployment apps/podinfo]  (env {collapsed})" in whole.stdout


def _private(tree: Path) -> list[str]:
    """What under `tree` another user could read or write (dirs 0700, files 0600)."""
    loose = []
    for path in [tree, *tree.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        if mode & 0o077 or (path.is_file() and mode & 0o100):
            loose.append(f"{path.relative_to(tree)} {mode:o}")
    return loose


def test_a_cache_restored_into_another_job_serves_its_charts_and_keeps_the_trust_rules(
        chart_repo: ChartRepository, run_cli: RunCli, tmp_path: Path,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/fleet.md's `actions/cache` step: one job's ~/.cache/gitops-guard, restored in
    the next job (another checkout: actions/checkout wrote another token into
    .git/config), answers that job's charts without the network, with the same verdict."""
    root = chart_fleet(tmp_path / "repo", chart_repo.url, regions=0, edges=3)
    monkeypatch.chdir(root)
    for var in ("GITHUB_ACTIONS", "GITLAB_CI", "CI_NODE_INDEX", "CI_NODE_TOTAL"):
        monkeypatch.delenv(var, raising=False)
    header = "http.https://github.com/.extraheader"
    git(root, "config", header, "AUTHORIZATION: basic am9iLTE6dG9rZW4=")
    first_cache = tmp_path / "job-1" / ".cache"
    _cold_job(monkeypatch, first_cache)
    first = run_cli("ci", "--base", "main", "--shard", "1/2", "--bundle", str(tmp_path / "a"))
    assert first.code == 0, first.err
    assert [p for p in chart_repo.paths() if p.endswith(".tgz")]  # job 1 fetched
    caches = first_cache / "gitops-guard"
    assert {"charts", "render"} <= {p.name for p in caches.iterdir()}
    assert _private(caches / "charts") == [] and _private(caches / "render") == []
    assert git(root, "status", "--porcelain") == ""  # nothing in the work tree
    # actions/cache restores the tree (tar keeps the modes) into the next job.
    restored = tmp_path / "job-2" / ".cache"
    shutil.copytree(first_cache, restored, symlinks=True)
    git(root, "config", header, "AUTHORIZATION: basic am9iLTI6dG9rZW4=")
    chart_repo.state.requests.clear()
    _cold_job(monkeypatch, restored)
    second = run_cli("ci", "--base", "main", "--shard", "1/2", "--bundle", str(tmp_path / "b"))
    assert second.code == 0, second.err
    assert chart_repo.paths() == []  # exact versions: the restored cache answered
    bundles = [json.loads((tmp_path / name).read_text()) for name in ("a", "b")]
    assert bundles[0]["findings"] == bundles[1]["findings"]
    assert not [f for f in bundles[1]["findings"] if "GG104" in json.dumps(f)]
