"""What the code-host stand-ins share: JSON over real HTTP on loopback, token lookup, and
scripted faults (5xx, rate limits with Retry-After, slow replies, dropped connections,
a request that takes effect but whose reply is lost)."""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qs, urlparse

Reply = tuple[int, Any, dict[str, str]]


@dataclass
class Fault:
    """One scripted misbehaviour for the next matching request."""

    method: str  # GET, POST, PATCH, PUT, DELETE or "*"
    status: int = 500  # 0 = drop the connection without a reply
    retry_after: str | None = None
    delay: float = 0.0  # seconds to stall before replying
    apply_first: bool = False  # perform the request, then fail the reply (lost response)


class HostState(Protocol):
    tokens: dict[str, str]  # token -> "write" | "read"
    faults: list[Fault]
    requests: list[tuple[str, str, str]]  # method, path, body
    lock: threading.Lock


class FaultyJsonHandler(BaseHTTPRequestHandler):
    """Subclasses name their auth header and rate-limit header and route requests."""

    server: LoopbackServer
    unauthorized: Any = {"message": "Bad credentials"}
    rate_limit_header = "X-RateLimit-Remaining"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def token(self) -> str:
        raise NotImplementedError

    def route(self, method: str, path: str, query: dict[str, list[str]], payload: Any,
              access: str) -> Reply:
        raise NotImplementedError

    def reply(self, status: int, payload: Any = None, headers: dict[str, str] | None = None,
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
        access = state.tokens.get(self.token())
        if access is None:
            self.reply(401, self.unauthorized)
            return
        if fault and not fault.apply_first:
            self._fail(fault)
            return
        status, body, headers = self.route(method, parsed.path, parse_qs(parsed.query),
                                           payload, access)
        if fault:
            self._fail(fault)
            return
        self.reply(status, body, headers)

    def _fail(self, fault: Fault) -> None:
        if fault.delay:
            time.sleep(fault.delay)
        if fault.status == 0:
            self.close_connection = True
            self.connection.close()
            return
        headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
        if fault.retry_after:
            headers[self.rate_limit_header] = "0"
        self.reply(fault.status, {"message": "scripted fault"}, headers)

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_DELETE(self) -> None:
        self._handle("DELETE")


class LoopbackServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, handler: type[FaultyJsonHandler], state: HostState) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.state = state


class Served:
    """Runs a LoopbackServer in a thread for the duration of a `with` block."""

    def __init__(self, handler: type[FaultyJsonHandler], state: HostState) -> None:
        self._server = LoopbackServer(handler, state)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
