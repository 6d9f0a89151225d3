"""CustomResourceDefinition manifests -> JSON Schemas (draft 2020-12), one per served version.

Kubernetes stores a CRD's schema as OpenAPI v3.0 with `x-kubernetes-*` extensions; the
API server applies them itself. Here they become plain JSON Schema so jsonschema-rs can
check custom resources the way the API server would (with strict field validation).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import jsonschema_rs

from gitops_guard.model import Document, FieldPath, Finding, Severity, format_path
from gitops_guard.validate.source import CompiledSchema

CRD_KIND = "CustomResourceDefinition"
CRD_GROUP = "apiextensions.k8s.io"
BROKEN_SCHEMA = "GG211"

_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
_OBJECT: dict[str, Any] = {"type": "object"}
_STRING: dict[str, Any] = {"type": "string"}


class CrdError(Exception):
    """A CRD that cannot be turned into a schema, with the field that makes it so."""

    def __init__(self, message: str, path: FieldPath = ()) -> None:
        super().__init__(message)
        self.path = path


@dataclass(frozen=True)
class VersionSchema:
    """The schema of one served version of a CRD, still in OpenAPI form."""

    crd_name: str  # metadata.name, e.g. widgets.example.com
    group: str
    version: str
    kind: str
    openapi: dict[str, Any] | None  # None: the CRD has no schema for this version
    schema_path: FieldPath  # where that schema sits in the CRD, for findings
    preserve_unknown: bool = False  # spec.preserveUnknownFields: true (v1beta1)

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}"

    @property
    def file_name(self) -> str:
        """kubeconform / openapi2jsonschema naming: `{kind}-{group's first label}-{version}`."""
        return f"{self.kind}-{self.group.split('.')[0]}-{self.version}.json".lower()


def is_crd(data: Any) -> bool:
    return (isinstance(data, dict) and data.get("kind") == CRD_KIND
            and isinstance(data.get("apiVersion"), str)
            and data["apiVersion"].startswith(CRD_GROUP + "/"))


def _field(data: Any, path: FieldPath, kind: type, what: str) -> Any:
    here = data
    for elem in path:
        here = here.get(elem) if isinstance(here, dict) else None
    if not isinstance(here, kind) or not here:
        raise CrdError(f"{what} is missing or not a {kind.__name__}", path)
    return here


def crd_versions(data: dict[str, Any]) -> list[VersionSchema]:
    """Every served version of a CRD (v1, or v1beta1 with spec.validation / spec.version)."""
    meta = data.get("metadata")
    name = meta.get("name") if isinstance(meta, dict) else None
    group = _field(data, ("spec", "group"), str, "spec.group")
    kind = _field(data, ("spec", "names", "kind"), str, "spec.names.kind")
    spec = data["spec"]
    preserve = spec.get("preserveUnknownFields") is True
    shared = spec.get("validation")
    shared_schema = shared.get("openAPIV3Schema") if isinstance(shared, dict) else None
    shared_path: FieldPath = ("spec", "validation", "openAPIV3Schema")
    crd_name = name if isinstance(name, str) and name else kind
    versions = spec.get("versions")
    if versions is None and isinstance(spec.get("version"), str):  # v1beta1, one version
        versions = [{"name": spec["version"], "served": True}]
    if not isinstance(versions, list) or not versions:
        raise CrdError("spec.versions is missing or empty", ("spec", "versions"))
    out: list[VersionSchema] = []
    for i, entry in enumerate(versions):
        where: FieldPath = ("spec", "versions", i)
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise CrdError(f"spec.versions[{i}].name is missing", where)
        if entry.get("served", True) is False:
            continue
        own = entry.get("schema")
        own_schema = own.get("openAPIV3Schema") if isinstance(own, dict) else None
        schema, path = ((own_schema, (*where, "schema", "openAPIV3Schema"))
                        if own_schema is not None else (shared_schema, shared_path))
        if schema is not None and not isinstance(schema, dict):
            raise CrdError(f"openAPIV3Schema of version {entry['name']} is not an object", path)
        out.append(VersionSchema(crd_name, group, entry["name"], kind, schema,
                                 path if schema is not None else where, preserve))
    return out


def _exclusive(out: dict[str, Any], bound: str, flag: str) -> None:
    # OpenAPI 3.0 `exclusiveMinimum: true` modifies `minimum`; 2020-12 makes it the number.
    value = out.pop(flag, None)
    if value is True and bound in out:
        out[flag] = out.pop(bound)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        out[flag] = value


def _with_type(node: dict[str, Any], out: dict[str, Any]) -> None:
    if node.get("x-kubernetes-int-or-string") is True:
        out["type"] = ["integer", "string"]
        if out.get("anyOf") == [{"type": "integer"}, {"type": "string"}]:
            del out["anyOf"]  # the usual spelling of the same rule: one error, not two
    if node.get("nullable") is True and "type" in out:
        types = out["type"] if isinstance(out["type"], list) else [out["type"]]
        out["type"] = [*types, "null"] if "null" not in types else types
        if isinstance(out.get("enum"), list) and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]


def _embed(out: dict[str, Any]) -> None:
    """An embedded resource carries apiVersion, kind and metadata, as the API server checks."""
    props = out.setdefault("properties", {})
    props.setdefault("apiVersion", dict(_STRING))
    props.setdefault("kind", dict(_STRING))
    props.setdefault("metadata", dict(_OBJECT))
    required = out.get("required", [])
    out["required"] = [*required, *(k for k in ("apiVersion", "kind") if k not in required)]


def convert(node: Any, strict: bool, *, closable: bool = True, resource: bool = False) -> Any:
    """One OpenAPI v3.0 schema node (and everything below it) as JSON Schema 2020-12.

    `closable` is false under allOf/anyOf/oneOf/not, whose `properties` only add
    constraints, and for `metadata`, whose CRD schema lists only name constraints.
    `resource` marks a node holding a whole object (the root, embedded resources).
    """
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key.startswith("x-kubernetes-") or key == "nullable":
            continue
        if key == "properties" and isinstance(value, dict):
            out[key] = {
                name: convert(sub, strict, closable=not (resource and name == "metadata"))
                for name, sub in value.items()}
        elif key in ("additionalProperties", "not"):
            out[key] = convert(value, strict, closable=key != "not")
        elif key == "items":
            if isinstance(value, list):  # not structural, but seen in the wild
                out["prefixItems"] = [convert(v, strict) for v in value]
            else:
                out[key] = convert(value, strict)
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            out[key] = [convert(v, strict, closable=False) for v in value]
        elif key == "dependencies" and isinstance(value, dict):
            for dep, spec in value.items():
                target = "dependentRequired" if isinstance(spec, list) else "dependentSchemas"
                out.setdefault(target, {})[dep] = (
                    spec if isinstance(spec, list) else convert(spec, strict))
        else:
            out[key] = value
    _exclusive(out, "minimum", "exclusiveMinimum")
    _exclusive(out, "maximum", "exclusiveMaximum")
    _with_type(node, out)
    if node.get("x-kubernetes-embedded-resource") is True:
        _embed(out)
        out["properties"]["metadata"] = convert(
            out["properties"]["metadata"], strict, closable=False)
    preserve = node.get("x-kubernetes-preserve-unknown-fields") is True
    if (strict and closable and not preserve and "properties" in out
            and "additionalProperties" not in out):
        out["additionalProperties"] = False
    return out


def to_json_schema(version: VersionSchema, strict: bool) -> dict[str, Any]:
    """The full JSON Schema of one CRD version, with Kubernetes' implicit top-level fields."""
    root = dict(version.openapi or {})
    if version.preserve_unknown:
        root["x-kubernetes-preserve-unknown-fields"] = True
    if version.openapi is not None:
        props = dict(root.get("properties") or {})
        props.setdefault("apiVersion", dict(_STRING))
        props.setdefault("kind", dict(_STRING))
        props.setdefault("metadata", dict(_OBJECT))
        root["properties"] = props
        root.setdefault("type", "object")
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **convert(root, strict, resource=True),
        "x-kubernetes-group-version-kind": [
            {"group": version.group, "kind": version.kind, "version": version.version}],
    }
    schema.pop("description", None)  # the CRD's prose stays in the CRD
    return schema


