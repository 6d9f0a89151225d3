"""The sticky PR comment against a stand-in GitHub API on loopback (real HTTP)."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from gitops_guard.publish.comment import publish_sticky
from gitops_guard.publish.github import GitHubHost
from gitops_guard.publish.http import PublishError
from tests.fakes.github_api import FakeGitHub, Fault


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with FakeGitHub() as gh:
        yield gh


def host(gh: FakeGitHub, token: str = "write-token") -> GitHubHost:
    h = GitHubHost.connect(gh.url, token, "acme/gitops", 7)
    h.client.sleep = lambda seconds: None  # keep retries instant in tests
    return h


def test_a_forged_marker_from_another_user_is_ignored(github: FakeGitHub) -> None:
    github.state.add_comment("<!-- gitops-guard:comment key= part=0 -->\nfake", "mallory")
    publish_sticky(host(github), ["real plan"])
    assert len(github.bot_comments()) == 1
    assert github.state.comments[0]["body"].endswith("fake")


def test_read_only_token_is_a_clear_error_without_the_token(github: FakeGitHub) -> None:
    with pytest.raises(PublishError) as caught:
        publish_sticky(host(github, "read-token"), ["plan"])
    assert caught.value.status == 403
    assert "Resource not accessible by integration" in str(caught.value)
    assert "read-token" not in str(caught.value)


@pytest.mark.parametrize("fault", [
    Fault("POST", 502),
    Fault("POST", 429, retry_after="1"),
    Fault("POST", 403, retry_after="1"),
    Fault("POST", 0),  # connection dropped before the comment was made
    Fault("POST", 0, apply_first=True),  # made, but the reply was lost
    Fault("POST", 500, apply_first=True),
    Fault("GET", 503),
])
def test_faults_are_retried_without_duplicate_comments(github: FakeGitHub, fault: Fault) -> None:
    github.state.faults.append(fault)
    publish_sticky(host(github), ["plan"])
    assert len(github.bot_comments()) == 1


def test_a_reply_slower_than_the_timeout_is_retried_once_created(github: FakeGitHub) -> None:
    github.state.faults.append(Fault("POST", 200, delay=1.5, apply_first=True))
    h = host(github)
    h.client.timeout = 0.5
    publish_sticky(h, ["plan"])
    assert len(github.bot_comments()) == 1


def test_retries_stop_at_the_budget(github: FakeGitHub) -> None:
    github.state.faults.extend(Fault("GET", 503) for _ in range(10))
    h = host(github)
    h.client.max_attempts = 3
    with pytest.raises(PublishError, match="gave up after 3 attempts"):
        publish_sticky(h, ["plan"])
