"""Turns one parsed value into Documents: skips empties, expands `*List` kinds."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from gitops_guard.load.base import INCOMPLETE_OBJECT, NOT_AN_OBJECT, load_finding
from gitops_guard.load.datafiles import is_data_document
from gitops_guard.model import Document, Finding, PathElem, Positions, Severity

N = TypeVar("N")


class SubPositions:
    """Positions of a sub-tree (a List item) expressed through its parent's."""

    __slots__ = ("_parent", "_prefix")

    def __init__(self, parent: Positions, prefix: tuple[PathElem, ...]) -> None:
        self._parent, self._prefix = parent, prefix

    def locate(self, path: Sequence[PathElem]) -> tuple[int, int]:
        return self._parent.locate(self._prefix + tuple(path))

    def state(self) -> tuple[Positions, tuple[PathElem, ...]]:
        return self._parent, self._prefix


_TYPE_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "a boolean"}


def _looks_like_resource(value: Any) -> bool:
    return isinstance(value, dict) and "apiVersion" in value and "kind" in value


def _incomplete(value: dict[str, Any]) -> str | None:
    """Why a mapping is half a Kubernetes object (GG006), if it is."""
    has_api, has_kind = "apiVersion" in value, "kind" in value
    if has_api != has_kind:
        return (f"has {'apiVersion' if has_api else 'kind'} but no "
                f"{'kind' if has_api else 'apiVersion'}")
    if has_api:
        empty = [k for k in ("apiVersion", "kind") if value[k] is None or value[k] == ""]
        if empty and len(empty) < 2:
            return f"has `{empty[0]}:` with no value"
    return None


def documents_from_value(
    value: Any, node: N, make_positions: Callable[[N], Positions], path: str, index: int,
    source_format: str, findings: list[Finding],
) -> list[Document]:
    if value is None:  # an empty document (`---` followed by nothing, or only comments)
        return []
    positions = make_positions(node)
    line = positions.locate(())[0]
    doc = Document(path, index, value, positions, line, source_format)
    if isinstance(value, list):
        if value and all(_looks_like_resource(v) for v in value):
            findings.append(load_finding(
                NOT_AN_OBJECT,
                f"document {index + 1} is a YAML list of resources; Kubernetes cannot apply it. "
                "Separate them with `---` or wrap them in `kind: List`",
                path, line, 1))
        return [doc]  # other lists are data for policies and custom schemas
    if not isinstance(value, dict):
        findings.append(load_finding(
            NOT_AN_OBJECT,
            f"document {index + 1} is {_TYPE_NAMES.get(type(value), 'a')} scalar, "
            "not a mapping; "
            "it is not a Kubernetes object (broken indentation?)",
            path, line, 1, Severity.WARNING))
        return []
    incomplete = _incomplete(value)
    if incomplete and not is_data_document(path, value):
        findings.append(load_finding(
            INCOMPLETE_OBJECT, f"document {index + 1} {incomplete}", path, line, 1))
        return [doc]
    items = value.get("items")
    kind = value.get("kind")
    if isinstance(kind, str) and kind.endswith("List") and isinstance(items, list):
        return [
            Document(path, index, item, sub, sub.locate(())[0], source_format)
            for i, item in enumerate(items)
            if isinstance(item, dict)
            for sub in (SubPositions(positions, ("items", i)),)
        ]
    return [doc]
