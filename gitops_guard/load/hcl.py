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

from gitops_guard.load.base import (
    INVALID_SYNTAX,
    LIMIT_EXCEEDED,
    LoadLimits,
    LoadResult,
    decode_text,
    load_finding,
)
from gitops_guard.model import Document

# python-hcl2 parses about 60 KB/s; past this a file would hold the check for minutes.
MAX_HCL_BYTES = 2 * 1024 * 1024


def load_hcl(data: bytes, path: str, limits: LoadLimits) -> LoadResult:
    """A `.tf` or `.tfvars` file -> one Document (source_format "hcl") or a GG0xx finding."""
    result = LoadResult()
    if len(data) > MAX_HCL_BYTES:
        result.findings.append(load_finding(
            LIMIT_EXCEEDED, f"HCL file is {len(data):,} bytes, over the {MAX_HCL_BYTES:,}-byte "
            "limit for HCL; not loaded", path))
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
