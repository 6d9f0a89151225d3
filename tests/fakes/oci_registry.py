"""An OCI registry on loopback: the distribution API subset Helm uses for charts.

    GET  /v2/                                   ping (401 + Basic challenge with auth on)
    GET  /v2/<name>/tags/list                   {"name", "tags"}
    HEAD|GET /v2/<name>/manifests/<tag|digest>  Docker-Content-Digest, Content-Type
    HEAD|GET /v2/<name>/blobs/<digest>
    POST /v2/<name>/blobs/uploads/  + PUT <location>?digest=   monolithic upload
    PUT  /v2/<name>/manifests/<tag>

So `helm push` / `helm pull oci://...` (helm_python.push / pull, the registry client's
tags and resolve) work against it unchanged. Plain HTTP only (Helm's `plain_http`).
Requests are recorded; `fail_next` scripts 503s.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MANIFEST = "application/vnd.oci.image.manifest.v1+json"
HELM_CONFIG = "application/vnd.cncf.helm.config.v1+json"
HELM_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip"
_ROUTE = re.compile(r"^/v2/(?P<name>.+?)/(?P<what>manifests|blobs|tags)/(?P<ref>[^/]*)$")
_UPLOAD = re.compile(r"^/v2/(?P<name>.+?)/blobs/uploads/(?P<id>[^/]*)$")


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


@dataclass
class RegistryState:
    auth: tuple[str, str] | None = None
    blobs: dict[str, bytes] = field(default_factory=dict)  # digest -> bytes
    manifests: dict[str, dict[str, bytes]] = field(default_factory=dict)  # name -> ref -> body
    uploads: dict[str, str] = field(default_factory=dict)  # upload id -> repository name
    fail_next: int = 0
    requests: list[tuple[str, str, str]] = field(default_factory=list)  # method, path, auth
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def do_GET(self) -> None:
        self._handle("GET")

    def do_HEAD(self) -> None:
        self._handle("HEAD")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None,
              method: str = "GET") -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, code: str, method: str) -> None:
        body = json.dumps({"errors": [{"code": code, "message": code.lower()}]}).encode()
        self._send(status, body, {"Content-Type": "application/json"}, method)

    def _authorized(self) -> bool:
        auth = self.server.state.auth
        if auth is None:
            return True
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        return self.headers.get("Authorization") == f"Basic {token}"

    def _handle(self, method: str) -> None:
        state = self.server.state
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path, _, query = self.path.partition("?")
        with state.lock:
            state.requests.append((method, self.path, self.headers.get("Authorization", "")))
            failing = state.fail_next > 0
            state.fail_next -= 1 if failing else 0
        if failing:
            self._error(503, "UNAVAILABLE", method)
            return
        if not self._authorized():
            self._send(401, b"", {"WWW-Authenticate": 'Basic realm="registry"'}, method)
            return
        if path in ("/v2", "/v2/"):
            self._send(200, b"{}", {"Content-Type": "application/json"}, method)
            return
        upload = _UPLOAD.match(path)
        if upload and method == "POST":
            with state.lock:
                ident = uuid.uuid4().hex
                state.uploads[ident] = upload["name"]
            self._send(202, b"", {"Location": f"/v2/{upload['name']}/blobs/uploads/{ident}",
                                  "Docker-Upload-UUID": ident}, method)
            return
        if upload and method in ("PUT", "PATCH"):
            self._finish_upload(upload["id"], query, body, method)
            return
        route = _ROUTE.match(path)
        if route is None:
            self._error(404, "NAME_UNKNOWN", method)
            return
        name, what, ref = route["name"], route["what"], route["ref"]
        if what == "tags":
            tags = sorted(r for r in state.manifests.get(name, {}) if not r.startswith("sha256:"))
            if name not in state.manifests:
                self._error(404, "NAME_UNKNOWN", method)
                return
            self._send(200, json.dumps({"name": name, "tags": tags}).encode(),
                       {"Content-Type": "application/json"}, method)
        elif what == "manifests" and method == "PUT":
            digest = self.put_manifest(name, ref, body)
            self._send(201, b"", {"Docker-Content-Digest": digest,
                                  "Location": f"/v2/{name}/manifests/{digest}"}, method)
        elif what == "manifests":
            data = state.manifests.get(name, {}).get(ref)
            if data is None:
                self._error(404, "MANIFEST_UNKNOWN", method)
                return
            self._send(200, data, {"Content-Type": MANIFEST,
                                   "Docker-Content-Digest": sha256(data)}, method)
        else:
            blob = state.blobs.get(ref)
            if blob is None:
                self._error(404, "BLOB_UNKNOWN", method)
                return
            self._send(200, blob, {"Content-Type": "application/octet-stream",
                                   "Docker-Content-Digest": ref}, method)

    def _finish_upload(self, ident: str, query: str, body: bytes, method: str) -> None:
        state = self.server.state
        params = dict(p.partition("=")[::2] for p in query.split("&") if p)
        digest = params.get("digest", "").replace("%3A", ":").replace("%3a", ":")
        name = state.uploads.get(ident)
        if name is None or not digest:
            self._error(404 if name is None else 400, "BLOB_UPLOAD_INVALID", method)
            return
        if sha256(body) != digest:
            self._error(400, "DIGEST_INVALID", method)
            return
        with state.lock:
            state.blobs[digest] = body
            state.uploads.pop(ident, None)
        self._send(201, b"", {"Docker-Content-Digest": digest,
                              "Location": f"/v2/{name}/blobs/{digest}"}, method)

    def put_manifest(self, name: str, ref: str, body: bytes) -> str:
        return self.server.state_put_manifest(name, ref, body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: RegistryState) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state

    def state_put_manifest(self, name: str, ref: str, body: bytes) -> str:
        digest = sha256(body)
        with self.state.lock:
            refs = self.state.manifests.setdefault(name, {})
            refs[ref] = body
            refs[digest] = body
        return digest


@dataclass
class OciRegistry:
    host: str  # "127.0.0.1:PORT"
    state: RegistryState
    server: _Server

    def url(self, path: str = "") -> str:
        return f"oci://{self.host}/{path}".rstrip("/")

    def seed(self, name: str, chart_name: str, version: str, archive: bytes) -> str:
        """Store a chart as `helm push` lays it out (config = Chart.yaml as JSON, one
        chart layer); returns the manifest digest."""
        config = json.dumps({"name": chart_name, "version": version,
                             "apiVersion": "v2"}).encode()
        for blob in (config, archive):
            self.state.blobs[sha256(blob)] = blob
        manifest = json.dumps({
            "schemaVersion": 2, "mediaType": MANIFEST,
            "config": {"mediaType": HELM_CONFIG, "digest": sha256(config),
                       "size": len(config)},
            "layers": [{"mediaType": HELM_LAYER, "digest": sha256(archive),
                        "size": len(archive)}],
            "annotations": {"org.opencontainers.image.title": chart_name,
                            "org.opencontainers.image.version": version}}).encode()
        return self.server.state_put_manifest(name, version, manifest)

    def paths(self) -> list[str]:
        return [path for _, path, _ in self.state.requests]


@contextmanager
def serve_oci_registry(auth: tuple[str, str] | None = None) -> Iterator[OciRegistry]:
    state = RegistryState(auth)
    server = _Server(state)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield OciRegistry(f"127.0.0.1:{server.server_address[1]}", state, server)
    finally:
        server.shutdown()
        server.server_close()
