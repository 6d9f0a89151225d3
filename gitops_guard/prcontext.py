"""Where a CI run comes from: GitHub Actions, GitLab CI, or flags. No network here."""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gitops_guard.errors import UsageError


@dataclass(frozen=True)
class PRContext:
    provider: str  # github | gitlab | local
    base: str | None = None  # base commit (or ref) to diff against
    head: str | None = None
    number: int | None = None  # PR number / MR iid
    repository: str = ""  # owner/name (GitHub) or project id (GitLab)
    api_url: str = ""
    server_url: str = ""  # for file:line links
    is_fork: bool = False

    def link_base(self) -> str:
        """Prefix of a link to a file at the head commit, for comments."""
        if not (self.server_url and self.repository and self.head):
            return ""
        if self.provider == "github":
            return f"{self.server_url}/{self.repository}/blob/{self.head}/"
        if self.provider == "gitlab":
            return f"{self.server_url}/-/blob/{self.head}/"
        return ""


def _github(env: Mapping[str, str]) -> PRContext:
    event: dict[str, Any] = {}
    path = env.get("GITHUB_EVENT_PATH")
    if path:
        try:
            event = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise UsageError(f"GITHUB_EVENT_PATH {path}: cannot read the event: {exc}") from None
    pr = event.get("pull_request") or {}
    base_repo = ((pr.get("base") or {}).get("repo") or {}).get("full_name")
    head_repo = ((pr.get("head") or {}).get("repo") or {}).get("full_name")
    return PRContext(
        provider="github",
        base=(pr.get("base") or {}).get("sha"),
        head=(pr.get("head") or {}).get("sha") or env.get("GITHUB_SHA"),
        number=pr.get("number") or event.get("number"),
        repository=env.get("GITHUB_REPOSITORY", ""),
        api_url=env.get("GITHUB_API_URL", "https://api.github.com"),
        server_url=env.get("GITHUB_SERVER_URL", "https://github.com"),
        is_fork=bool(base_repo and head_repo and base_repo != head_repo),
    )


def _gitlab(env: Mapping[str, str]) -> PRContext:
    iid = env.get("CI_MERGE_REQUEST_IID")
    source, target = (env.get("CI_MERGE_REQUEST_SOURCE_PROJECT_ID"),
                      env.get("CI_MERGE_REQUEST_PROJECT_ID"))
    return PRContext(
        provider="gitlab",
        base=env.get("CI_MERGE_REQUEST_DIFF_BASE_SHA"),
        head=env.get("CI_COMMIT_SHA"),
        number=int(iid) if iid and iid.isdigit() else None,
        repository=env.get("CI_PROJECT_ID", ""),
        api_url=env.get("CI_API_V4_URL", ""),
        server_url=env.get("CI_PROJECT_URL", ""),
        is_fork=bool(source and target and source != target),
    )


def detect_context(env: Mapping[str, str], base: str | None, head: str | None) -> PRContext:
    """The CI context from the environment; explicit flags win over it."""
    if env.get("GITHUB_ACTIONS") == "true":
        ctx = _github(env)
    elif env.get("GITLAB_CI") == "true":
        ctx = _gitlab(env)
    else:
        ctx = PRContext(provider="local")
    return PRContext(
        provider=ctx.provider, base=base or ctx.base, head=head or ctx.head, number=ctx.number,
        repository=ctx.repository, api_url=ctx.api_url, server_url=ctx.server_url,
        is_fork=ctx.is_fork)
