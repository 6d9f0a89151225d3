"""Multi-document YAML at libyaml speed, keeping the position of every key and item.

libyaml composes the node tree (C); this module converts nodes to plain values
itself so it can bound depth and alias expansion, report duplicate keys, keep
timestamps as strings (as Kubernetes does) and accept the `=` value tag.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from gitops_guard.load.base import (
    DUPLICATE_KEY,
    INVALID_SYNTAX,
    LIMIT_EXCEEDED,
    MAX_DUPLICATE_FINDINGS,
    LoadLimits,
    LoadResult,
    cap_duplicates,
    decode_text,
    load_finding,
)
from gitops_guard.load.kube import documents_from_value
from gitops_guard.model import Finding, PathElem

try:
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

_TAG = "tag:yaml.org,2002:"
_STR, _NULL, _BOOL, _INT, _FLOAT = (_TAG + t for t in ("str", "null", "bool", "int", "float"))
_MERGE = _TAG + "merge"
YAML11_BOOLEAN_WORDS = frozenset(
    w for word in ("yes", "no", "on", "off", "y", "n")
    for w in (word, word.capitalize(), word.upper())
)


def _shown(key: str) -> str:
    """A key for a message: a complex key (`? [..]`) can be megabytes of text."""
    return repr(key) if len(key) <= 80 else repr(key[:77]) + "..."


class _LimitExceeded(Exception):
    def __init__(self, message: str, node: Node) -> None:
        super().__init__(message)
        self.node = node


class YamlPositions:
    """Locates field paths by walking the composed node tree."""

    __slots__ = ("_root",)

    def __init__(self, root: Node) -> None:
        self._root = root

    def node_at(self, path: Sequence[PathElem]) -> tuple[Node, Node | None]:
        """The deepest (key node or item node, value node) reached along `path`."""
        here: Node = self._root
        anchor: Node = self._root
        for elem in path:
            nxt: tuple[Node, Node] | None = None
            if isinstance(here, MappingNode):
                for key, value in here.value:
                    if isinstance(key, ScalarNode) and key.value == str(elem):
                        nxt = (key, value)
            elif (isinstance(here, SequenceNode) and isinstance(elem, int)
                  and 0 <= elem < len(here.value)):
                item = here.value[elem]
                nxt = (item, item)
            if nxt is None:
                return anchor, None
            anchor, here = nxt
        return anchor, here

    def locate(self, path: Sequence[PathElem]) -> tuple[int, int]:
        anchor, _ = self.node_at(path)
        mark = anchor.start_mark
        return mark.line + 1, mark.column + 1


class _Converter:
    """Node tree to plain Python values, bounded."""

    def __init__(self, path: str, limits: LoadLimits) -> None:
        self.path = path
        self.limits = limits
        self.findings: list[Finding] = []
        self.duplicates = 0
        self._memo: dict[int, tuple[Any, int]] = {}
        self._ctor = yaml.constructor.SafeConstructor()

    def convert(self, node: Node) -> Any:
        return self._convert(node, 0)[0]

    def _convert(self, node: Node, depth: int) -> tuple[Any, int]:
        if type(node) is ScalarNode:
            return self._scalar(node), 1
        memo = self._memo.get(id(node))
        if memo is not None:  # an alias: shared value, but its size counts again
            return memo
        if depth > self.limits.max_depth:
            raise _LimitExceeded(f"nesting deeper than {self.limits.max_depth} levels", node)
        result: tuple[Any, int]
        if isinstance(node, MappingNode):
            result = self._mapping(node, depth)
        elif isinstance(node, SequenceNode):
            items, size = [], 1
            for child in node.value:
                value, child_size = self._convert(child, depth + 1)
                items.append(value)
                size += child_size
            result = (items, size)
        else:  # pragma: no cover - PyYAML has only three node kinds
            result = (None, 1)
        if result[1] > self.limits.max_expanded_nodes:
            raise _LimitExceeded(
                f"alias expansion exceeds {self.limits.max_expanded_nodes:,} nodes "
                "(a YAML alias bomb?)", node)
        self._memo[id(node)] = result
        return result

    def _mapping(self, node: MappingNode, depth: int) -> tuple[dict[str, Any], int]:
        out: dict[str, Any] = {}
        key_lines: dict[str, int] = {}
        merged: dict[str, Any] = {}
        size = 1
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                value, child_size = self._convert(value_node, depth + 1)
                size += child_size
                for source in value if isinstance(value, list) else [value]:
                    if isinstance(source, dict):
                        for k, v in source.items():
                            merged.setdefault(k, v)
                continue
            key, key_size = self._key(key_node, depth + 1)
            size += key_size
            if size > self.limits.max_expanded_nodes:
                # Checked before the next key: a complex key (`? *anchor`) costs its whole
                # expansion to turn into text, so a file of many such keys would otherwise
                # take minutes and gigabytes while each key stays under the limit.
                raise _LimitExceeded(
                    f"alias expansion exceeds {self.limits.max_expanded_nodes:,} nodes "
                    "(a YAML alias bomb?)", key_node)
            if key in key_lines:
                self.duplicates += 1
                if self.duplicates > MAX_DUPLICATE_FINDINGS:  # cap_duplicates summarises
                    key_lines[key] = key_node.start_mark.line + 1
                    value, child_size = self._convert(value_node, depth + 1)
                    out[key] = value
                    size += child_size
                    continue
                mark = key_node.start_mark
                self.findings.append(load_finding(
                    DUPLICATE_KEY,
                    f"duplicate key {_shown(key)} (first at line {key_lines[key]}); "
                    "Kubernetes silently keeps the last value",
                    self.path, mark.line + 1, mark.column + 1))
            key_lines[key] = key_node.start_mark.line + 1
            value, child_size = self._convert(value_node, depth + 1)
            out[key] = value
            size += child_size
        for k, v in merged.items():
            out.setdefault(k, v)
        return out, size

    def _key(self, node: Node, depth: int) -> tuple[str, int]:
        if isinstance(node, ScalarNode):
            # The raw text: `on:` stays "on" and `80:` stays "80", as JSON needs string keys.
            return str(node.value), 1
        value, size = self._convert(node, depth)
        return str(value), size

    def _scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return self._ctor.construct_yaml_bool(node)
        if tag == _INT:
            return self._ctor.construct_yaml_int(node)
        if tag == _FLOAT:
            return self._ctor.construct_yaml_float(node)
        # timestamps, binary, `=` (tag:yaml.org,2002:value) and custom tags: keep the text.
        return node.value


def load_yaml(data: bytes, path: str, limits: LoadLimits) -> LoadResult:
    result = LoadResult()
    text = decode_text(data, path, limits)
    if not isinstance(text, str):
        result.findings.append(text)
        return result
    loader = _Loader(text)
    converter = _Converter(path, limits)
    index = 0
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                break
            if index >= limits.max_documents:
                result.findings.append(load_finding(
                    LIMIT_EXCEEDED, f"more than {limits.max_documents:,} documents; the rest "
                    "were not loaded", path, node.start_mark.line + 1, 1))
                break
            try:
                value = converter.convert(node)
            except _LimitExceeded as exc:
                mark = exc.node.start_mark
                result.findings.append(load_finding(
                    LIMIT_EXCEEDED, f"document {index + 1}: {exc}; not loaded", path,
                    mark.line + 1, mark.column + 1))
                index += 1
                continue
            except RecursionError:
                mark = node.start_mark
                result.findings.append(load_finding(
                    LIMIT_EXCEEDED, f"document {index + 1}: nested too deeply; not loaded",
                    path, mark.line + 1, mark.column + 1))
                index += 1
                continue
            result.documents.extend(documents_from_value(
                value, node, YamlPositions, path, index, "yaml", result.findings))
            index += 1
    except yaml.MarkedYAMLError as exc:
        result.findings.append(syntax_finding(exc, path, text))
    except yaml.reader.ReaderError as exc:
        # A control character past the first 8 KiB that decode_text scans for NULs: the
        # error has only a character offset, so locate it here (it used to be line 0).
        result.findings.append(reader_finding(exc, path, text))
    except yaml.YAMLError as exc:  # other errors without a mark
        result.findings.append(load_finding(INVALID_SYNTAX, f"invalid YAML: {exc}", path))
    finally:
        loader.dispose()
    result.findings.extend(converter.findings)
    result.findings = cap_duplicates(result.findings, path, converter.duplicates)
    return result


def syntax_finding(exc: yaml.MarkedYAMLError, path: str, text: str) -> Finding:
    mark = exc.problem_mark or exc.context_mark
    parts = [p for p in (exc.context, exc.problem) if p]
    message = "; ".join(parts) or "invalid YAML"
    if mark is not None and text[mark.index:mark.index + 1] == "\t":
        message += " (a tab: YAML does not allow tabs for indentation)"
    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    return load_finding(INVALID_SYNTAX, f"invalid YAML: {message}", path, line, col)


def reader_finding(exc: yaml.reader.ReaderError, path: str, text: str) -> Finding:
    offset = min(max(exc.position, 0), len(text))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or " ")
    return load_finding(
        INVALID_SYNTAX, f"invalid YAML: unacceptable character U+{char:04X}: {exc.reason}",
        path, line, column)
