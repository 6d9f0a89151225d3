"""A stand-in for an OPA server (`opa run --server`): the REST endpoints gitops-guard
calls, over real HTTP on 127.0.0.1, evaluated by the embedded regorus engine.

    GET  /health
    GET  /v1/policies                 {"result": [{"id", "raw"}]}
    PUT  /v1/policies/{id}            text/plain Rego; 400 + errors[] on a parse error
    PUT  /v1/data/{path}              JSON document; 204
    POST /v1/data/{path}              {"input": ...} -> {"result": value} | {} when undefined
"""
from __future__ import annotations

import json
import re
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import regorus

_LOC = re.compile(r"-->\s*(?P<file>.+?):(?P<row>\d+):(?P<col>\d+)")
_MSG = re.compile(r"^\s*error:\s*(?P<msg>.+)$", re.MULTILINE)


class FakeOpaServer:
    def __init__(self, policies: dict[str, str] | None = None,
                 data: dict[str, Any] | None = None, rego_v0: bool = False) -> None:
        self.policies: dict[str, str] = dict(policies or {})
        self.data: dict[str, Any] = dict(data or {})
        self.rego_v0 = rego_v0
        self.requests: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_port}"

    def start(self) -> FakeOpaServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()

    # -- the engine behind it: rebuilt per request, as policies and data may change --
    def _build(self, policies: dict[str, str]) -> Any:
        engine = regorus.Engine()
        engine.set_rego_v0(self.rego_v0)
        for policy_id, text in sorted(policies.items()):
            engine.add_policy(policy_id, text)
        engine.add_data_json(json.dumps(self.data))
        return engine

    def put_policy(self, policy_id: str, text: str) -> tuple[int, Any]:
        with self._lock:
            candidate = {**self.policies, policy_id: text}
            try:
                self._build(candidate)
            except RuntimeError as exc:
                return 400, _parse_error(str(exc))
            self.policies = candidate
            return 200, {}

    def put_data(self, path: list[str], value: Any) -> tuple[int, Any]:
        with self._lock:
            if not path:
                self.data = value
            else:
                node = self.data
                for key in path[:-1]:
                    node = node.setdefault(key, {})
                node[path[-1]] = value
            return 204, None

    def query(self, path: list[str], input_value: Any, has_input: bool) -> tuple[int, Any]:
        # regorus engines may not cross threads: each request builds and drops its own
        with self._lock:
            engine = self._build(self.policies)
        if has_input:
            engine.set_input_json(json.dumps(input_value))
        try:
            rules = _package_rules(engine).get(tuple(path))
            if rules is None:
                value, defined = _eval(engine, path)
            else:  # a package: its rules one by one (as OPA builds the package document)
                value, defined = {}, True
                for rule in sorted(rules):
                    got, ok = _eval(engine, [*path, rule])
                    if ok:
                        value[rule] = got
        except RuntimeError as exc:
            text = str(exc).split("Stack backtrace:")[0].strip()
            return 500, {"code": "internal_error", "message": text}
        return 200, ({"result": value} if defined else {})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def _send(self, status: int, payload: Any) -> None:
                body = b"" if payload is None else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def _parts(self, prefix: str) -> list[str]:
                rest = urllib.parse.urlsplit(self.path).path[len(prefix):].strip("/")
                return [urllib.parse.unquote(p) for p in rest.split("/") if p]

            def do_GET(self) -> None:
                server.requests.append(("GET", self.path))
                if self.path == "/health":
                    self._send(200, {})
                elif self.path.rstrip("/") == "/v1/policies":
                    self._send(200, {"result": [{"id": k, "raw": v}
                                                for k, v in sorted(server.policies.items())]})
                elif self.path.startswith("/v1/data"):
                    self._send(*server.query(self._parts("/v1/data"), None, False))
                else:
                    self._send(404, {"code": "resource_not_found", "message": self.path})

            def do_PUT(self) -> None:
                server.requests.append(("PUT", self.path))
                body = self._body()
                if self.path.startswith("/v1/policies/"):
                    policy_id = "/".join(self._parts("/v1/policies"))
                    self._send(*server.put_policy(policy_id, body.decode()))
                elif self.path.startswith("/v1/data"):
                    self._send(*server.put_data(self._parts("/v1/data"), json.loads(body)))
                else:
                    self._send(404, {"code": "resource_not_found", "message": self.path})

            def do_POST(self) -> None:
                server.requests.append(("POST", self.path))
                body = self._body()
                if not self.path.startswith("/v1/data"):
                    self._send(404, {"code": "resource_not_found", "message": self.path})
                    return
                try:
                    request = json.loads(body) if body.strip() else {}
                except ValueError as exc:
                    self._send(400, {"code": "invalid_parameter", "message": str(exc)})
                    return
                self._send(*server.query(self._parts("/v1/data"), request.get("input"),
                                         "input" in request))

        return Handler


def _eval(engine: Any, path: list[str]) -> tuple[Any, bool]:
    ref = "data" + "".join(f"[{json.dumps(p)}]" for p in path)
    rows = json.loads(engine.eval_query_as_json(ref)).get("result") or []
    return (rows[0]["expressions"][0]["value"], True) if rows else (None, False)


def _ref_parts(node: dict[str, Any]) -> list[str]:
    kind, body = next(iter(node.items()))
    if kind == "Var":
        return [body["value"]]
    if kind == "RefDot":
        return [*_ref_parts(body["refr"]), body["field"][1]]
    if kind == "RefBrack":
        return _ref_parts(body["refr"])
    return []


def _package_rules(engine: Any) -> dict[tuple[str, ...], set[str]]:
    """package path (without `data`) -> names of its rules, functions left out."""
    out: dict[tuple[str, ...], set[str]] = {}
    for module in json.loads(engine.get_ast_as_json()):
        ast = module["ast"]
        package = tuple(_ref_parts(ast["package"]["refr"]))
        names = out.setdefault(package, set())
        for rule in ast.get("rules", []):
            kind, body = next(iter(rule.items()))
            head = body.get("head", body) if kind == "Spec" else body
            head_kind, head_body = next(iter(head.items())) if kind == "Spec" else ("", head)
            if head_kind == "Func" or head_body.get("args"):
                continue
            parts = _ref_parts(head_body["refr"])
            if parts:
                names.add(parts[0])
    return out


def _parse_error(text: str) -> dict[str, Any]:
    text = text.split("Stack backtrace:")[0]
    loc, msg = _LOC.search(text), _MSG.search(text)
    error: dict[str, Any] = {"code": "rego_parse_error",
                             "message": msg.group("msg").strip() if msg else text.strip()}
    if loc:
        error["location"] = {"file": loc.group("file"), "row": int(loc.group("row")),
                             "col": int(loc.group("col"))}
    return {"code": "invalid_parameter",
            "message": "error(s) occurred while compiling module(s)", "errors": [error]}
