"""GitLab: merge request notes (REST v4), self-managed instances via CI_API_V4_URL."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from gitops_guard.publish.comment import HostComment
from gitops_guard.publish.http import HttpClient, PublishError, Response

GITLAB_MAX_BODY = 1_000_000


@dataclass
class GitLabHost:
    client: HttpClient
    project: str  # numeric id or "group/name"
    iid: int
    author: str = ""  # the token's user; looked up when empty
    max_body: int = GITLAB_MAX_BODY

    @classmethod
    def connect(cls, api_url: str, token: str, project: str, iid: int,
                budget: float = 60.0) -> GitLabHost:
        client = HttpClient(api_url, {"PRIVATE-TOKEN": token}, secret=token,
                            budget_seconds=budget)
        host = cls(client, quote(project, safe=""), iid)
        me = client.request("GET", "/user").body or {}
        host.author = str(me.get("username", ""))
        return host

    def _notes_url(self) -> str:
        return f"/projects/{self.project}/merge_requests/{self.iid}/notes"

    def list_comments(self) -> list[HostComment]:
        found: list[HostComment] = []
        page = "1"
        while page:
            resp = self.client.request("GET", f"{self._notes_url()}?per_page=100&page={page}")
            for note in resp.body or []:
                if note.get("system"):
                    continue
                found.append(HostComment(int(note["id"]), str(note.get("body") or ""),
                                         str((note.get("author") or {}).get("username", ""))))
            page = resp.headers.get("X-Next-Page", "") or resp.headers.get("x-next-page", "")
        return found

    def is_ours(self, comment: HostComment) -> bool:
        return bool(self.author) and comment.author == self.author

    def create(self, body: str) -> HostComment:
        first_line = body.split("\n", 1)[0]

        def already_created() -> Response | None:
            for comment in self.list_comments():
                if comment.body.startswith(first_line) and self.is_ours(comment):
                    return Response(201, {}, {"id": comment.id})
            return None

        resp = self.client.request("POST", self._notes_url(), {"body": body},
                                   before_retry=already_created)
        return HostComment(int(resp.body["id"]), body, self.author)

    def update(self, comment_id: int, body: str) -> None:
        self.client.request("PUT", f"{self._notes_url()}/{comment_id}", {"body": body})

    def delete(self, comment_id: int) -> None:
        try:
            self.client.request("DELETE", f"{self._notes_url()}/{comment_id}")
        except PublishError as exc:
            if exc.status != 404:  # gone already: a retried delete that took effect
                raise
