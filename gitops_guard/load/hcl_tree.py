"""python-hcl2's rule tree -> conftest-shaped value plus the position of every element.

python-hcl2 8.x does not put line numbers in its dict output, but its rule tree
keeps Lark's positions; walking it builds the document and the positions of every
block, attribute, object key and list item together. Imported lazily by load/hcl.py
(python-hcl2 and Lark take ~0.1 s to import and build), so YAML-only runs never pay.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import hcl2
from hcl2.rules.base import AttributeRule, BlockRule, BodyRule
from hcl2.rules.containers import ObjectRule, TupleRule
from hcl2.rules.expressions import ExprTermRule
from lark.exceptions import (
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
    VisitError,
)

from gitops_guard.load.base import DUPLICATE_KEY, INVALID_SYNTAX, load_finding
from gitops_guard.model import Finding, PathElem

_OPTIONS = hcl2.SerializationOptions(
    with_comments=False, explicit_blocks=False, strip_string_quotes=True,
    preserve_heredocs=False)


class PosNode:
    """One located element and its located children, mirroring the document's shape."""

    __slots__ = ("children", "column", "line")

    def __init__(self, line: int, column: int) -> None:
        self.line, self.column = line, column
        self.children: dict[PathElem, PosNode] = {}


class HclPositions:
    """Locates a field path at the deepest block, attribute, key or item it reaches."""

    __slots__ = ("_root",)

    def __init__(self, root: PosNode) -> None:
        self._root = root

    def locate(self, path: Sequence[PathElem]) -> tuple[int, int]:
        here = self._root
        for elem in path:
            nxt = here.children.get(elem)
            if nxt is None:
                break
            here = nxt
        return here.line, here.column


def _where(rule: Any, parent: PosNode) -> PosNode:
    meta = getattr(rule, "_meta", None)
    line = getattr(meta, "line", None)
    column = getattr(meta, "column", None)
    if isinstance(line, int) and isinstance(column, int):
        return PosNode(line, column)
    return PosNode(parent.line, parent.column)


class _Builder:
    """Builds the conftest-shaped value and its positions from python-hcl2's rule tree."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.findings: list[Finding] = []

    def body(self, body: BodyRule, node: PosNode) -> dict[str, Any]:
        out: dict[str, Any] = {}
        attributes: set[str] = set()
        for child in body.children:
            if isinstance(child, AttributeRule):
                name = str(child.identifier.serialize(_OPTIONS))
                where = _where(child, node)
                if name in attributes:
                    self.findings.append(load_finding(
                        DUPLICATE_KEY, f"attribute {name!r} is defined twice in this body; "
                        "Terraform rejects it (Attribute redefined)",
                        self.path, where.line, where.column))
                attributes.add(name)
                out[name] = child.expression.serialize(_OPTIONS)
                self._expression(child.expression, where)
                node.children[name] = where
            elif isinstance(child, BlockRule):
                self._block(child, out, node)
        return out

    def _block(self, block: BlockRule, out: dict[str, Any], node: PosNode) -> None:
        where = _where(block, node)
        keys = [str(label.serialize(_OPTIONS)) for label in block.labels]
        value = self.body(block.body, where)
        container, pos = out, node
        for key in keys[:-1]:
            inner = container.setdefault(key, {})
            if not isinstance(inner, dict):
                self.findings.append(load_finding(
                    DUPLICATE_KEY, f"block {' '.join(keys)!r} clashes with the attribute "
                    f"{key!r} defined before it", self.path, where.line, where.column))
                return
            container = inner
            pos = pos.children.setdefault(key, PosNode(where.line, where.column))
        last = keys[-1]
        if last not in container:  # hcl2json: every block body is an item of a list
            container[last] = [value]
            listed = PosNode(where.line, where.column)
            listed.children = {0: where}
            pos.children[last] = listed
            return
        current = container[last]
        if isinstance(current, list) and last in pos.children and 0 in pos.children[last].children:
            current.append(value)
            pos.children[last].children[len(current) - 1] = where
            return
        self.findings.append(load_finding(
            DUPLICATE_KEY, f"block {' '.join(keys)!r} clashes with the attribute {last!r} "
            "defined before it", self.path, where.line, where.column))

    def _expression(self, expr: Any, node: PosNode) -> None:
        """Positions of object keys and list items inside an attribute's value."""
        while isinstance(expr, ExprTermRule):
            expr = expr.expression
        if isinstance(expr, ObjectRule):
            for elem in expr.elements:
                key = elem.key.serialize(_OPTIONS)
                child = _where(elem, node)
                node.children[str(key)] = child
                self._expression(elem.expression, child)
        elif isinstance(expr, TupleRule):
            for i, item in enumerate(expr.elements):
                child = _where(item, node)
                node.children[i] = child
                self._expression(item, child)


def _syntax_message(exc: UnexpectedInput) -> str:
    if isinstance(exc, UnexpectedEOF) or (
            isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
        return "invalid HCL: unexpected end of file (unclosed block or bracket?)"
    if isinstance(exc, UnexpectedToken):
        text = str(exc.token.value).splitlines()[0] if str(exc.token.value).strip() else ""
        shown = text.strip()[:40]
        return f"invalid HCL: unexpected {shown!r}" if shown else "invalid HCL: unexpected token"
    if isinstance(exc, UnexpectedCharacters):
        return f"invalid HCL: unexpected character {exc.char!r}"
    return "invalid HCL"


def parse_hcl(text: str, path: str) -> tuple[dict[str, Any], HclPositions, list[Finding]]:
    """(conftest-shaped value, positions, findings); a syntax error is one GG001 finding
    with an empty value."""
    root = PosNode(1, 1)
    builder = _Builder(path)
    try:
        tree = hcl2.parses(text, discard_comments=True)
        value = builder.body(tree.body, root)
    except UnexpectedInput as exc:
        line, column = getattr(exc, "line", 0), getattr(exc, "column", 0)
        return {}, HclPositions(root), [load_finding(
            INVALID_SYNTAX, _syntax_message(exc), path,
            line if isinstance(line, int) and line > 0 else 0,
            column if isinstance(column, int) and column > 0 else 0)]
    except (RecursionError, VisitError, RuntimeError, ValueError) as exc:
        # VisitError wraps what python-hcl2's tree transformer raised (depth, escapes)
        cause = exc.orig_exc if isinstance(exc, VisitError) else exc
        message = ("nested too deeply" if isinstance(cause, RecursionError)
                   else str(cause).splitlines()[0] if str(cause) else type(cause).__name__)
        return {}, HclPositions(root), [load_finding(
            INVALID_SYNTAX, f"invalid HCL: {message}", path, 1, 1)]
    return value, HclPositions(root), builder.findings
