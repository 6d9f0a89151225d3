"""A stand-in Kubernetes API server: real HTTP on 127.0.0.1, the calls `diff --against live`
makes: discovery (/api/v1, /apis/GROUP/VERSION), GET of one object, and server-side
apply PATCH with dryRun=All (merged result returned, nothing stored).
"""
from __future__ import annotations

import copy
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import yaml

RESOURCES = {
    "v1": [("ConfigMap", "configmaps", True), ("Service", "services", True),
           ("Secret", "secrets", True), ("Namespace", "namespaces", False)],
    "apps/v1": [("Deployment", "deployments", True), ("StatefulSet", "statefulsets", True)],
}
TOKEN = "fake-token"


def merge(live: Any, patch: Any) -> Any:
    """Apply-like merge: maps merge, lists of named items merge by name, the rest replaces."""
    if isinstance(live, dict) and isinstance(patch, dict):
        out = dict(live)
        for k, v in patch.items():
            out[k] = merge(live.get(k), v) if k in live else copy.deepcopy(v)
        return out
    if isinstance(live, list) and isinstance(patch, list) and all(
            isinstance(i, dict) and "name" in i for i in (*live, *patch)):
        old = {i["name"]: i for i in live}
        return [merge(old[i["name"]], i) if i["name"] in old else i for i in patch]
    return copy.deepcopy(patch)


class FakeKubeApi:
    def __init__(self) -> None:
        self.objects: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, str]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def path_of(self, obj: dict[str, Any]) -> str:
        api = obj["apiVersion"]
        plural, namespaced = next((p, n) for k, p, n in RESOURCES[api] if k == obj["kind"])
        prefix = f"/api/{api}" if "/" not in api else f"/apis/{api}"
        ns = f"/namespaces/{obj['metadata'].get('namespace', 'default')}" if namespaced else ""
        return f"{prefix}{ns}/{plural}/{obj['metadata']['name']}"

    def add(self, obj: dict[str, Any]) -> None:
        self.objects[self.path_of(obj)] = obj

    def kubeconfig(self, folder: Path, context: str = "fake") -> Path:
        path = folder / "kubeconfig"
        path.write_text(yaml.safe_dump({
            "apiVersion": "v1", "kind": "Config", "current-context": context,
            "clusters": [{"name": "fake", "cluster": {"server": self.url}}],
            "users": [{"name": "fake", "user": {"token": TOKEN}}],
            "contexts": [{"name": context, "context": {"cluster": "fake", "user": "fake"}}]}))
        return path

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _send(self, code: int, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _authorized(self) -> bool:
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    self._send(401, {"kind": "Status", "code": 401, "reason": "Unauthorized"})
                    return False
                return True

            def do_GET(self) -> None:
                url = urlparse(self.path)
                api.requests.append(("GET", url.path))
                if not self._authorized():
                    return
                for version, kinds in RESOURCES.items():
                    prefix = f"/api/{version}" if "/" not in version else f"/apis/{version}"
                    if url.path == prefix:
                        self._send(200, {"kind": "APIResourceList", "groupVersion": version,
                                         "resources": [{"kind": k, "name": p, "namespaced": n}
                                                       for k, p, n in kinds]})
                        return
                found = api.objects.get(url.path)
                if found is None:
                    self._send(404, {"kind": "Status", "code": 404, "reason": "NotFound"})
                else:
                    self._send(200, found)

            def do_PATCH(self) -> None:
                url = urlparse(self.path)
                query = parse_qs(url.query)
                api.requests.append(("PATCH", self.path))
                if not self._authorized():
                    return
                body = yaml.safe_load(self.rfile.read(int(self.headers["Content-Length"])))
                if self.headers.get("Content-Type") != "application/apply-patch+yaml" or \
                        query.get("dryRun") != ["All"] or not query.get("fieldManager"):
                    self._send(400, {"kind": "Status", "code": 400, "reason": "BadRequest"})
                    return
                live = api.objects.get(url.path)
                if live is None:
                    self._send(404, {"kind": "Status", "code": 404, "reason": "NotFound"})
                    return
                merged = merge(live, body)
                merged["metadata"]["generation"] = live["metadata"].get("generation", 1) + 1
                self._send(200, merged)  # dry run: nothing is stored

        return Handler


@contextmanager
def running() -> Iterator[FakeKubeApi]:
    api = FakeKubeApi()
    thread = threading.Thread(target=api.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        api.server.shutdown()
        api.server.server_close()
