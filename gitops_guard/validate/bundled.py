"""CRD schemas shipped with gitops-guard for the common GitOps controllers (Flux, Argo CD,
cert-manager, Gateway API, prometheus-operator), offline.

`schemas/crds/<group>/<kind>.json` holds one minimal CRD manifest per kind, generated from
the upstream CRDs by tools/bundle_crds.py (sources and licenses in schemas/crds/README.md).
This source comes last in the lookup chain: CRDs among the inputs and schema locations the
user names win, so a repo that pins its own controller version is checked against it.
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from gitops_guard.resources import data_dir
from gitops_guard.validate.crd import (
    CrdError,
    VersionSchema,
    compile_schema,
    crd_versions,
    to_json_schema,
)
from gitops_guard.validate.source import CompiledSchema


def bundled_dir() -> Path:
    return data_dir("schemas") / "crds"


class BundledSchemas:
    """Looks up a kind's shipped CRD by file name; reads and compiles each once."""

    def __init__(self, strict: bool, folder: Path | None = None) -> None:
        self.strict = strict
        self.folder = folder if folder is not None else bundled_dir()
        self._versions: dict[tuple[str, str], list[VersionSchema]] = {}
        self._compiled: dict[tuple[str, str], CompiledSchema | None] = {}

    def _crd(self, group: str, kind: str) -> list[VersionSchema]:
        key = (group, kind)
        if key not in self._versions:
            path = self.folder / group / f"{kind.lower()}.json"
            self._versions[key] = []
            if group and "/" not in group and not group.startswith(".") and path.is_file():
                data: Any = json.loads(path.read_text(encoding="utf-8"))
                self._versions[key] = [v for v in crd_versions(data) if v.kind == kind]
        return self._versions[key]

    def served(self, api_version: str, kind: str) -> list[str]:
        """The apiVersions the shipped CRD of this kind serves (for hints), else []."""
        group = api_version.rpartition("/")[0]
        return [v.api_version for v in self._crd(group, kind)]

    def lookup(self, api_version: str, kind: str) -> CompiledSchema | None:
        gvk = (api_version, kind)
        if gvk in self._compiled:
            return self._compiled[gvk]
        group = api_version.rpartition("/")[0]
        found = None
        for version in self._crd(group, kind):
            if version.api_version == api_version and version.openapi is not None:
                try:
                    validator = compile_schema(to_json_schema(version, self.strict))
                except CrdError:  # tests keep every shipped schema compiling
                    break
                found = CompiledSchema(validator, f"bundled CRD {version.crd_name}")
        self._compiled[gvk] = found
        return found


@cache
def bundled_schemas(strict: bool) -> BundledSchemas:
    """One per strictness in a process: every environment shares the compiled schemas."""
    return BundledSchemas(strict)
