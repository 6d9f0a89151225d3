"""Kubernetes schemas shipped in kubernetes-validate (1.25 to 1.37), offline."""
from __future__ import annotations

import importlib.util
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

from gitops_guard.errors import SchemaError, UsageError
from gitops_guard.validate.source import CompiledSchema

_DEFS_URI = "https://kubernetes.io/api/_definitions.json"
_DIR_RE = re.compile(r"^v(\d+)\.(\d+)\.\d+-local$")


def _schema_root() -> Path:
    # find_spec locates the package without running its __init__, which would import
    # jsonschema and friends (35 ms of pre-commit latency) for nothing.
    spec = importlib.util.find_spec("kubernetes_validate")
    if spec is None or not spec.submodule_search_locations:
        raise SchemaError("the kubernetes-validate package (Kubernetes schemas) is not "
                          "installed; reinstall gitops-guard")
    return Path(next(iter(spec.submodule_search_locations))) / "kubernetes-json-schema"


@cache
def shipped_versions() -> tuple[str, ...]:
    """Minor versions with schemas, oldest first, e.g. ("1.25", ..., "1.37")."""
    found = []
    for child in _schema_root().iterdir():
        m = _DIR_RE.match(child.name)
        if m:
            found.append((int(m[1]), int(m[2])))
    return tuple(f"{a}.{b}" for a, b in sorted(found))


def resolve_version(requested: str | None) -> str:
    versions = shipped_versions()
    if not requested:
        return versions[-1]
    m = re.fullmatch(r"v?(\d+)\.(\d+)(?:\.\d+)?", requested.strip())
    if not m or f"{m[1]}.{m[2]}" not in versions:
        raise UsageError(
            f"unsupported Kubernetes version {requested!r}: schemas ship for "
            f"{versions[0]} to {versions[-1]}")
    return f"{m[1]}.{m[2]}"


def split_api_version(api_version: str) -> tuple[str, str]:
    group, _, version = api_version.rpartition("/")
    return group, version


class KubernetesSchemas:
    """Looks up and compiles (once) the schema of a built-in kind for one version."""

    def __init__(self, version: str, strict: bool) -> None:
        self.version = version
        self.strict = strict
        folder = f"v{version}.0-local" + ("-strict" if strict else "")
        with (_schema_root() / folder / "_definitions.json").open("rb") as fh:
            self._definitions: dict[str, Any] = json.load(fh)
        self._registry = jsonschema_rs.Registry([(_DEFS_URI, self._definitions)])
        self._by_gvk: dict[tuple[str, str, str], str] = {}
        self._kinds: dict[str, list[str]] = {}
        for name, schema in self._definitions["$defs"].items():
            for gvk in schema.get("x-kubernetes-group-version-kind", ()):
                key = (gvk["group"], gvk["version"], gvk["kind"])
                # The first definition wins; later ones are list/option types of the same gvk.
                self._by_gvk.setdefault(key, name)
                api = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
                self._kinds.setdefault(gvk["kind"], []).append(api)
        self._compiled: dict[str, CompiledSchema] = {}
        self.label = f"Kubernetes {version}" + (" strict" if strict else "")

    def lookup(self, api_version: str, kind: str) -> CompiledSchema | None:
        name = self._by_gvk.get((*split_api_version(api_version), kind))
        if name is None:
            return None
        compiled = self._compiled.get(name)
        if compiled is None:
            validator = jsonschema_rs.validator_for(
                {"$ref": f"{_DEFS_URI}#/$defs/{name}"}, registry=self._registry)
            compiled = CompiledSchema(validator, self.label)
            self._compiled[name] = compiled
        return compiled

    def served_as(self, kind: str) -> list[str]:
        """apiVersions this Kubernetes version serves `kind` under (for hints)."""
        return sorted(set(self._kinds.get(kind, ())))


@cache
def kubernetes_schemas(version: str, strict: bool) -> KubernetesSchemas:
    """One KubernetesSchemas per version and strictness in a process: loading the
    definitions takes ~8 ms, and compiled schemas are then shared by every environment
    (check.py loads it while the parse workers start)."""
    return KubernetesSchemas(version, strict)
