"""The sticky comment (gitops_guard/publish/comment.py): found by its hidden marker and
its author, updated in place, degraded then split when too long, stale and duplicate parts
removed; against the GitHub stand-in on loopback (the host itself: test_github.py)."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from gitops_guard.publish.comment import marker, publish_sticky
from tests.fakes.github_api import MAX_BODY, FakeGitHub
from tests.publish.test_github import host
from tests.publish.test_split import balanced, big_plan


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with FakeGitHub() as gh:
        yield gh


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


def test_duplicates_left_by_a_race_are_removed_keeping_the_oldest(github: FakeGitHub) -> None:
    bot = github.state.bot_login
    first = github.state.add_comment(f"{marker('', 0)}\nrun A", bot)
    github.state.add_comment(f"{marker('', 0)}\nrun B", bot)  # two runs created at once
    github.state.add_comment(f"{marker('', 1)}\nold continuation", bot)
    result = publish_sticky(host(github), ["plan"])
    assert (result.created, result.updated, result.deleted) == (0, 1, 2)
    assert [(c["id"], c["body"]) for c in github.bot_comments()] == \
        [(first["id"], f"{marker('', 0)}\nplan")]
