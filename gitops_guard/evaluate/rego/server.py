"""The server engine: an OPA server through its REST API.

- policies: with local policy paths, each file is PUT to /v1/policies/gitops-guard/<path>
  and --data keys to /v1/data/<key> (what `opa run --server FILES` would load);
  without, the server's own policies are used (GET /v1/policies gives their source).
- evaluation: POST /v1/data/<package path> with {"input": document}, one request per
  document and package over one kept-alive connection.

Plain http.client rather than opa-python-client: that client brings requests, urllib3,
aiohttp and aiofiles for the three calls used here, has no type hints, takes host and
port rather than a URL with a path prefix, and retries with its own 1.5 s timeout;
the standard library keeps the install small and the timeout ours.
"""
from __future__ import annotations

import http.client
import json
import urllib.parse
from collections.abc import Mapping, Sequence
from typing import Any

from gitops_guard.errors import UsageError
from gitops_guard.evaluate.options import RegoOptions
from gitops_guard.evaluate.rego.engine import PolicySet, RawResult, from_package_documents
from gitops_guard.evaluate.rego.errors import RegoError, RegoEvalError, RegoSyntaxError
from gitops_guard.evaluate.rego.source import Module, parse_module

POLICY_ID_PREFIX = "gitops-guard/"


class OpaHttp:
    """A minimal OPA REST client over one persistent connection."""

    def __init__(self, url: str, timeout: float) -> None:
        if not url:
            raise UsageError("--rego-engine server needs --opa-url URL (e.g. http://localhost:8181)")
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"--opa-url {url!r}: expected http(s)://host[:port][/prefix]")
        self.url = url
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port
        self._prefix = parts.path.rstrip("/")
        self._timeout = timeout
        self._conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            self._conn = cls(self._host, self._port, timeout=self._timeout)
        return self._conn

    def request(self, method: str, path: str, body: bytes | None = None,
                content_type: str = "application/json") -> tuple[int, Any]:
        headers = {"Content-Type": content_type} if body is not None else {}
        for attempt in (1, 2):  # a kept-alive connection the server closed: reconnect once
            conn = self._connection()
            try:
                conn.request(method, self._prefix + path, body=body, headers=headers)
                response = conn.getresponse()
                raw = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                if attempt == 2:
                    raise RegoError(f"OPA server {self.url} closed the connection") from None
            except OSError as exc:
                self.close()
                raise RegoError(f"cannot reach OPA server {self.url}: {exc}") from None
        try:
            payload = json.loads(raw) if raw.strip() else {}
        except ValueError:
            payload = {"message": raw.decode("utf-8", "replace")[:300]}
        return response.status, payload

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _quote(segment: str) -> str:
    return urllib.parse.quote(segment, safe="")


def _failure(status: int, payload: Any, what: str) -> RegoError:
    payload = payload if isinstance(payload, dict) else {}
    for error in payload.get("errors") or []:
        loc = error.get("location") or {}
        if loc.get("file") or loc.get("row"):
            return RegoSyntaxError(str(loc.get("file", what)), int(loc.get("row", 0)),
                                   int(loc.get("col", 0)), str(error.get("message", "")))
    return RegoError(f"OPA server: {what}: HTTP {status} {payload.get('code', '')}: "
                     f"{payload.get('message', '')}".rstrip(": "))


def fetch_server_modules(options: RegoOptions) -> list[Module]:
    """The server's own policies, read from GET /v1/policies."""
    client = OpaHttp(options.opa_url, options.timeout_seconds)
    try:
        status, payload = client.request("GET", "/v1/policies")
    finally:
        client.close()
    if status != 200:
        raise _failure(status, payload, "GET /v1/policies")
    modules = []
    for item in payload.get("result") or []:
        if isinstance(item, dict) and isinstance(item.get("raw"), str):
            modules.append(parse_module(str(item.get("id", "")), item["raw"]))
    return sorted(modules, key=lambda m: m.path)


class ServerEngine:
    def __init__(self, policies: PolicySet, options: RegoOptions) -> None:
        self._client = OpaHttp(options.opa_url, options.timeout_seconds)
        self._targets = policies.targets
        if options.policy_paths:
            self._upload(policies)

    def _upload(self, policies: PolicySet) -> None:
        for module in policies.modules:
            policy_id = POLICY_ID_PREFIX + module.path.lstrip("./")
            path = "/v1/policies/" + "/".join(_quote(p) for p in policy_id.split("/"))
            status, payload = self._client.request("PUT", path, module.text.encode("utf-8"),
                                                   "text/plain")
            if status != 200:
                raise _failure(status, payload, module.path)
        for key, value in policies.data.items():
            status, payload = self._client.request("PUT", f"/v1/data/{_quote(key)}",
                                                   json.dumps(value).encode("utf-8"))
            if status not in (200, 204):
                raise _failure(status, payload, f"PUT /v1/data/{key}")

    def evaluate(self, inputs: Sequence[Any],
                 files: Sequence[Mapping[str, str]] | None = None) -> list[RawResult]:
        # An OPA server evaluates with its own data: data.conftest.file cannot be set
        # per request through the Data API, so `files` is not used here.
        results: list[RawResult] = []
        try:
            for index, document in enumerate(inputs):
                body = json.dumps({"input": document}).encode("utf-8")
                docs: dict[str, Any] = {}
                for package in self._targets:
                    path = "/v1/data/" + "/".join(_quote(p) for p in package.split("."))
                    status, payload = self._client.request("POST", path, body)
                    if status != 200:
                        error = _failure(status, payload, f"POST {path}")
                        raise RegoEvalError(index, str(error))
                    docs[package] = payload.get("result") if isinstance(payload, dict) else None
                results.append(from_package_documents(docs, self._targets))
        finally:
            self._client.close()
        return results
