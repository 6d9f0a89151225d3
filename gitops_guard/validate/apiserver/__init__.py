"""What the API server would reject that a JSON Schema cannot say, checked offline.

Runs after the schema stage, on the same documents:
- Kubernetes' own validation of ObjectMeta and of the built-in kinds (kinds.py, meta.py,
  pods.py, with the string formats in formats.py);
- custom resources against the CRDs among the inputs, or from a schema location
  (located.py): CEL rules, list types, formats (crd_rules.py, structural.py, with the CEL
  engine in cel/);
- ValidatingAdmissionPolicies and their bindings among the inputs or in the policy paths
  (admission.py, admission_sources.py).
Every error of a resource is reported, each at its field. Kustomize build config and
strategic-merge patches are skipped: a patch is a partial object.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

from gitops_guard.model import Document, Finding
from gitops_guard.validate.apiserver.admission import AdmissionCheck
from gitops_guard.validate.apiserver.admission_sources import policy_documents
from gitops_guard.validate.apiserver.cel.engine import CelEngine
from gitops_guard.validate.apiserver.crd_rules import (
    CrdWalk,
    RuleStats,
    crd_index,
    transition_notes,
)
from gitops_guard.validate.apiserver.kinds import validate_kind
from gitops_guard.validate.apiserver.located import located_crds
from gitops_guard.validate.apiserver.report import Issues
from gitops_guard.validate.crd import is_crd
from gitops_guard.validate.options import SchemaOptions
from gitops_guard.validate.patches import is_build_config, patch_paths

# Groups without a dot that are Kubernetes' own; any other dotless apiVersion
# (skaffold/v4, kind's config) belongs to a local tool and is never sent to a cluster.
BUILTIN_DOTLESS = frozenset({"", "apps", "batch", "policy", "autoscaling", "extensions"})
_NOT_OBJECTS = frozenset({("", "List"), ("", "Config")})


@cache
def shared_engine() -> CelEngine:
    """One CEL engine a process: programs compiled for one run serve the next."""
    return CelEngine()


def is_served(doc: Document) -> bool:
    """A document the API server would be asked to store."""
    key = doc.resource
    if key is None or is_build_config(doc):
        return False
    group = key.group
    return (group in BUILTIN_DOTLESS or "." in group) and (group, key.kind) not in _NOT_OBJECTS


def validate_apiserver(documents: Sequence[Document], options: SchemaOptions,
                       root: Path | None = None) -> list[Finding]:
    findings: list[Finding] = []
    major, _, minor = options.kubernetes_version.partition(".")
    version = (int(major), int(minor)) if major.isdigit() and minor.isdigit() else (1, 99)
    gates = dict(options.feature_gates)
    patches = patch_paths(documents, root)
    crds = crd_index(list(documents))
    crds.update(located_crds(documents, crds, options, root))
    stats = RuleStats()
    admission = AdmissionCheck(
        [*documents, *policy_documents(options.admission_paths)], shared_engine(),
        _plurals(documents)) if options.admission_policies else None
    for doc in documents:
        if doc.path in patches or not is_served(doc):
            continue
        key = doc.resource
        assert key is not None
        issues = Issues(doc, version=version, gates=gates)
        validate_kind(issues, doc.data, key.group, key.kind)
        crd = crds.get((key.api_version, key.kind))
        if crd is not None:
            CrdWalk(issues, crd, shared_engine(), stats, options.apiserver_cel).run(doc.data)
        findings.extend(issues.found)
        if admission is not None:
            findings.extend(admission.check(doc))
    return findings + transition_notes(stats, crds)


def _plurals(documents: Sequence[Document]) -> dict[str, str]:
    """Kind -> resource name, from the CRDs among the inputs (spec.names.plural)."""
    out: dict[str, str] = {}
    for doc in documents:
        if is_crd(doc.data):
            names = (doc.data.get("spec") or {}).get("names")
            if isinstance(names, dict) and isinstance(names.get("kind"), str) and isinstance(
                    names.get("plural"), str):
                out.setdefault(names["kind"], names["plural"])
    return out
