"""A stand-in for GitLab's REST API v4 (merge request notes), served over real HTTP on
loopback.

It speaks the parts of the protocol gitops-guard uses: `PRIVATE-TOKEN` auth, `GET /user`,
`GET/POST /projects/:id/merge_requests/:iid/notes` with `page`/`per_page` and the
`X-Next-Page` header, `PUT/DELETE .../notes/:note_id`, system notes mixed in, 400 for a
note over 1,000,000 characters, 403 for a read-only token, and the same scripted faults
as the GitHub stand-in (5xx, rate limits with Retry-After, slow replies, dropped
connections, a request that takes effect but whose reply is lost).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from tests.fakes.rest import Fault, FaultyJsonHandler, Reply, Served

MAX_BODY = 1_000_000

__all__ = ["MAX_BODY", "FakeGitLab", "Fault", "GitLabState"]


@dataclass
class GitLabState:
    notes: list[dict[str, Any]] = field(default_factory=list)
    next_id: int = 5000
    tokens: dict[str, str] = field(default_factory=dict)  # token -> "write" | "read"
    bot_username: str = "gitops-guard-bot"
    faults: list[Fault] = field(default_factory=list)
    requests: list[tuple[str, str, str]] = field(default_factory=list)  # method, path, body
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_note(self, body: str, username: str, system: bool = False) -> dict[str, Any]:
        self.next_id += 1
        note = {"id": self.next_id, "body": body, "system": system,
                "author": {"username": username, "id": hash(username) % 10_000}}
        self.notes.append(note)
        return note


class _Handler(FaultyJsonHandler):
    unauthorized = {"message": "401 Unauthorized"}
    rate_limit_header = "RateLimit-Remaining"

    def token(self) -> str:
        return self.headers.get("PRIVATE-TOKEN", "")

    def route(self, method: str, path: str, query: dict[str, list[str]], payload: Any,
               access: str) -> Reply:
        state = self.server.state
        parts = path.strip("/").split("/")
        if parts[:2] != ["api", "v4"]:
            return 404, {"message": "404 Not Found"}, {}
        parts = parts[2:]
        if method == "GET" and parts == ["user"]:
            return 200, {"id": 1, "username": state.bot_username}, {}
        if len(parts) >= 5 and parts[0] == "projects" and parts[2] == "merge_requests" \
                and parts[4] == "notes":
            project = unquote(parts[1])
            if project not in ("acme/gitops", "77"):
                return 404, {"message": "404 Project Not Found"}, {}
            if len(parts) == 5 and method == "GET":
                return self._page(query)
            if len(parts) == 5 and method == "POST":
                if access != "write":
                    return 403, {"message": "403 Forbidden"}, {}
                body = str((payload or {}).get("body", ""))
                if len(body) > MAX_BODY:
                    return 400, {"message": {"note": [
                        f"is too long (maximum is {MAX_BODY} characters)"]}}, {}
                with state.lock:
                    return 201, state.add_note(body, state.bot_username), {}
            if len(parts) == 6 and parts[5].isdigit():
                return self._one(method, int(parts[5]), payload, access)
        return 404, {"message": "404 Not Found"}, {}

    def _page(self, query: dict[str, list[str]]) -> Reply:
        state = self.server.state
        per_page = min(int(query.get("per_page", ["20"])[0]), 100)
        page = int(query.get("page", ["1"])[0])
        with state.lock:
            items = list(state.notes)
        chunk = items[(page - 1) * per_page: page * per_page]
        more = page * per_page < len(items)
        return 200, chunk, {"X-Page": str(page), "X-Per-Page": str(per_page),
                            "X-Total": str(len(items)),
                            "X-Next-Page": str(page + 1) if more else ""}

    def _one(self, method: str, note_id: int, payload: Any, access: str,
             ) -> Reply:
        state = self.server.state
        with state.lock:
            note = next((n for n in state.notes if n["id"] == note_id), None)
            if note is None:
                return 404, {"message": "404 Not found"}, {}
            if access != "write" or note["author"]["username"] != state.bot_username:
                return 403, {"message": "403 Forbidden"}, {}
            if method == "PUT":
                body = str((payload or {}).get("body", ""))
                if len(body) > MAX_BODY:
                    return 400, {"message": {"note": ["is too long"]}}, {}
                note["body"] = body
                return 200, note, {}
            if method == "DELETE":
                state.notes.remove(note)
                return 204, None, {}
        return 405, {"message": "405 Method Not Allowed"}, {}


class FakeGitLab:
    """`with FakeGitLab() as gl:` serves on gl.url (the CI_API_V4_URL is gl.api_url)."""

    def __init__(self) -> None:
        self.state = GitLabState(tokens={"write-token": "write", "read-token": "read"})
        self._served = Served(_Handler, self.state)
        self.url = self._served.url
        self.api_url = f"{self.url}/api/v4"

    def __enter__(self) -> FakeGitLab:
        self._served.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._served.stop()

    def bot_notes(self) -> list[dict[str, Any]]:
        return [n for n in self.state.notes
                if n["author"]["username"] == self.state.bot_username and not n["system"]]
