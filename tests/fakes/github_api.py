"""A stand-in for GitHub's REST API (issue comments), served over real HTTP on loopback.

It speaks the parts of the protocol gitops-guard uses: pagination with `Link` headers,
422 for bodies over 65,536 characters, 403 for a read-only token, and scripted faults
(5xx, rate limits with Retry-After, slow replies, dropped connections).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.rest import Fault, FaultyJsonHandler, Reply, Served

__all__ = ["MAX_BODY", "FakeGitHub", "Fault", "GitHubState"]

MAX_BODY = 65_536


@dataclass
class GitHubState:
    comments: list[dict[str, Any]] = field(default_factory=list)
    next_id: int = 1000
    tokens: dict[str, str] = field(default_factory=dict)  # token -> "write" | "read"
    bot_login: str = "github-actions[bot]"
    faults: list[Fault] = field(default_factory=list)
    requests: list[tuple[str, str, str]] = field(default_factory=list)  # method, path, body
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_comment(self, body: str, login: str) -> dict[str, Any]:
        self.next_id += 1
        comment = {"id": self.next_id, "body": body, "user": {"login": login, "type": "User"}}
        self.comments.append(comment)
        return comment


class _Handler(FaultyJsonHandler):
    def token(self) -> str:
        return self.headers.get("Authorization", "").removeprefix("Bearer ").strip()

    def route(self, method: str, path: str, query: dict[str, list[str]], payload: Any,
               access: str) -> Reply:
        state = self.server.state
        parts = path.strip("/").split("/")
        if method == "GET" and path == "/user":
            return 403, {"message": "Resource not accessible by integration"}, {}
        if len(parts) == 6 and parts[0] == "repos" and parts[3] == "issues" \
                and parts[5] == "comments":
            if method == "GET":
                return self._page(query, path)
            if method == "POST":
                if access != "write":
                    return 403, {"message": "Resource not accessible by integration"}, {}
                body = str((payload or {}).get("body", ""))
                if len(body) > MAX_BODY:
                    return 422, {"message": "Validation Failed", "errors": [
                        {"field": "body", "code": "custom",
                         "message": "body is too long (maximum is 65536 characters)"}]}, {}
                with state.lock:
                    return 201, state.add_comment(body, state.bot_login), {}
        if len(parts) == 6 and parts[3] == "issues" and parts[4] == "comments":
            return self._one(method, int(parts[5]), payload, access)
        return 404, {"message": "Not Found"}, {}

    def _page(self, query: dict[str, list[str]], path: str) -> Reply:
        state = self.server.state
        per_page = min(int(query.get("per_page", ["30"])[0]), 100)
        page = int(query.get("page", ["1"])[0])
        with state.lock:
            items = list(state.comments)
        chunk = items[(page - 1) * per_page: page * per_page]
        headers = {}
        if page * per_page < len(items):
            base = f"http://{self.headers['Host']}{path}"
            headers["Link"] = (f'<{base}?per_page={per_page}&page={page + 1}>; rel="next", '
                               f'<{base}?per_page={per_page}&page=1>; rel="first"')
        return 200, chunk, headers

    def _one(self, method: str, comment_id: int, payload: Any, access: str,
             ) -> Reply:
        state = self.server.state
        with state.lock:
            comment = next((c for c in state.comments if c["id"] == comment_id), None)
            if comment is None:
                return 404, {"message": "Not Found"}, {}
            if access != "write" or comment["user"]["login"] != state.bot_login:
                return 403, {"message": "Resource not accessible by integration"}, {}
            if method == "PATCH":
                body = str((payload or {}).get("body", ""))
                if len(body) > MAX_BODY:
                    return 422, {"message": "Validation Failed"}, {}
                comment["body"] = body
                return 200, comment, {}
            if method == "DELETE":
                state.comments.remove(comment)
                return 204, None, {}
        return 405, {"message": "Method Not Allowed"}, {}


class FakeGitHub:
    """`with FakeGitHub() as gh:` serves on gh.url until the block ends."""

    def __init__(self) -> None:
        self.state = GitHubState(tokens={"write-token": "write", "read-token": "read"})
        self._served = Served(_Handler, self.state)
        self.url = self._served.url

    def __enter__(self) -> FakeGitHub:
        self._served.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._served.stop()

    def bot_comments(self) -> list[dict[str, Any]]:
        return [c for c in self.state.comments if c["user"]["login"] == self.state.bot_login]
