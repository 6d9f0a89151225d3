"""The default schema engine: jsonschema-rs over Kubernetes, CRD and schema-dir sources."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from gitops_guard.model import Document, Finding, ResourceKey, Severity
from gitops_guard.secrets_shape import without_sops_metadata
from gitops_guard.validate.apiserver.structural import apply_defaults
from gitops_guard.validate.bundled import BundledSchemas
from gitops_guard.validate.errors import MISSING_FIELD, schema_findings
from gitops_guard.validate.kubernetes import (
    KubernetesSchemas,
    kubernetes_schemas,
    shipped_versions,
)
from gitops_guard.validate.options import SchemaOptions
from gitops_guard.validate.patches import is_build_config, patch_paths, without_directives
from gitops_guard.validate.source import CompiledSchema, SchemaSource

MISSING_SCHEMA = "GG210"


def _missing_finding(
    doc: Document, key: ResourceKey, k8s: KubernetesSchemas, options: SchemaOptions,
    bundled: BundledSchemas | None,
) -> Finding:
    served = k8s.served_as(key.kind)
    shipped = bundled.served(key.api_version, key.kind) if bundled else []
    newer = _first_serving(key, k8s)
    hint = ""
    if newer:
        hint = (f"; Kubernetes {newer} serves {key.api_version}: set kubernetes_version "
                "(or --kubernetes-version) to the cluster's")
    elif served:
        hint = f"; Kubernetes {k8s.version} serves {key.kind} as {', '.join(served)}"
    elif shipped:
        hint = (f"; the bundled CRD serves it as {', '.join(shipped)}: add the CRD of the "
                "controller version you run to the inputs or --schema-location")
    else:
        hint = "; add its CRD to the inputs or --schema-location"
    severity = Severity.ERROR if options.missing_schemas == "reject" else Severity.WARNING
    return Finding(
        MISSING_SCHEMA, severity,
        f"no schema for {key.kind} {key.api_version}{hint}",
        doc.locate(("kind",)), key, "schema", doc.env, "kind")


def _first_serving(key: ResourceKey, k8s: KubernetesSchemas) -> str | None:
    """The first shipped Kubernetes version after the target that serves this kind."""
    later = [v for v in shipped_versions()
             if tuple(map(int, v.split("."))) > tuple(map(int, k8s.version.split(".")))]
    if not later or kubernetes_schemas(later[-1], k8s.strict).lookup(
            key.api_version, key.kind) is None:
        return None
    return next(v for v in later
                if kubernetes_schemas(v, k8s.strict).lookup(key.api_version, key.kind))


def validate_builtin(
    documents: Sequence[Document], sources: Sequence[SchemaSource], options: SchemaOptions,
    k8s: KubernetesSchemas, root: Path | None = None, bundled: BundledSchemas | None = None,
) -> list[Finding]:
    findings: list[Finding] = []
    missing_seen: set[tuple[str, str]] = set()
    cache: dict[tuple[str, str], CompiledSchema | None] = {}
    patches = patch_paths(documents, root)
    for doc in documents:
        key = doc.resource
        if key is None or is_build_config(doc):
            continue
        gvk = (key.api_version, key.kind)
        if gvk not in cache:
            cache[gvk] = next(
                (s for s in (src.lookup(*gvk) for src in sources) if s is not None), None)
        schema = cache[gvk]
        if schema is None:
            if options.missing_schemas == "ignore":
                continue
            if options.missing_schemas == "reject" or gvk not in missing_seen:
                findings.append(_missing_finding(doc, key, k8s, options, bundled))
            missing_seen.add(gvk)
            continue
        validator = schema.validator
        patch = doc.path in patches
        data = without_sops_metadata(without_directives(doc.data) if patch else doc.data)
        if validator.is_valid(data):
            continue
        if schema.defaults is not None:  # a CRD's defaults first, as the API server does
            data = apply_defaults(schema.defaults, data)
            if validator.is_valid(data):
                continue
        found = schema_findings(validator.iter_errors(data), doc, schema.label, Severity.ERROR)
        if patch:  # required fields come from the patched resource
            found = [f for f in found if f.rule_id != MISSING_FIELD]
        findings.extend(found)
    return findings


