"""Finding ids of the API-server stage and the collector each rule family writes to."""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from gitops_guard.model import Document, FieldPath, Finding, Severity, format_path
from gitops_guard.validate.apiserver.gates import enabled

BAD_NAME = "GG230"  # metadata.name / namespace / generateName and other object names
BAD_LABEL = "GG231"  # label and annotation keys and values, selectors
BAD_QUANTITY = "GG232"  # Quantity grammar, sign, requests <= limits
BAD_VALUE = "GG233"  # closed value sets and ranges the OpenAPI leaves open
DUPLICATE = "GG234"  # keyed lists: containers, ports, volumes; CRD list-type set/map
BAD_REFERENCE = "GG235"  # inside one object: mounts to volumes, selector to labels, handlers
CEL_RULE = "GG236"  # a CRD x-kubernetes-validations rule is false
NOT_EVALUATED = "GG237"  # a CEL rule that could not be evaluated offline, with why
ADMISSION_DENIED = "GG238"  # a ValidatingAdmissionPolicy in the repo denies the resource
BAD_FORMAT = "GG239"  # a CRD schema `format` (date-time, uuid, ...) not met

SOURCE = "apiserver"
_SECRET_KINDS = frozenset({"Secret"})


def show(value: Any) -> str:
    """A value as the API server quotes it, cut short."""
    text = json.dumps(value, default=str)
    return text if len(text) <= 70 else text[:67] + "..."


@dataclass
class Issues:
    """Findings for one document; every rule appends, none stops at the first."""

    doc: Document
    found: list[Finding] = field(default_factory=list)
    version: tuple[int, int] = (1, 99)  # the target Kubernetes version: rules that changed
    gates: dict[str, bool] = field(default_factory=dict)  # config apiserver.feature_gates

    def since(self, major: int, minor: int) -> bool:
        return self.version >= (major, minor)

    def gate(self, name: str) -> bool:
        """A feature gate as the target cluster has it (gates.py)."""
        return enabled(name, self.version, self.gates)

    def add(self, rule: str, path: FieldPath, message: str,
            severity: Severity = Severity.ERROR, at: FieldPath | None = None) -> None:
        """`at` locates the finding elsewhere than `path` (a map key's own line)."""
        shown = format_path(path) or "(document)"
        self.found.append(Finding(
            rule, severity, f"{shown}: {message}", self.doc.locate(at if at is not None
                                                                   else path),
            self.doc.resource, SOURCE, self.doc.env, format_path(path)))

    def invalid(self, rule: str, path: FieldPath, value: Any, reasons: Sequence[str]) -> None:
        if reasons:
            secret = self.doc.resource is not None and self.doc.resource.kind in _SECRET_KINDS
            shown = "<redacted>" if secret and rule != BAD_NAME else show(value)
            self.add(rule, path, f"Invalid value: {shown}: {'; '.join(reasons)}")

    def unsupported(self, path: FieldPath, value: Any, allowed: tuple[str, ...]) -> None:
        if isinstance(value, str) and value not in allowed:  # other types: the schema's
            choices = ", ".join(f'"{v}"' for v in allowed)
            self.add(BAD_VALUE, path,
                     f"Unsupported value: {show(value)}: supported values: {choices}")
