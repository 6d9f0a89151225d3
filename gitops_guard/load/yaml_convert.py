"""Node tree to plain values, bounded, with the document's position index.

Plain documents go through the one-pass conversion of yaml_fast.py; anything unusual
(duplicate keys, merge keys, aliases, a limit hit) through `Converter`'s careful one,
which bounds depth and alias expansion (`LimitExceeded`), reports duplicate keys, keeps
timestamps as strings (as Kubernetes does) and accepts the `=` value tag. Positions go
into the compact index of yaml_index.py.
"""
from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from gitops_guard.load.base import DUPLICATE_KEY, MAX_DUPLICATE_FINDINGS, LoadLimits, load_finding
from gitops_guard.load.yaml_fast import FastConversion, Unusual
from gitops_guard.load.yaml_index import IndexBuilder, YamlPositions, pack_mark
from gitops_guard.load.yaml_loader import (
    BOOL_TAG,
    FLOAT_TAG,
    INT_TAG,
    MERGE_TAG,
    NULL_TAG,
    STR_TAG,
)
from gitops_guard.model import Finding


def _shown(key: str) -> str:
    """A key for a message: a complex key (`? [..]`) can be megabytes of text."""
    return repr(key) if len(key) <= 80 else repr(key[:77]) + "..."


class LimitExceeded(Exception):
    def __init__(self, message: str, node: Node) -> None:
        super().__init__(message)
        self.node = node


class Converter:
    """Node tree to plain Python values (bounded) and the document's position index."""

    def __init__(self, path: str, limits: LoadLimits) -> None:
        self.path = path
        self.limits = limits
        self.findings: list[Finding] = []
        self.duplicates = 0
        self._memo: dict[int, tuple[Any, int, int]] = {}
        self._index = IndexBuilder()
        self._ctor = yaml.constructor.SafeConstructor()

    def convert(self, node: Node) -> tuple[Any, YamlPositions]:
        fast = FastConversion(self._scalar, self.limits.max_depth)
        try:
            value = fast.run(node)
            if fast.nodes <= self.limits.max_expanded_nodes:
                return value, YamlPositions(pack_mark(node), *fast.arrays())
        except (Unusual, RecursionError):
            pass  # the careful conversion below does it, and reports what it finds
        # Fresh per document: the previous tree is freed, so its ids may be reused.
        self._memo, self._index = {}, IndexBuilder()
        value = self._convert(node, 0)[0]
        positions = self._index.positions(node)
        self._memo, self._index = {}, IndexBuilder()
        return value, positions

    def _convert(self, node: Node, depth: int) -> tuple[Any, int, int]:
        """(value, expanded size, container number or -1 for a scalar)."""
        if type(node) is ScalarNode:
            return self._scalar(node), 1, -1
        memo = self._memo.get(id(node))
        if memo is not None:  # an alias: shared value, but its size counts again
            return memo
        if depth > self.limits.max_depth:
            raise LimitExceeded(f"nesting deeper than {self.limits.max_depth} levels", node)
        result: tuple[Any, int, int]
        if isinstance(node, MappingNode):
            result = self._mapping(node, depth)
        elif isinstance(node, SequenceNode):
            number, first = self._index.open(node)
            child = self._index.child
            items, size = [], 1
            for offset, item in enumerate(node.value):
                if type(item) is ScalarNode:  # most items: no call, no tuple
                    items.append(item.value if item.tag == STR_TAG else self._scalar(item))
                    size += 1
                    continue
                value, child_size, container = self._convert(item, depth + 1)
                if container >= 0:
                    child[first + offset] = container
                items.append(value)
                size += child_size
            result = (items, size, number)
        else:  # pragma: no cover - PyYAML has only three node kinds
            result = (None, 1, -1)
        if result[1] > self.limits.max_expanded_nodes:
            raise LimitExceeded(
                f"alias expansion exceeds {self.limits.max_expanded_nodes:,} nodes "
                "(a YAML alias bomb?)", node)
        self._memo[id(node)] = result
        return result

    def _mapping(self, node: MappingNode, depth: int) -> tuple[dict[str, Any], int, int]:
        number, first = self._index.open(node)
        child = self._index.child
        out: dict[str, Any] = {}
        key_nodes: dict[str, Node] = {}  # for duplicates: where the first one was
        merged: dict[str, Any] = {}
        size = 1
        for offset, (key_node, value_node) in enumerate(node.value):
            if type(key_node) is ScalarNode and type(value_node) is ScalarNode and (
                    key_node.tag == STR_TAG):  # most entries, `key: scalar`: the fast path
                key = key_node.value
                size += 1
                if size > self.limits.max_expanded_nodes:  # the same check as below
                    raise LimitExceeded(
                        f"alias expansion exceeds {self.limits.max_expanded_nodes:,} nodes "
                        "(a YAML alias bomb?)", key_node)
                if key in key_nodes:
                    self._duplicate(key, key_node, key_nodes[key])
                key_nodes[key] = key_node
                out[key] = (value_node.value if value_node.tag == STR_TAG
                            else self._scalar(value_node))
                size += 1
                continue
            if key_node.tag == MERGE_TAG:
                value, child_size, container = self._convert(value_node, depth + 1)
                if container >= 0:
                    child[first + offset] = container
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
                raise LimitExceeded(
                    f"alias expansion exceeds {self.limits.max_expanded_nodes:,} nodes "
                    "(a YAML alias bomb?)", key_node)
            if key in key_nodes:
                self._duplicate(key, key_node, key_nodes[key])
            key_nodes[key] = key_node
            value, child_size, container = self._convert(value_node, depth + 1)
            if container >= 0:
                child[first + offset] = container
            out[key] = value
            size += child_size
        for k, v in merged.items():
            out.setdefault(k, v)
        return out, size, number

    def _duplicate(self, key: str, node: Node, earlier: Node) -> None:
        self.duplicates += 1
        if self.duplicates > MAX_DUPLICATE_FINDINGS:  # cap_duplicates summarises the rest
            return
        mark = node.start_mark
        self.findings.append(load_finding(
            DUPLICATE_KEY,
            f"duplicate key {_shown(key)} (first at line {earlier.start_mark.line + 1}); "
            "Kubernetes silently keeps the last value",
            self.path, mark.line + 1, mark.column + 1))

    def _key(self, node: Node, depth: int) -> tuple[str, int]:
        if isinstance(node, ScalarNode):
            # The raw text: `on:` stays "on" and `80:` stays "80", as JSON needs string keys.
            return str(node.value), 1
        value, size, _ = self._convert(node, depth)
        return str(value), size

    def _scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag == STR_TAG:
            return node.value
        if tag == NULL_TAG:
            return None
        if tag == BOOL_TAG:
            return self._ctor.construct_yaml_bool(node)
        if tag == INT_TAG:
            return self._ctor.construct_yaml_int(node)
        if tag == FLOAT_TAG:
            return self._ctor.construct_yaml_float(node)
        # timestamps, binary, `=` (tag:yaml.org,2002:value) and custom tags: keep the text.
        return node.value
