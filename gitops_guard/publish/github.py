"""GitHub: issue comments on a pull request (REST v3), GitHub Enterprise via GITHUB_API_URL."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from gitops_guard.publish.comment import HostComment
from gitops_guard.publish.http import HttpClient, PublishError, Response

GITHUB_MAX_BODY = 65_536
ACTIONS_BOT = "github-actions[bot]"
_NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')


@dataclass
class GitHubHost:
    client: HttpClient
    repository: str  # owner/name
    number: int
    authors: frozenset[str] = frozenset({ACTIONS_BOT})
    max_body: int = GITHUB_MAX_BODY
    _cache: list[HostComment] = field(default_factory=list)

    @classmethod
    def connect(cls, api_url: str, token: str, repository: str, number: int,
                author: str = "", budget: float = 60.0) -> GitHubHost:
        client = HttpClient(api_url, {"Authorization": f"Bearer {token}",
                                      "X-GitHub-Api-Version": "2022-11-28"}, secret=token,
                            budget_seconds=budget)
        authors = {ACTIONS_BOT, author} - {""}
        return cls(client, repository, number, frozenset(authors))

    def _comments_url(self) -> str:
        return f"/repos/{self.repository}/issues/{self.number}/comments"

    def list_comments(self) -> list[HostComment]:
        url: str | None = f"{self._comments_url()}?per_page=100"
        found: list[HostComment] = []
        while url:
            resp = self.client.request("GET", url)
            for item in resp.body or []:
                found.append(HostComment(int(item["id"]), str(item.get("body") or ""),
                                         str((item.get("user") or {}).get("login", ""))))
            match = _NEXT.search(resp.headers.get("Link", "") or resp.headers.get("link", ""))
            url = match.group(1) if match else None
        return found

    def is_ours(self, comment: HostComment) -> bool:
        return comment.author in self.authors

    def create(self, body: str) -> HostComment:
        first_line = body.split("\n", 1)[0]

        def already_created() -> Response | None:
            for comment in self.list_comments():
                if comment.body.startswith(first_line) and self.is_ours(comment):
                    return Response(201, {}, {"id": comment.id, "body": comment.body})
            return None

        resp = self.client.request("POST", self._comments_url(), {"body": body},
                                   before_retry=already_created)
        return HostComment(int(resp.body["id"]), body, next(iter(self.authors)))

    def update(self, comment_id: int, body: str) -> None:
        self.client.request("PATCH", f"/repos/{self.repository}/issues/comments/{comment_id}",
                            {"body": body})

    def delete(self, comment_id: int) -> None:
        try:
            self.client.request("DELETE",
                                f"/repos/{self.repository}/issues/comments/{comment_id}")
        except PublishError as exc:
            if exc.status != 404:  # gone already: a retried delete that took effect
                raise
