"""HCL2 (`.tf`, `.tfvars`) via python-hcl2, as one document per file for policies.

The document has conftest's shape for HCL2 input (hcl2json's), so conftest policies keep
working: a block's type and labels become nested keys and its body the item of a list
(`resource "aws_s3_bucket" "logs" {...}` -> `input.resource.aws_s3_bucket.logs[0]`,
`terraform { required_providers {...} }` -> `input.terraform[0].required_providers[0]`);
blocks that share type and labels add items in source order (two `ingress {}` blocks ->
`ingress: [{...}, {...}]`); string values are plain strings and any other expression is
kept as `${expression}`. No schema applies.
Every block, attribute, object key and list item is located at its own line.
"""
from __future__ import annotations

from pathlib import PurePath

from gitops_guard.load.base import (
    INVALID_SYNTAX,
    LIMIT_EXCEEDED,
    LoadLimits,
    LoadResult,
    decode_text,
    load_finding,
)
from gitops_guard.model import Document, Finding

SUFFIXES = (".tf", ".tfvars")


def load_hcl(data: bytes, path: str, limits: LoadLimits) -> LoadResult:
    """A `.tf` or `.tfvars` file -> one Document (source_format "hcl") or a GG0xx finding."""
    result = LoadResult()
    if len(data) > limits.max_hcl_bytes:  # python-hcl2 is slow and hungry: see LoadLimits
        result.findings.append(load_finding(
            LIMIT_EXCEEDED, f"HCL file is {len(data):,} bytes, over the "
            f"{limits.max_hcl_bytes:,}-byte limit for one HCL file (load_limits.max_hcl_bytes)"
            "; not loaded", path, 1, 1))
        return result
    text = decode_text(data, path, limits)
    if not isinstance(text, str):
        result.findings.append(text)
        return result
    from gitops_guard.load.hcl_tree import parse_hcl  # python-hcl2 only when needed

    value, positions, findings = parse_hcl(text, path)
    result.findings.extend(findings)
    if not any(f.rule_id == INVALID_SYNTAX for f in findings):
        result.documents.append(Document(path, 0, value, positions, 1, "hcl"))
    return result


class HclBudget:
    """The HCL one run may parse (load_limits.max_hcl_run_bytes), spent file by file in
    the order given, cache hits included, so a warm cache gives the same verdict."""

    def __init__(self, limits: LoadLimits) -> None:
        self.limits = limits
        self.left = limits.max_hcl_run_bytes

    def spend(self, data: bytes, path: str) -> bytes | Finding:
        """`data` when it may be parsed, else the GG004 finding that says why not."""
        if PurePath(path).suffix.lower() not in SUFFIXES or len(data) > self.limits.max_hcl_bytes:
            return data  # not HCL, or refused by load_hcl on its own
        if len(data) > self.left:
            return load_finding(
                LIMIT_EXCEEDED, f"not loaded: the run's HCL budget "
                f"(load_limits.max_hcl_run_bytes: {self.limits.max_hcl_run_bytes:,} bytes) is "
                "spent by the HCL files before it; check fewer at once or raise it",
                path, 1, 1)
        self.left -= len(data)
        return data