def compile_schema(schema: dict[str, Any]) -> Any:
    """A jsonschema-rs validator, or CrdError at the schema field that is not valid."""
    try:
        return jsonschema_rs.validator_for(schema, offline=True)
    except jsonschema_rs.ValidationError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "invalid schema"
        raise CrdError(f"invalid schema: {first}", tuple(exc.instance_path)) from None


def broken_finding(doc: Document, message: str, path: FieldPath) -> Finding:
    return Finding(BROKEN_SCHEMA, Severity.ERROR, message, doc.locate(path), doc.resource,
                   "schema", doc.env, format_path(path))


class CrdSchemas:
    """A schema source over CRD manifests, compiled on first use; broken ones become findings.

    A CRD that cannot be converted still claims its kinds (with a schema that accepts
    anything): the GG211 finding at the CRD is the one thing to fix, not each resource.
    """

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.findings: list[Finding] = []
        self._pending: dict[tuple[str, str], tuple[VersionSchema, Document]] = {}
        self._compiled: dict[tuple[str, str], CompiledSchema] = {}

    def add(self, doc: Document) -> None:
        try:
            versions = crd_versions(doc.data)
        except CrdError as exc:
            self.findings.append(broken_finding(doc, f"CRD cannot be used: {exc}", exc.path))
            return
        for version in versions:
            self._pending.setdefault((version.api_version, version.kind), (version, doc))

    def kinds(self) -> Iterator[tuple[str, str]]:
        yield from self._pending

    def compile_all(self) -> None:
        for gvk in list(self._pending):
            self.lookup(*gvk)

    def lookup(self, api_version: str, kind: str) -> CompiledSchema | None:
        gvk = (api_version, kind)
        found = self._compiled.get(gvk)
        if found is not None or gvk not in self._pending:
            return found
        version, doc = self._pending[gvk]
        label = f"CRD {version.crd_name}"
        try:
            if version.openapi is None:
                raise CrdError(f"CRD {version.crd_name} has no openAPIV3Schema for version "
                               f"{version.version}; "
                               f"{kind} resources are not validated", version.schema_path)
            validator = compile_schema(to_json_schema(version, self.strict))
        except CrdError as exc:
            where = exc.path if version.openapi is None else (*version.schema_path, *exc.path)
            msg = str(exc) if version.openapi is None else (
                f"CRD {version.crd_name} version {version.version}: {exc}")
            self.findings.append(broken_finding(doc, msg, where))
            validator = jsonschema_rs.validator_for({})
        self._compiled[gvk] = CompiledSchema(validator, label, version.openapi)
        return self._compiled[gvk]
