"""`gitops-guard ci` sharded across a job matrix: `ci shards`, `ci --shard K/N --bundle`,
`ci merge`, on a generated fleet repository (real git, real kustomize), against the
GitHub stand-in. The merge must say exactly what one unsharded run says."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.commands.ci_github import ci_outputs, git, on_pull_request
from tests.conftest import RunCli
from tests.fakes.github_api import FakeGitHub

PLAIN_ENVS = 20
KUSTOMIZE_ENVS = 4

DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {ns}
  labels: {{app: {name}}}
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {{app: {name}}}
    spec:
      containers:
        - name: app
          # gitops-guard: ignore GG501 {reason}
          image: {image}
          resources:
            requests: {{cpu: 100m, memory: 64Mi}}
            limits: {{memory: 64Mi}}
"""

SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: {ns}
  annotations:
    gitops-guard.io/ignore: "GG506=exposed on purpose"
spec:
  type: {type}
  selector: {{app: {name}}}
  ports: [{{port: 80}}]
"""


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def fleet_repo(root: Path) -> Path:
    """20 plain clusters, each its own manifests, and 4 kustomize clusters sharing a base
    (with an inline suppression the overlays render), all in one config."""
    envs = []
    for i in range(PLAIN_ENVS):
        name = f"plain-{i:02d}"
        envs.append(f"  {name}: {{path: clusters/{name}, kind: plain}}")
        for j in range(1 + i % 3):
            _write(root / "clusters" / name / f"app{j}.yaml",
                   DEPLOY.format(name=f"app{j}", ns=name, replicas=2, reason="pinned later",
                                 image="nginx:1.27") + "---\n"
                   + SERVICE.format(name=f"app{j}", ns=name, type="ClusterIP"))
    _write(root / "base" / "kustomization.yaml", "resources: [web.yaml, svc.yaml]\n")
    _write(root / "base" / "web.yaml", DEPLOY.format(
        name="web", ns="web", replicas=2, reason="rolled by the release bot",
        image="nginx:1.27"))
    _write(root / "base" / "svc.yaml", SERVICE.format(name="web", ns="web", type="ClusterIP"))
    for i in range(KUSTOMIZE_ENVS):
        name = f"kust-{i}"
        envs.append(f"  {name}: {{path: clusters/{name}}}")
        pinned = "images: [{name: nginx, newTag: '1.27'}]\n" if i == 0 else ""
        _write(root / "clusters" / name / "kustomization.yaml",
               f"resources: [../../base]\nnamePrefix: c{i}-\n{pinned}")
    _write(root / "loose" / "extra.yaml", SERVICE.format(name="extra", ns="x", type="ClusterIP"))
    _write(root / ".gitops-guard.yaml", "environments:\n" + "\n".join(envs) + "\n"
           "ignore:\n  - {rule: GG404, path: \"clusters/plain-0*/**\", reason: probes later}\n"
           "  - {rule: GG999, path: \"loose/**\", reason: never used}\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "ci@example.com")
    git(root, "config", "user.name", "CI")
    git(root, "add", ".")
    git(root, "commit", "-qm", "fleet")
    git(root, "checkout", "-qb", "pr")
    return root


def change_fleet(root: Path) -> None:
    """A PR touching the shared base (every kustomize cluster), most plain clusters and a
    loose file: findings in many shards, a suppression used in some shards only."""
    web = root / "base" / "web.yaml"
    web.write_text(web.read_text().replace("nginx:1.27", "nginx:latest")
                   .replace("replicas: 2", "replicas: 1"))
    svc = root / "base" / "svc.yaml"
    svc.write_text(svc.read_text().replace("ClusterIP", "LoadBalancer"))
    for i in range(0, PLAIN_ENVS, 2):
        app = root / "clusters" / f"plain-{i:02d}" / "app0.yaml"
        text = app.read_text().replace("replicas: 2", "replicas: 3")
        if i % 4 == 0:
            text = text.replace("nginx:1.27", "nginx:latest")
        if i == 6:
            text = text.replace("replicas: 3", 'replicas: "three"')
        app.write_text(text)
    extra = root / "loose" / "extra.yaml"
    extra.write_text(extra.read_text().replace("ClusterIP", "NodePort"))
    git(root, "commit", "-qam", "change the fleet")


@pytest.fixture
def fleet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, FakeGitHub]]:
    root = fleet_repo(tmp_path / "repo")
    change_fleet(root)
    monkeypatch.chdir(root)
    with FakeGitHub() as gh:
        on_pull_request(monkeypatch, gh, root, tmp_path / "event.json")
        yield root, gh


def test_four_shards_and_a_merge_say_exactly_what_one_run_says(
        fleet: tuple[Path, FakeGitHub], run_cli: RunCli, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _, gh = fleet
    whole = ci_outputs(run_cli, gh, tmp_path / "whole", monkeypatch, "ci")
    assert whole.code == 1, whole.stdout
    bundles = []
    for k in range(1, 5):
        bundle = tmp_path / f"shard-{k}.json"
        shard = run_cli("ci", "--shard", f"{k}/4", "--bundle", str(bundle))
        assert shard.code == 0, shard.out + shard.err
        assert gh.bot_comments() == []  # shards never comment
        bundles.append(str(bundle))
    merged = ci_outputs(run_cli, gh, tmp_path / "merged", monkeypatch, "ci", "merge", *bundles)
    assert merged == whole
    # what the run found, so the comparison above is about something
    assert "GG210" in whole.sarif or "three" in whole.stdout
    lines = [line for line in whole.stdout.splitlines() if line.startswith("  ")]  # text
    # The base file's inline suppression: kust-0 pins its image, so its shard alone finds
    # it unused; the others used it, so it is used.
    assert not [line for line in lines if line.startswith("  base/web.yaml:1")
                and ("GG501" in line or "GG050" in line)]
    # A config entry no shard used is reported once; one some shards used is not.
    assert sum("unused suppression of GG999" in line for line in lines) == 1
    assert not [line for line in lines if "GG404" in line and "plain-0" in line]
    assert "(env kust-0, kust-1, kust-2, kust-3)" in whole.stdout  # collapsed across shards
    assert "14 of 14 environments change" in whole.comment


def test_shards_prints_a_balanced_matrix_for_fromjson(
        fleet: tuple[Path, FakeGitHub], run_cli: RunCli) -> None:
    result = run_cli("ci", "shards", "--max", "8", "--per-shard", "3")
    assert result.code == 0, result.err
    assert json.loads(result.out) == {"shard": [f"{k}/5" for k in range(1, 6)]}  # 14 envs
    costs = [int(line.split("(cost ")[1].split(")")[0])
             for line in result.err.splitlines() if "(cost " in line]
    assert len(costs) == 5 and max(costs) <= 1.25 * (sum(costs) / len(costs))
    small = run_cli("ci", "shards", "--max", "2")
    assert json.loads(small.out) == {"shard": ["1/2", "2/2"]}


def test_gitlab_parallel_variables_pick_the_shard(
        fleet: tuple[Path, FakeGitHub], run_cli: RunCli, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI_NODE_INDEX", "2")
    monkeypatch.setenv("CI_NODE_TOTAL", "3")
    result = run_cli("ci", "--bundle", str(tmp_path / "b.json"))
    assert result.code == 0, result.err
    assert "shard 2/3:" in result.out
    raw = json.loads((tmp_path / "b.json").read_text())
    assert (raw["format"], raw["version"], raw["shard"]) == ("gitops-guard-bundle", 1, 2)
    assert raw["run"]["total"] == 3


def test_a_missing_shard_fails_the_gate_naming_it(
        fleet: tuple[Path, FakeGitHub], run_cli: RunCli, tmp_path: Path) -> None:
    for k in (1, 3):
        run_cli("ci", "--no-plan", "--shard", f"{k}/3", "--bundle", str(tmp_path / f"s{k}.json"))
    result = run_cli("ci", "--no-plan", "merge", *(str(tmp_path / f"s{k}.json") for k in (1, 3)))
    assert result.code == 2
    assert "shard 2/3: no bundle; the gate fails" in result.err
    assert "Traceback" not in result.err


def test_a_bundle_from_another_commit_is_refused(
        fleet: tuple[Path, FakeGitHub], run_cli: RunCli, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    root, _ = fleet
    monkeypatch.delenv("GITHUB_EVENT_PATH")
    for k in (1, 2):
        run_cli("ci", "--no-plan", "--base", "main", "--shard", f"{k}/2", "--bundle",
                str(tmp_path / f"s{k}.json"))
    (root / "loose" / "extra.yaml").write_text("kind: ConfigMap\n")
    git(root, "commit", "-qam", "one more commit")
    result = run_cli("ci", "--no-plan", "--base", "main", "merge", str(tmp_path / "s1.json"),
                     str(tmp_path / "s2.json"))
    assert result.code == 2
    assert "the bundles are from another commit than this merge" in result.err


def test_a_failed_shard_and_a_damaged_bundle_are_named(
        fleet: tuple[Path, FakeGitHub], run_cli: RunCli, tmp_path: Path) -> None:
    ok = run_cli("ci", "--no-plan", "--shard", "1/2", "--bundle", str(tmp_path / "s1.json"))
    assert ok.code == 0
    failed = run_cli("ci", "--no-plan", "--shard", "2/2", "--bundle", str(tmp_path / "s2.json"),
                     "-p", str(tmp_path / "no-such-policies"))
    assert failed.code == 2
    result = run_cli("ci", "--no-plan", "merge", *(str(tmp_path / f"s{k}.json") for k in (1, 2)))
    assert result.code == 2 and "shard 2/2 failed" in result.err
    assert "no-such-policies: policy path not found" in result.err
    (tmp_path / "s2.json").write_text('{"format": "gitops-guard-bundle", "version": 99}')
    result = run_cli("ci", "--no-plan", "merge", *(str(tmp_path / f"s{k}.json") for k in (1, 2)))
    assert result.code == 2 and "bundle version 99" in result.err


def test_bad_shard_flags_are_usage_errors(fleet: tuple[Path, FakeGitHub],
                                          run_cli: RunCli) -> None:
    assert "expected K/N" in run_cli("ci", "--shard", "5/4", "--bundle", "b.json").err
    assert "--bundle FILE" in run_cli("ci", "--shard", "1/4").err
    assert "unknown action" in run_cli("ci", "sharts").err


def test_shards_judged_by_the_trusted_ref_merge_like_one_run(
        fleet: tuple[Path, FakeGitHub], run_cli: RunCli, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    root, _ = fleet
    monkeypatch.delenv("GITHUB_ACTIONS")
    # The PR switches its own config's suppressions off; the trusted ref's config judges.
    config = root / ".gitops-guard.yaml"
    (root / "policies").mkdir()  # judging paths in the trusted config: pinned per job
    (root / "policies" / "README.md").write_text("team policies\n")
    config.write_text(config.read_text() + "policies: [policies/]\n")
    git(root, "add", ".")
    git(root, "commit", "-qm", "team policies dir")
    git(root, "branch", "trusted")
    config.write_text(config.read_text().split("ignore:")[0])
    git(root, "commit", "-qam", "drop the ignores")
    flags = ("--base", "main", "--trusted-ref", "trusted", "--no-plan")
    whole = run_cli("ci", *flags)
    for k in (1, 2):
        assert run_cli("ci", *flags, "--shard", f"{k}/2", "--bundle",
                       str(tmp_path / f"s{k}.json")).code == 0
    merged = run_cli("ci", *flags, "merge", str(tmp_path / "s1.json"), str(tmp_path / "s2.json"))
    assert (merged.code, merged.out) == (whole.code, whole.out)
    assert "unused suppression of GG999" in whole.out  # the trusted config's entry
