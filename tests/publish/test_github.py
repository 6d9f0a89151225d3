"""The sticky PR comment against a stand-in GitHub API on loopback (real HTTP)."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from gitops_guard.publish.comment import publish_sticky
from gitops_guard.publish.github import GitHubHost
from gitops_guard.publish.http import PublishError
from tests.fakes.github_api import MAX_BODY, FakeGitHub, Fault
from tests.publish.test_split import balanced, big_plan


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with FakeGitHub() as gh:
        yield gh


def host(gh: FakeGitHub, token: str = "write-token") -> GitHubHost:
    h = GitHubHost.connect(gh.url, token, "acme/gitops", 7)
    h.client.sleep = lambda seconds: None  # keep retries instant in tests
    return h


def test_first_run_creates_second_updates_in_place(github: FakeGitHub) -> None:
    for i in range(130):  # other people's comments: the bot must page past them
        github.state.add_comment(f"comment {i}", "alice")
    first = publish_sticky(host(github), ["plan v1"])
    assert (first.created, first.updated) == (1, 0)
    second = publish_sticky(host(github), ["plan v2"])
    assert (second.created, second.updated) == (0, 1)
    mine = github.bot_comments()
    assert len(mine) == 1 and mine[0]["body"].endswith("plan v2")
    gets = [r for r in github.state.requests if r[0] == "GET"]
    assert len(gets) >= 4  # two runs, each following the Link header past page 1


def test_unchanged_plan_makes_no_write(github: FakeGitHub) -> None:
    publish_sticky(host(github), ["same"])
    before = len(github.state.requests)
    result = publish_sticky(host(github), ["same"])
    assert result.unchanged == 1
    assert all(m == "GET" for m, _, _ in github.state.requests[before:])


def test_a_forged_marker_from_another_user_is_ignored(github: FakeGitHub) -> None:
    github.state.add_comment("<!-- gitops-guard:comment key= part=0 -->\nfake", "mallory")
    publish_sticky(host(github), ["real plan"])
    assert len(github.bot_comments()) == 1
    assert github.state.comments[0]["body"].endswith("fake")


def test_keys_keep_comments_of_several_workflows_apart(github: FakeGitHub) -> None:
    publish_sticky(host(github), ["staging plan"], key="staging")
    publish_sticky(host(github), ["prod plan"], key="production")
    publish_sticky(host(github), ["staging plan 2"], key="staging")
    bodies = sorted(c["body"].split("\n", 1)[1] for c in github.bot_comments())
    assert bodies == ["prod plan", "staging plan 2"]


def test_large_plan_degrades_then_splits_and_later_shrinks(github: FakeGitHub) -> None:
    full = big_plan(300)
    assert len(full) > MAX_BODY
    result = publish_sticky(host(github), [full])
    assert result.parts >= 2
    parts = github.bot_comments()
    assert len(parts) == result.parts
    assert all(len(c["body"]) <= MAX_BODY and balanced(c["body"]) for c in parts)
    # The next plan is small: the continuations are removed.
    publish_sticky(host(github), ["small plan"])
    assert [c["body"].split("\n", 1)[1] for c in github.bot_comments()] == ["small plan"]


def test_the_first_alternative_that_fits_wins(github: FakeGitHub) -> None:
    result = publish_sticky(host(github), [big_plan(300), "table only, see the job summary"])
    assert result.parts == 1
    assert github.bot_comments()[0]["body"].endswith("table only, see the job summary")


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
