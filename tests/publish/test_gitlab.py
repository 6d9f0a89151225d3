"""The sticky MR comment (a note) against a stand-in GitLab API on loopback (real HTTP)."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from gitops_guard.publish.comment import publish_sticky
from gitops_guard.publish.gitlab import GitLabHost
from gitops_guard.publish.http import PublishError
from tests.fakes.gitlab_api import MAX_BODY, FakeGitLab, Fault
from tests.publish.test_split import balanced


@pytest.fixture
def gitlab() -> Iterator[FakeGitLab]:
    with FakeGitLab() as gl:
        yield gl


def host(gl: FakeGitLab, token: str = "write-token") -> GitLabHost:
    h = GitLabHost.connect(gl.api_url, token, "acme/gitops", 42)
    h.client.sleep = lambda seconds: None  # keep retries instant in tests
    return h


def test_first_run_creates_second_updates_in_place_past_pages_and_system_notes(
    gitlab: FakeGitLab,
) -> None:
    for i in range(130):
        gitlab.state.add_note(f"note {i}", "alice", system=i % 3 == 0)
    first = publish_sticky(host(gitlab), ["plan v1"])
    assert (first.created, first.updated) == (1, 0)
    second = publish_sticky(host(gitlab), ["plan v2"])
    assert (second.created, second.updated) == (0, 1)
    (mine,) = gitlab.bot_notes()
    assert mine["body"].endswith("plan v2")
    pages = [r for r in gitlab.state.requests if r[0] == "GET" and r[1].endswith("/notes")]
    assert len(pages) >= 4  # each run followed X-Next-Page past page 1
    assert any(r[0] == "PUT" for r in gitlab.state.requests)


def test_a_forged_marker_from_another_user_is_ignored(gitlab: FakeGitLab) -> None:
    gitlab.state.add_note("<!-- gitops-guard:comment key= part=0 -->\nfake", "mallory")
    publish_sticky(host(gitlab), ["real plan"])
    assert len(gitlab.bot_notes()) == 1
    assert gitlab.state.notes[0]["body"].endswith("fake")


def test_the_one_million_character_limit_splits_and_later_shrinks(gitlab: FakeGitLab) -> None:
    line = "| `Deployment/app` | " + "x" * 80 + " |\n"
    huge = "### Plan\n\n| resource | change |\n|---|---|\n" + line * 14_000
    assert len(huge) > MAX_BODY
    result = publish_sticky(host(gitlab), [huge])
    assert result.parts >= 2
    notes = gitlab.bot_notes()
    assert len(notes) == result.parts
    assert all(len(n["body"]) <= MAX_BODY and balanced(n["body"]) for n in notes)
    publish_sticky(host(gitlab), ["small plan"])
    assert [n["body"].split("\n", 1)[1] for n in gitlab.bot_notes()] == ["small plan"]


def test_read_only_token_is_a_clear_error_without_the_token(gitlab: FakeGitLab) -> None:
    with pytest.raises(PublishError) as caught:
        publish_sticky(host(gitlab, "read-token"), ["plan"])
    assert caught.value.status == 403
    assert "read-token" not in str(caught.value)


@pytest.mark.parametrize("fault", [
    Fault("POST", 502),
    Fault("POST", 429, retry_after="1"),
    Fault("POST", 0),
    Fault("POST", 0, apply_first=True),
    Fault("POST", 500, apply_first=True),
    Fault("GET", 503),
    Fault("GET", 0),
    Fault("PUT", 502, apply_first=True),
    Fault("DELETE", 0, apply_first=True),  # deleted, reply lost: the retry's 404 is fine
])
def test_faults_are_retried_without_duplicate_notes(gitlab: FakeGitLab, fault: Fault) -> None:
    publish_sticky(host(gitlab), ["a\n" * 10], key="k")  # an existing note to update
    big = "| a | b |\n|---|---|\n" + "| x | y |\n" * 120_000
    publish_sticky(host(gitlab), [big], key="k2")  # and a split one to shrink (DELETE)
    gitlab.state.faults.append(fault)
    publish_sticky(host(gitlab), ["plan v2"], key="k")
    publish_sticky(host(gitlab), ["plan"], key="k2")
    publish_sticky(host(gitlab), ["new plan"], key="k3")  # a note to create (POST)
    for key, text in (("k", "plan v2"), ("k2", "plan"), ("k3", "new plan")):
        mine = [n for n in gitlab.bot_notes() if f"key={key} " in n["body"]]
        assert [n["body"].split("\n", 1)[1] for n in mine] == [text]
    assert gitlab.state.faults == []  # the fault was hit


def test_a_reply_slower_than_the_timeout_is_not_posted_twice(gitlab: FakeGitLab) -> None:
    gitlab.state.faults.append(Fault("POST", 201, delay=1.5, apply_first=True))
    h = host(gitlab)
    h.client.timeout = 0.5
    publish_sticky(h, ["plan"])
    assert len(gitlab.bot_notes()) == 1


def test_retries_stop_at_the_attempt_limit(gitlab: FakeGitLab) -> None:
    h = host(gitlab)
    h.client.max_attempts = 3
    gitlab.state.faults.extend(Fault("GET", 503) for _ in range(10))
    with pytest.raises(PublishError, match="gave up after 3 attempts"):
        publish_sticky(h, ["plan"])
