"""A `ci` run on a PR against the GitHub stand-in, and everything it outputs: shared by
the fleet tests, which compare one unsharded run with shards plus `ci merge`."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.conftest import RunCli
from tests.fakes.github_api import FakeGitHub


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout.strip()


def on_pull_request(monkeypatch: pytest.MonkeyPatch, gh: FakeGitHub, root: Path,
                    event: Path, number: int = 7, repository: str = "acme/fleet") -> None:
    """The environment of a GitHub Actions `pull_request` job for `root`'s HEAD against
    `main`, talking to the stand-in `gh`."""
    for var in ("GITLAB_CI", "CI_NODE_INDEX", "CI_NODE_TOTAL"):
        monkeypatch.delenv(var, raising=False)
    event.write_text(json.dumps({"number": number, "pull_request": {
        "number": number,
        "base": {"sha": git(root, "rev-parse", "main"), "repo": {"full_name": repository}},
        "head": {"sha": git(root, "rev-parse", "HEAD"), "repo": {"full_name": repository}},
    }}))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))
    monkeypatch.setenv("GITHUB_REPOSITORY", repository)
    monkeypatch.setenv("GITHUB_API_URL", gh.url)
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.example.com")
    monkeypatch.setenv("GITHUB_TOKEN", "write-token")


class Outputs(NamedTuple):
    code: int
    stdout: str
    sarif: str
    junit: str
    summary: str
    comment: str


def ci_outputs(run_cli: RunCli, gh: FakeGitHub, out: Path, monkeypatch: pytest.MonkeyPatch,
               *argv: str) -> Outputs:
    """Run `gitops-guard ARGV --comment github --sarif --junit`; what it printed, wrote,
    summarized and posted (the one sticky comment, then cleared for the next run)."""
    out.mkdir()
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(out / "summary.md"))
    result = run_cli(*argv, "--comment", "github", "--sarif", str(out / "r.sarif"),
                     "--junit", str(out / "r.xml"))
    (comment,) = gh.bot_comments()
    gh.state.comments.clear()
    return Outputs(result.code, result.out, (out / "r.sarif").read_text(),
                   (out / "r.xml").read_text(), (out / "summary.md").read_text(),
                   comment["body"])
