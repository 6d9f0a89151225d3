"""Where a ci run comes from (prcontext.py): what `gitops-guard ci` reads from GitHub
Actions or GitLab CI, the flags winning over both, and the file links in its comment."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from gitops_guard.errors import UsageError
from gitops_guard.prcontext import PRContext, detect_context

BASE_SHA, HEAD_SHA = "a" * 40, "b" * 40


def _github_event(tmp_path: Path, head_repo: str = "acme/gitops") -> dict[str, str]:
    event = {"number": 7, "pull_request": {
        "number": 7, "base": {"sha": BASE_SHA, "repo": {"full_name": "acme/gitops"}},
        "head": {"sha": HEAD_SHA, "repo": {"full_name": head_repo}}}}
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event))
    return {"GITHUB_ACTIONS": "true", "GITHUB_EVENT_PATH": str(path),
            "GITHUB_REPOSITORY": "acme/gitops", "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_API_URL": "https://api.github.com"}


GITLAB = {"GITLAB_CI": "true", "CI_MERGE_REQUEST_IID": "12", "CI_COMMIT_SHA": HEAD_SHA,
          "CI_MERGE_REQUEST_DIFF_BASE_SHA": BASE_SHA, "CI_PROJECT_ID": "42",
          "CI_API_V4_URL": "https://gitlab.example.com/api/v4",
          "CI_PROJECT_URL": "https://gitlab.example.com/acme/gitops",
          "CI_MERGE_REQUEST_PROJECT_ID": "42", "CI_MERGE_REQUEST_SOURCE_PROJECT_ID": "42"}


@pytest.mark.parametrize(("provider", "number", "repository", "link"), [
    ("github", 7, "acme/gitops", f"https://github.com/acme/gitops/blob/{HEAD_SHA}/"),
    ("gitlab", 12, "42", f"https://gitlab.example.com/acme/gitops/-/blob/{HEAD_SHA}/"),
])
def test_a_pull_request_run_knows_its_base_head_number_and_links(
        tmp_path: Path, provider: str, number: int, repository: str, link: str) -> None:
    env = _github_event(tmp_path) if provider == "github" else GITLAB
    ctx = detect_context(env, None, None)
    assert (ctx.provider, ctx.base, ctx.head, ctx.number, ctx.repository, ctx.is_fork) == (
        provider, BASE_SHA, HEAD_SHA, number, repository, False)
    assert ctx.link_base() == link


@pytest.mark.parametrize("provider", ["github", "gitlab"])
def test_a_pull_request_from_a_fork_is_known(tmp_path: Path, provider: str) -> None:
    env = (_github_event(tmp_path, head_repo="someone/gitops") if provider == "github"
           else {**GITLAB, "CI_MERGE_REQUEST_SOURCE_PROJECT_ID": "99"})
    assert detect_context(env, None, None).is_fork


def test_flags_win_over_the_ci_environment(tmp_path: Path) -> None:
    ctx = detect_context(_github_event(tmp_path), "origin/main", "HEAD")
    assert (ctx.base, ctx.head, ctx.number) == ("origin/main", "HEAD", 7)


def test_outside_ci_only_the_flags_count() -> None:
    ctx = detect_context({"GITHUB_SHA": HEAD_SHA}, "main", None)
    assert ctx == PRContext(provider="local", base="main")
    assert ctx.link_base() == ""


def test_an_unreadable_github_event_is_a_usage_error(tmp_path: Path) -> None:
    env = {**_github_event(tmp_path), "GITHUB_EVENT_PATH": str(tmp_path / "missing.json")}
    with pytest.raises(UsageError, match=r"GITHUB_EVENT_PATH .*missing\.json: cannot read"):
        detect_context(env, None, None)
