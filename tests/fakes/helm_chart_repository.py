"""A Helm HTTP chart repository on loopback: `index.yaml` and chart archives, as
`helm repo index` writes them and a static web server (or ChartMuseum) serves them.

Charts are packaged and indexed with the real Helm SDK (helm_python.package /
repo_index_generate), so the index is byte-for-byte what Helm produces. Optional HTTP
basic auth; every request is recorded; `fail_next` scripts 503s (transient faults)
and `stall` delays replies (timeouts).
"""
from __future__ import annotations

import base64
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


@dataclass
class RepoState:
    root: Path  # the served directory (index.yaml + *.tgz)
    auth: tuple[str, str] | None = None
    fail_next: int = 0  # reply 503 to this many requests
    stall: float = 0.0  # seconds before every reply
    requests: list[tuple[str, str, str]] = field(default_factory=list)  # method, path, auth
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def do_GET(self) -> None:
        state = self.server.state
        with state.lock:
            state.requests.append(("GET", self.path, self.headers.get("Authorization", "")))
            failing = state.fail_next > 0
            state.fail_next -= 1 if failing else 0
        if state.stall:
            time.sleep(state.stall)
        if failing:
            self._send(503, b"busy\n", "text/plain")
            return
        if state.auth is not None:
            token = base64.b64encode(f"{state.auth[0]}:{state.auth[1]}".encode()).decode()
            if self.headers.get("Authorization") != f"Basic {token}":
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="charts"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        name = self.path.split("?", 1)[0].lstrip("/")
        target = (state.root / name).resolve()
        if not name or not target.is_relative_to(state.root.resolve()) or not target.is_file():
            self._send(404, b"not found\n", "text/plain")
            return
        kind = "text/yaml" if name.endswith(".yaml") else "application/gzip"
        self._send(200, target.read_bytes(), kind)

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: RepoState) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state


@dataclass
class ChartRepository:
    url: str
    state: RepoState

    def publish(self, chart_dir: Path) -> Path:
        """`helm package` the chart into the served dir and re-index (`helm repo index`)."""
        import helm_python
        archive = Path(helm_python.package(chart_dir, destination=self.state.root))
        helm_python.repo_index_generate(self.state.root, base_url=self.url)
        return archive

    def paths(self) -> list[str]:
        return [path for _, path, _ in self.state.requests]


@contextmanager
def serve_chart_repository(root: Path, auth: tuple[str, str] | None = None
                           ) -> Iterator[ChartRepository]:
    root.mkdir(parents=True, exist_ok=True)
    state = RepoState(root, auth)
    server = _Server(state)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield ChartRepository(f"http://127.0.0.1:{server.server_address[1]}", state)
    finally:
        server.shutdown()
        server.server_close()
