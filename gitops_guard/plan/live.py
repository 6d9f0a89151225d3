"""Live target: the cluster, through the `kubernetes` client (optional extra `live`).

What `kubectl diff` does: for each rendered object, GET the live copy and ask the
API server for a server-side dry-run apply (`PATCH ...?dryRun=All`, field manager
`gitops-guard`), so `after` carries the server's defaults and merges; the two are
then diffed with the noise rules hiding status and server bookkeeping. Objects
the cluster does not have yet are additions. The kube context comes from the
environment's `live: {context, kubeconfig}`.
"""
from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

from gitops_guard.config import Config
from gitops_guard.errors import GuardError, ToolMissingError
from gitops_guard.plan.identity import identity_of
from gitops_guard.plan.sources import Objects
from gitops_guard.render.model import Environment

FIELD_MANAGER = "gitops-guard"
TIMEOUT = 30


class LiveError(GuardError):
    """The cluster could not be reached or refused a request."""


class Cluster:
    """The few REST calls the plan needs, with API discovery cached per group/version."""

    def __init__(self, api: Any) -> None:
        self.api = api
        self._resources: dict[str, dict[str, tuple[str, bool]]] = {}

    def _call(self, method: str, path: str, body: Any = None,
              query: list[tuple[str, str]] | None = None,
              content_type: str = "application/json") -> Any:
        try:
            method_, url, headers, data, _ = self.api.param_serialize(
                method, path, query_params=query or [], body=body,
                header_params={"Accept": "application/json", "Content-Type": content_type},
                auth_settings=["BearerToken"])
            response = self.api.call_api(method_, url, header_params=headers, body=data,
                                         _request_timeout=TIMEOUT)
            response.read()
        except Exception as exc:  # urllib3 connection errors and the like
            raise LiveError(f"{method} {path}: {type(exc).__name__}: {exc}") from None
        if response.status == 404:
            return None
        if response.status >= 300:
            raise LiveError(f"{method} {path}: HTTP {response.status} {response.reason}")
        return json.loads(response.data)

    def _discover(self, api_version: str) -> dict[str, tuple[str, bool]]:
        if api_version not in self._resources:
            path = f"/api/{api_version}" if "/" not in api_version else f"/apis/{api_version}"
            found = self._call("GET", path) or {}
            self._resources[api_version] = {
                r["kind"]: (r["name"], bool(r.get("namespaced")))
                for r in found.get("resources", []) if "/" not in r.get("name", "")}
        return self._resources[api_version]

    def path_of(self, obj: dict[str, Any], namespace: str) -> str | None:
        api_version = str(obj.get("apiVersion", ""))
        found = self._discover(api_version).get(str(obj.get("kind")))
        if found is None:
            return None
        plural, namespaced = found
        prefix = f"/api/{api_version}" if "/" not in api_version else f"/apis/{api_version}"
        ns = f"/namespaces/{namespace}" if namespaced else ""
        return f"{prefix}{ns}/{plural}/{obj['metadata']['name']}"

    def get(self, path: str) -> dict[str, Any] | None:
        found: dict[str, Any] | None = self._call("GET", path)
        return found

    def dry_run_apply(self, path: str, obj: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] | None = self._call(
            "PATCH", path, body=obj, content_type="application/apply-patch+yaml",
            query=[("dryRun", "All"), ("fieldManager", FIELD_MANAGER), ("force", "true")])
        if result is None:
            raise LiveError(f"PATCH {path}: not found")
        return result


def connect(env: Environment) -> Cluster:
    try:
        from kubernetes import config as kube_config
    except ImportError:
        raise ToolMissingError("the kubernetes Python client",
                               "pip install 'gitops-guard[live]'", package=True) from None
    live = env.live or {}
    try:
        api = kube_config.new_client_from_config(
            config_file=live.get("kubeconfig"), context=live.get("context"))
    except Exception as exc:
        raise LiveError(f"environment {env.name}: cannot load kube config: {exc}") from None
    return Cluster(api)


def live_objects(cluster: Cluster, env: Environment, desired: Objects,
                 ) -> tuple[Objects, Objects, list[str]]:
    before: Objects = []
    after: Objects = []
    notes: list[str] = []
    default_ns = env.namespace or "default"
    for obj, source in desired:
        ident = identity_of(obj, default_ns)
        path = cluster.path_of(obj, ident.namespace)
        if path is None:
            notes.append(f"{ident}: the cluster does not serve {obj.get('apiVersion')} "
                         f"{obj.get('kind')}; shown as it would be created")
            after.append((obj, source))
            continue
        current = cluster.get(path)
        if current is None:
            after.append((obj, source))
            continue
        before.append((current, source))
        after.append((cluster.dry_run_apply(path, obj), source))
    return before, after, notes


@contextlib.contextmanager
def live_target(options: Any, config: Config) -> Iterator[Any]:
    def before(env: Environment, after: Objects) -> tuple[Objects, Objects, list[str]]:
        return live_objects(connect(env), env, after)
    yield before
