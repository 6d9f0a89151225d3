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

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from tests.fakes.github_api import Fault

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


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def _reply(self, status: int, payload: Any = None, headers: dict[str, str] | None = None,
               ) -> None:
        data = b"" if payload is None else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        return json.loads(raw) if raw else None

    def _handle(self, method: str) -> None:
        state = self.server.state
        payload = self._body()
        parsed = urlparse(self.path)
        with state.lock:
            state.requests.append((method, parsed.path, json.dumps(payload)))
            fault = next((f for f in state.faults if f.method in (method, "*")), None)
            if fault:
                state.faults.remove(fault)
        access = state.tokens.get(self.headers.get("PRIVATE-TOKEN", ""))
        if access is None:
            self._reply(401, {"message": "401 Unauthorized"})
            return
        if fault and not fault.apply_first:
            self._fail(fault)
            return
        status, body, headers = self._route(method, parsed.path, parse_qs(parsed.query),
                                            payload, access)
        if fault:
            self._fail(fault)
            return
        self._reply(status, body, headers)

    def _fail(self, fault: Fault) -> None:
        if fault.delay:
            time.sleep(fault.delay)
        if fault.status == 0:
            self.close_connection = True
            self.connection.close()
            return
        headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
        if fault.retry_after:
            headers["RateLimit-Remaining"] = "0"
        self._reply(fault.status, {"message": "scripted fault"}, headers)

    def _route(self, method: str, path: str, query: dict[str, list[str]], payload: Any,
               access: str) -> tuple[int, Any, dict[str, str]]:
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

    def _page(self, query: dict[str, list[str]]) -> tuple[int, Any, dict[str, str]]:
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
             ) -> tuple[int, Any, dict[str, str]]:
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

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_DELETE(self) -> None:
        self._handle("DELETE")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: GitLabState) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state


class FakeGitLab:
    """`with FakeGitLab() as gl:` serves on gl.url (the CI_API_V4_URL is gl.api_url)."""

    def __init__(self) -> None:
        self.state = GitLabState(tokens={"write-token": "write", "read-token": "read"})
        self._server = _Server(self.state)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.api_url = f"{self.url}/api/v4"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True)

    def __enter__(self) -> FakeGitLab:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def bot_notes(self) -> list[dict[str, Any]]:
        return [n for n in self.state.notes
                if n["author"]["username"] == self.state.bot_username and not n["system"]]
