"""Faults of the code host, through `gitops-guard ci --comment` on a real git repository:
the GitHub and GitLab stand-ins fail (5xx, rate limits with Retry-After, dropped
connections, replies slower than the timeout, replies lost after the write took effect).
`ci` retries with backoff within `timeouts.publish_seconds`, never leaves two comments,
and always exits with the check's verdict."""
from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.commands.test_ci import GOOD_REPLICAS, bump_image, git, repo  # noqa: F401
from tests.conftest import RunCli
from tests.fakes.github_api import FakeGitHub, Fault
from tests.fakes.gitlab_api import FakeGitLab


class Host:
    """One stand-in behind the environment `ci` reads in that CI system."""

    def __init__(self, provider: str, fake: FakeGitHub | FakeGitLab) -> None:
        self.provider, self.fake = provider, fake

    def comments(self) -> list[dict[str, Any]]:
        if isinstance(self.fake, FakeGitHub):
            return self.fake.bot_comments()
        return self.fake.bot_notes()

    def fail(self, *faults: Fault) -> None:
        self.fake.state.faults.extend(faults)

    @property
    def pending(self) -> list[Fault]:
        return self.fake.state.faults


@pytest.fixture(params=["github", "gitlab"])
def host(request: pytest.FixtureRequest, repo: Path, tmp_path: Path,  # noqa: F811
         monkeypatch: pytest.MonkeyPatch) -> Iterator[Host]:
    base, head = git(repo, "rev-parse", "main"), git(repo, "rev-parse", "HEAD")
    config = repo / ".gitops-guard.yaml"
    config.write_text(config.read_text() + "timeouts: {publish_seconds: 12}\n")
    if request.param == "github":
        with FakeGitHub() as gh:
            event = tmp_path / "event.json"
            event.write_text(json.dumps({"number": 42, "pull_request": {
                "number": 42, "base": {"sha": base, "repo": {"full_name": "acme/gitops"}},
                "head": {"sha": head, "repo": {"full_name": "acme/gitops"}}}}))
            for key, value in {"GITHUB_ACTIONS": "true", "GITHUB_EVENT_PATH": str(event),
                               "GITHUB_REPOSITORY": "acme/gitops", "GITHUB_API_URL": gh.url,
                               "GITHUB_TOKEN": "write-token"}.items():
                monkeypatch.setenv(key, value)
            yield Host("github", gh)
    else:
        with FakeGitLab() as gl:
            for key, value in {"GITLAB_CI": "true", "CI_MERGE_REQUEST_IID": "42",
                               "CI_MERGE_REQUEST_DIFF_BASE_SHA": base, "CI_COMMIT_SHA": head,
                               "CI_PROJECT_ID": "77", "CI_API_V4_URL": gl.api_url,
                               "CI_PROJECT_URL": "https://gitlab.example.com/acme/gitops",
                               "GITLAB_TOKEN": "write-token"}.items():
                monkeypatch.setenv(key, value)
            yield Host("gitlab", gl)


def _commit(root: Path, monkeypatch: pytest.MonkeyPatch, host: Host) -> None:
    """Point the CI context at the new head."""
    if host.provider == "gitlab":
        monkeypatch.setenv("CI_COMMIT_SHA", git(root, "rev-parse", "HEAD"))
    else:
        event = Path(os.environ["GITHUB_EVENT_PATH"])
        data = json.loads(event.read_text())
        data["pull_request"]["head"]["sha"] = git(root, "rev-parse", "HEAD")
        event.write_text(json.dumps(data))


def _break_shop(root: Path) -> None:
    shop = root / "apps" / "base" / "shop" / "shop.yaml"
    shop.write_text(shop.read_text().replace("replicas: 2", GOOD_REPLICAS))
    git(root, "commit", "-qam", "break shop")


WRITE = {"github": "PATCH", "gitlab": "PUT"}


def test_faults_on_every_call_are_retried_one_comment_and_the_verdict_stands(
    repo: Path, host: Host, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
) -> None:
    _break_shop(repo)
    _commit(repo, monkeypatch, host)
    host.fail(Fault("GET", 503), Fault("GET", 0),  # listing: 5xx, then a dropped connection
              Fault("POST", 429, retry_after="1"),  # rate limited
              Fault("POST", 0, apply_first=True))  # created, but the reply was lost
    first = run_cli("ci", "--comment", host.provider)
    assert first.code == 1, first.out + first.err
    assert host.pending == []
    assert len(host.comments()) == 1
    assert "gitops-guard: failed" in host.comments()[0]["body"]
    assert "1 created" in first.err
    # The next push: the update's reply is slower than a third of the budget, after it took
    # effect; a 403 rate limit with Retry-After (GitHub's secondary limit) on the way.
    bump_image(repo, "6.7.2")
    _commit(repo, monkeypatch, host)
    host.fail(Fault("GET", 403, retry_after="1"),
              Fault(WRITE[host.provider], 200, delay=4.5, apply_first=True))
    second = run_cli("ci", "--comment", host.provider)
    assert second.code == 1, second.out + second.err
    assert host.pending == []
    (comment,) = host.comments()
    assert "podinfo:6.7.2" in comment["body"]
    assert "write-token" not in second.out + second.err


def test_an_exhausted_budget_gives_up_without_a_comment_and_keeps_the_verdict(
    repo: Path, host: Host, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
) -> None:
    config = repo / ".gitops-guard.yaml"
    config.write_text(config.read_text().replace("publish_seconds: 12", "publish_seconds: 3"))
    bump_image(repo, "6.7.2")
    _commit(repo, monkeypatch, host)
    host.fail(*(Fault("*", 503) for _ in range(50)))
    started = time.monotonic()
    result = run_cli("ci", "--comment", host.provider)
    elapsed = time.monotonic() - started
    assert result.code == 0, result.out + result.err  # a clean change stays green
    assert "cannot post the comment" in result.err and "gave up after" in result.err
    assert "the check still gates" in result.err
    assert host.comments() == []
    assert elapsed < 15  # 3 s of retries plus the check itself

    _break_shop(repo)
    _commit(repo, monkeypatch, host)
    failed = run_cli("ci", "--comment", host.provider)
    assert failed.code == 1  # and a broken one stays red
    assert host.comments() == []
