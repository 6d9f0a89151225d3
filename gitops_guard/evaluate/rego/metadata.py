"""OPA METADATA annotations (`# METADATA` YAML comment blocks), parsed from source text.

regorus does not expose annotations, so each block is read here and attached to the
package or rule that follows it, as OPA does.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from gitops_guard.evaluate.rego.errors import RegoSyntaxError


@dataclass(frozen=True)
class Annotation:
    """The parts of one METADATA block gitops-guard uses."""

    scope: str = "rule"  # rule | document | package | subpackages
    title: str = ""
    description: str = ""
    rule_id: str = ""  # custom.id
    severity: str = ""  # custom.severity, as written (config rego_severities maps it)
    doc_url: str = ""  # first related_resources ref
    custom: Mapping[str, Any] = field(default_factory=dict, hash=False)
    line: int = 0  # line of the `# METADATA` marker


def parse_annotation(lines: list[str], file: str, line: int) -> Annotation:
    """`lines` are the comment lines after `# METADATA`, with their `#` still on."""
    body = "\n".join(_uncomment(text) for text in lines)
    try:
        raw = yaml.safe_load(body) if body.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = line + 1 + (mark.line if mark is not None else 0)
        raise RegoSyntaxError(file, at, 1, f"METADATA block is not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise RegoSyntaxError(file, line, 1, "METADATA block must be a YAML mapping")
    custom = raw.get("custom") if isinstance(raw.get("custom"), dict) else {}
    assert isinstance(custom, dict)
    severity = str(custom["severity"]).strip() if custom.get("severity") is not None else ""
    return Annotation(
        scope=str(raw.get("scope") or "rule"),
        title=str(raw.get("title") or ""),
        description=str(raw.get("description") or ""),
        rule_id=str(custom.get("id") or ""),
        severity=severity,
        doc_url=_first_ref(raw.get("related_resources")),
        custom=custom,
        line=line,
    )


def _uncomment(text: str) -> str:
    text = text.lstrip()[1:]  # the leading '#'
    return text[1:] if text.startswith(" ") else text


def _first_ref(resources: Any) -> str:
    if not isinstance(resources, list):
        return ""
    for item in resources:
        if isinstance(item, str):
            return item
        if isinstance(item, dict) and isinstance(item.get("ref"), str):
            return str(item["ref"])
    return ""
