"""The harness of the CI attack replays: a real git repo with a trusted `main` and a PR
branch written by an attacker, run through `gitops-guard ci --trusted-ref main` as a
GitHub `pull_request_target` job would (a write token and a canary secret in the
environment, the comment posted to the GitHub stand-in, a job summary file).

`Attack.result()` is everything the attacker can see: stdout, stderr, the PR comment and
the job summary; `assert_no_canary` checks none of it carries a secret of the runner.
"""
from __future__ import annotations

import json
import secrets
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import CliResult, RunCli
from tests.fakes.github_api import FakeGitHub

BASE_CONFIG = """\
kubernetes_version: "1.32"
environments:
  staging:
    path: clusters/staging
"""
FLUX_APPS = """\
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
"""
DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app.kubernetes.io/name: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27.0
          resources:
            limits: {cpu: 100m, memory: 64Mi}
"""


@dataclass(frozen=True)
class Seen:
    """What the attacker sees of one run."""

    code: int
    out: str
    err: str
    comment: str
    summary: str

    @property
    def everything(self) -> str:
        return "\n".join((self.out, self.err, self.comment, self.summary))

    def __str__(self) -> str:
        return f"exit {self.code}\n--- stdout\n{self.out}\n--- stderr\n{self.err}\n" \
               f"--- comment\n{self.comment}\n--- summary\n{self.summary}"


class Attack:
    """A repo at `root` with `main` (trusted) committed; `pr()` starts the PR branch."""

    def __init__(self, tmp: Path, run_cli: RunCli, gh: FakeGitHub,
                 monkeypatch: pytest.MonkeyPatch) -> None:
        self.tmp, self.run_cli, self.gh, self.mp = tmp, run_cli, gh, monkeypatch
        self.root = tmp / "repo"
        self.outside = tmp / "outside"  # another checkout / the runner's files
        self.outside.mkdir()
        self.canary = "CANARY" + secrets.token_hex(12)
        self.token = "ghs_" + secrets.token_hex(16)
        self.root.mkdir()
        self.write(".gitops-guard.yaml", BASE_CONFIG)
        self.write("clusters/staging/apps.yaml", FLUX_APPS)
        self.write("apps/web.yaml", DEPLOYMENT)
        (self.outside / "secret.yaml").write_text(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: stolen, namespace: shop}\n"
            f"data: {{token: {self.canary}}}\n")
        (self.outside / "environ").write_text(f"GITHUB_TOKEN={self.token}\nX={self.canary}\n")
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.email", "ci@example.com")
        self.git("config", "user.name", "CI")

    # -- building the repo ---------------------------------------------------------------
    def git(self, *args: str) -> str:
        return subprocess.run(["git", "-C", str(self.root), *args], check=True,
                              capture_output=True, text=True).stdout.strip()

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    def link(self, rel: str, target: Path | str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir() and not path.is_symlink():
            subprocess.run(["rm", "-rf", str(path)], check=True)
        elif path.exists() or path.is_symlink():
            path.unlink()
        path.symlink_to(target)

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)

    def pr(self) -> None:
        """Commit `main` as it is and branch off for the attacker."""
        self.commit("trusted base")
        self.git("checkout", "-qb", "pr")

    # -- running the gate ----------------------------------------------------------------
    def cli(self, *argv: str) -> CliResult:
        """`gitops-guard ARGV` in the repo, as the attacker runs it on their machine."""
        self.mp.chdir(self.root)
        return self.run_cli(*argv)

    def ci(self, *extra: str) -> Seen:
        self.commit("attack")
        summary = self.tmp / "summary.md"
        summary.write_text("")
        event = self.tmp / "event.json"
        event.write_text(json.dumps({"number": 7, "pull_request": {
            "number": 7,
            "base": {"sha": self.git("rev-parse", "main"), "repo": {"full_name": "acme/ops"}},
            "head": {"sha": self.git("rev-parse", "HEAD"), "repo": {"full_name": "acme/ops"}},
        }}))
        self.gh.state.tokens[self.token] = "write"
        env = {"GITHUB_ACTIONS": "true", "GITHUB_EVENT_PATH": str(event),
               "GITHUB_REPOSITORY": "acme/ops", "GITHUB_API_URL": self.gh.url,
               "GITHUB_SERVER_URL": "https://github.example.com", "GITHUB_TOKEN": self.token,
               "GITHUB_STEP_SUMMARY": str(summary), "CANARY_SECRET": self.canary}
        for key, value in env.items():
            self.mp.setenv(key, value)
        self.mp.chdir(self.root)
        result = self.run_cli("ci", "--base", "main", "--trusted-ref", "main",
                              "--comment", "github", *extra)
        comments = self.gh.bot_comments()
        return Seen(result.code, result.out, result.err,
                    comments[-1]["body"] if comments else "", summary.read_text())

    def assert_no_canary(self, seen: Seen) -> None:
        for secret in (self.canary, self.token):
            assert secret not in seen.everything, str(seen)
        for request in self.gh.state.requests:
            assert self.canary not in request[2]


def attack_repo(tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
                ) -> Iterator[Attack]:
    """The body of the tests' `attack` fixture."""
    for var in ("GITLAB_CI", "GITOPS_GUARD_NO_CACHE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    with FakeGitHub() as gh:
        yield Attack(tmp_path, run_cli, gh, monkeypatch)
