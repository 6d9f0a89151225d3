"""The schema-source protocol: anything that can find a compiled schema for a kind."""
from __future__ import annotations

from typing import Any, NamedTuple, Protocol


class CompiledSchema(NamedTuple):
    validator: Any  # a jsonschema_rs validator
    label: str  # where it came from, shown in findings: "Kubernetes 1.32 strict", "CRD x.y"
    # A CRD version's OpenAPI schema: its defaults are filled in before validation, as the
    # API server defaults a custom resource before it validates it.
    defaults: Any = None


class SchemaSource(Protocol):
    def lookup(self, api_version: str, kind: str) -> CompiledSchema | None:
        ...
