"""Alias expansion bounded in bytes as well as in nodes.

An alias costs nothing to parse: the loaded value shares the anchored one. But every
stage after loading expands it: the render cache and the plan write JSON, Helm gets its
values as JSON, a diff prints each copy. One 8 MiB string aliased 100,000 times is 9.7 MB
of file, 100,000 nodes (under `max_expanded_nodes`) and 800 GB of text downstream.

`check_expanded_bytes` measures a composed node tree as every later stage would see it
expanded, the characters of each scalar counted once per appearance, in one pass over the
distinct nodes (a memo per node, no expansion), and raises `TooLarge` at the container
where the count passes the limit. load/yaml.py runs it on every document of a file that
has both an anchor and an alias (`&` and `*` in its text); other files cannot expand
beyond their own size, already bounded by `max_file_bytes`. The budget spans the file.

`safe_load_bounded` is `yaml.safe_load` with that check (and `max_expanded_nodes`), for
the few places that parse YAML a change wrote outside load/ (Argo generators, templates).
"""
from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from gitops_guard.load.base import LoadLimits


class TooLarge(yaml.YAMLError):
    """The expansion passed a limit at `node` (a container: its start is the location).
    A YAMLError, so a caller's handling of unparsable YAML refuses it the same way."""

    def __init__(self, message: str, node: Node) -> None:
        super().__init__(message)
        self.node = node


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


class Budget:
    """What a file may still expand to; `spend()` each document."""

    def __init__(self, limits: LoadLimits, count_nodes: bool = True) -> None:
        """`count_nodes=False`: bytes only (load/yaml_convert.py counts the nodes)."""
        self.limits = limits
        self.left_bytes = limits.max_expanded_bytes
        self.left_nodes = limits.max_expanded_nodes if count_nodes else 1 << 62

    def spend(self, root: Node) -> None:
        """Charge the expanded size of the tree at `root`; TooLarge when over."""
        total_bytes, total_nodes = self._measure(root)
        self.left_bytes -= total_bytes
        self.left_nodes -= total_nodes

    def _measure(self, root: Node) -> tuple[int, int]:
        if type(root) is ScalarNode:
            return len(root.value), 1
        sizes: dict[int, tuple[int, int]] = {}
        open_nodes: set[int] = set()  # an alias to an ancestor (a cycle) counts nothing
        stack: list[tuple[Node, bool]] = [(root, False)]
        while stack:
            node, children_done = stack.pop()
            key = id(node)
            if children_done:
                open_nodes.discard(key)
                sizes[key] = self._total(node, sizes)
                continue
            if key in sizes or key in open_nodes:
                continue
            open_nodes.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in _children(node)
                         if type(child) is not ScalarNode)
        return sizes[id(root)]

    def _total(self, node: Node, sizes: dict[int, tuple[int, int]]) -> tuple[int, int]:
        chars, nodes = 0, 1
        for child in _children(node):
            if type(child) is ScalarNode:
                chars += len(child.value)
                nodes += 1
            else:
                more_chars, more_nodes = sizes.get(id(child), (0, 1))
                chars += more_chars
                nodes += more_nodes
        if chars > self.left_bytes:
            raise TooLarge(
                f"alias expansion exceeds {self.limits.max_expanded_bytes:,} bytes of text "
                f"(load_limits.max_expanded_bytes; a YAML alias bomb?)", node)
        if nodes > self.left_nodes:
            raise TooLarge(
                f"alias expansion exceeds {self.limits.max_expanded_nodes:,} nodes "
                "(a YAML alias bomb?)", node)
        return chars, nodes


def may_expand(text: str | bytes) -> bool:
    """Only a file with an anchor and an alias can expand beyond its own size."""
    if isinstance(text, bytes):
        return b"&" in text and b"*" in text
    return "&" in text and "*" in text


_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load_bounded(text: str | bytes, limits: LoadLimits | None = None,
                      first: bool = False) -> Any:
    """yaml.safe_load, refusing (TooLarge) what expands past `limits` (default LoadLimits).
    `first`: the first document of a stream (sigs.k8s.io/yaml), not the only one."""
    loader = _LOADER(text)
    try:
        node = (loader.get_node() if loader.check_node() else None) if first \
            else loader.get_single_node()
        if node is None:
            return None
        if may_expand(text):
            Budget(limits or LoadLimits()).spend(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()
