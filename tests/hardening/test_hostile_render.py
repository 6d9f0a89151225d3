"""Hostile render inputs (tests/data/hostile/render/) through `gitops-guard check --env`,
the installed command: nothing outside the repository is read, every environment ends
in a clear finding within a time limit, and a render that hangs is stopped at
`timeouts.render_seconds` with a GG107 finding naming the environment and the tool."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import requires

GUARD = Path(sys.executable).with_name("gitops-guard")
FIXTURE = Path(__file__).parents[1] / "data" / "hostile" / "render"
FAKES = Path(__file__).parents[1] / "fakes"
CANARY = "canary-outside-repo-5c0ffee1"
pytestmark = requires("kustomize")  # how environments render


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """<tmp>/repo (the fixture, a git repo) next to <tmp>/outside (a canary in a
    kustomization, a plain file and a values file)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "kustomization.yaml").write_text("resources: [cm.yaml]\n")
    (outside / "cm.yaml").write_text(
        f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: leak}}\ndata: {{v: {CANARY}}}\n")
    (outside / "secret.txt").write_text(CANARY + "\n")
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def check(root: Path, env_name: str, extra: dict[str, str] | None = None, limit: float = 60,
          ) -> tuple[int, dict[str, Any], str, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITOPS_GUARD")}
    env.update(extra or {})
    started = time.monotonic()
    done = subprocess.run([str(GUARD), "check", "--env", env_name, "--no-builtin", "-o",
                           "json"], cwd=root, capture_output=True, text=True, timeout=limit,
                          env=env)
    seconds = time.monotonic() - started
    assert CANARY not in done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    return done.returncode, json.loads(done.stdout) if done.stdout else {}, done.stderr, seconds


def _ids(report: dict[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in report["findings"]:
        out.setdefault(f["rule_id"], []).append(f["message"])
    return out


@pytest.mark.parametrize("name", ["escape-dir", "escape-file"])
def test_kustomize_paths_escaping_the_repo_are_refused(repo: Path, name: str) -> None:
    code, report, _, _ = check(repo, name)
    assert code == 1
    (message,) = _ids(report)["GG101"]
    assert "refers to ../../../outside" in message and "outside the repository" in message
    assert not any(f["rule_id"] != "GG101" for f in report["findings"])


def test_a_kustomize_symlink_out_of_the_repo_is_refused(repo: Path) -> None:
    (repo / "clusters" / "escape-dir" / "kustomization.yaml").write_text(
        "resources: [linked]\n")
    (repo / "clusters" / "escape-dir" / "linked").symlink_to(repo.parent / "outside")
    code, report, _, _ = check(repo, "escape-dir")
    assert code == 1 and _ids(report)["GG120"] == [
        "environment path refused: clusters/escape-dir/linked is a symlink to outside the "
        "repository; nothing outside the repository is read"]


@requires("helm")
def test_helm_lookup_is_a_warning_and_reads_no_cluster(repo: Path) -> None:
    code, report, _, seconds = check(repo, "lookup")
    assert code == 0 and seconds < 30
    (message,) = _ids(report)["GG108"]
    assert "calls `lookup`" in message


@requires("helm")
def test_helm_files_get_outside_the_chart_reads_nothing(repo: Path) -> None:
    code, report, _, _ = check(repo, "files-get")
    assert code == 0, report
    assert report["summary"]["resources"] == 1  # rendered, with empty strings


@requires("helm")
def test_a_values_from_loop_stops_at_the_depth_limit(repo: Path) -> None:
    _, report, _, seconds = check(repo, "values-loop")
    assert seconds < 30
    (message,) = _ids(report)["GG106"]
    assert "HelmRelease default/loop-10: nested too deep" in message


def test_a_hanging_kustomize_is_a_timeout_finding_and_is_not_cached(
    repo: Path, tmp_path: Path,
) -> None:
    (repo / ".gitops-guard.yaml").write_text(
        "timeouts: {render_seconds: 1}\nenvironments:\n  slow: {path: clusters/slow}\n")
    (repo / "clusters" / "slow").mkdir()
    (repo / "clusters" / "slow" / "kustomization.yaml").write_text("resources: [cm.yaml]\n")
    (repo / "clusters" / "slow" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: slow}\n")
    log = tmp_path / "kustomize.log"
    slow = {"PATH": f"{FAKES}{os.pathsep}{os.environ['PATH']}", "FAKE_KUSTOMIZE_SLEEP": "30",
            "FAKE_KUSTOMIZE_LOG": str(log)}
    code, report, _, seconds = check(repo, "slow", slow)
    assert seconds < 15, "the timeout did not stop kustomize"
    assert code == 1
    (message,) = _ids(report)["GG107"]
    assert message.startswith("environment slow: kustomize timed out after 1s rendering "
                              "clusters/slow")
    assert report["findings"][0]["path"] == "clusters/slow/kustomization.yaml"
    pid = int(log.read_text().split()[0])
    assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text(
    ).split(")")[-1].split()[0]  # the tool's process group was killed
    # the timeout was not cached: a fast kustomize renders it now
    code, report, _, _ = check(repo, "slow", {**slow, "FAKE_KUSTOMIZE_SLEEP": "0"})
    assert code == 0 and report["summary"]["resources"] == 1
