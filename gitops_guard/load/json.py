"""JSON documents. Parsed with the stdlib; positions are found lazily by composing the
same text with libyaml (JSON is YAML's flow syntax) only when a finding needs them."""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from gitops_guard.load.base import (
    DUPLICATE_KEY,
    INVALID_SYNTAX,
    LoadLimits,
    LoadResult,
    cap_duplicates,
    decode_text,
    load_finding,
)
from gitops_guard.load.kube import documents_from_value
from gitops_guard.load.tfplan import is_terraform_plan, plan_document
from gitops_guard.model import Finding, PathElem


class LazyJsonPositions:
    """Composes the file with libyaml on first use; falls back to line 1."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._tree: Any = None
        self._failed = False

    @property
    def text(self) -> str:
        return self._text

    def locate(self, path: Sequence[PathElem]) -> tuple[int, int]:
        if not path:
            # The document itself starts at the first non-blank character: no need to
            # compose the whole file (every JSON load asks for this one).
            start = len(self._text) - len(self._text.lstrip(" \t\r\n"))
            if start >= len(self._text):
                return 1, 1
            line = self._text.count("\n", 0, start) + 1
            return line, start - (self._text.rfind("\n", 0, start) + 1) + 1
        from gitops_guard.load.yaml_index import index_tree
        from gitops_guard.load.yaml_loader import Loader

        if self._tree is None and not self._failed:
            loader = Loader(self._text)
            try:
                node = loader.get_single_node()
                if node is None:
                    raise ValueError("empty")
                self._tree = index_tree(node)
            except Exception:  # libyaml rejects some valid JSON (tabs); keep line 1
                self._failed = True
            finally:
                loader.dispose()
        if self._tree is None:
            return 1, 1
        line, col = self._tree.locate(path)
        return (line, col)


def _pairs_hook(dups: list[str]) -> Any:
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                dups.append(key)
            out[key] = value
        return out
    return hook


def load_json(data: bytes, path: str, limits: LoadLimits) -> LoadResult:
    result = LoadResult()
    text = decode_text(data, path, limits)
    if not isinstance(text, str):
        result.findings.append(text)
        return result
    dups: list[str] = []
    try:
        value = json.loads(text, object_pairs_hook=_pairs_hook(dups))
    except json.JSONDecodeError as exc:
        result.findings.append(load_finding(
            INVALID_SYNTAX, f"invalid JSON: {exc.msg}", path, exc.lineno, exc.colno))
        return result
    except RecursionError:
        result.findings.append(load_finding(
            INVALID_SYNTAX, "invalid JSON: nested too deeply", path, 1, 1))
        return result
    positions = LazyJsonPositions(text)
    findings: list[Finding] = result.findings
    for key in dups:
        findings.append(load_finding(
            DUPLICATE_KEY, f"duplicate key {key!r}; the last value wins", path, 1, 1))
    if is_terraform_plan(value):  # `terraform show -json`: one document, never Kubernetes
        result.documents.append(plan_document(value, positions, path))
        result.findings = cap_duplicates(findings, path)
        return result
    result.documents.extend(
        documents_from_value(value, positions, lambda p: p, path, 0, "json", findings))
    result.findings = cap_duplicates(findings, path)
    return result
