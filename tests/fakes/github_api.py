"""A stand-in for GitHub's REST API (issue comments), served over real HTTP on loopback.

It speaks the parts of the protocol gitops-guard uses: pagination with `Link` headers,
422 for bodies over 65,536 characters, 403 for a read-only token, and scripted faults
(5xx, rate limits with Retry-After, slow replies, dropped connections).
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

MAX_BODY = 65_536


@dataclass
class Fault:
    """One scripted misbehaviour for the next matching request."""

    method: str  # GET, POST, PATCH, DELETE or "*"
    status: int = 500  # 0 = drop the connection without a reply
    retry_after: str | None = None
    delay: float = 0.0  # seconds to stall before replying
    apply_first: bool = False  # perform the request, then fail the reply (lost response)


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
        auth = self.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ").strip()
        access = state.tokens.get(token)
        if access is None:
            self._reply(401, {"message": "Bad credentials"})
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
        if fault.status == 403 and fault.retry_after:
            headers["X-RateLimit-Remaining"] = "0"
        self._reply(fault.status, {"message": "scripted fault"}, headers)

    def _route(self, method: str, path: str, query: dict[str, list[str]], payload: Any,
               access: str) -> tuple[int, Any, dict[str, str]]:
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

    def _page(self, query: dict[str, list[str]], path: str) -> tuple[int, Any, dict[str, str]]:
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
             ) -> tuple[int, Any, dict[str, str]]:
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

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_DELETE(self) -> None:
        self._handle("DELETE")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: GitHubState) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state


class FakeGitHub:
    """`with FakeGitHub() as gh:` serves on gh.url until the block ends."""

    def __init__(self) -> None:
        self.state = GitHubState(tokens={"write-token": "write", "read-token": "read"})
        self._server = _Server(self.state)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True)

    def __enter__(self) -> FakeGitHub:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def bot_comments(self) -> list[dict[str, Any]]:
        return [c for c in self.state.comments if c["user"]["login"] == self.state.bot_login]
