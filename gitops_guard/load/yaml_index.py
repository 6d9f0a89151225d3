"""Where every key and item of a YAML document starts: a compact index, kept instead of
the node tree (a few hundred bytes per node, ~4.5x the data) once a document is loaded.
"""
from __future__ import annotations

from array import array
from collections.abc import Sequence

from yaml.nodes import Node, ScalarNode, SequenceNode

from gitops_guard.model import PathElem

_SHIFT = 32  # a mark packs (line << 32) | column: one 8-byte array slot per key or item
_LOW = (1 << _SHIFT) - 1


def pack_mark(node: Node) -> int:
    mark = node.start_mark
    return (mark.line << _SHIFT) | mark.column


class YamlPositions:
    """Where every mapping key and sequence item of one document starts.

    A flat index built while the node tree is converted, so the tree itself (a few
    hundred bytes per node, ~4.5x the data) is freed right after each document: the
    entries of container `c` are `first[c] .. first[c] + abs(count[c])` (count < 0 for
    a sequence); each entry has its packed mark, its key (None for items and complex
    keys) and the container its value is (-1 for a scalar).
    """

    __slots__ = ("_child", "_count", "_first", "_keys", "_marks", "_root")

    def __init__(self, root: int, first: array[int], count: array[int], marks: array[int],
                 keys: Sequence[str | None], child: array[int]) -> None:
        self._root = root  # packed mark of the document node; container 0 unless scalar
        self._first, self._count = first, count
        self._marks, self._keys, self._child = marks, keys, child

    def state(self) -> tuple[int, array[int], array[int], array[int], Sequence[str | None],
                             array[int]]:
        """What the index is made of (load/codec.py stores it)."""
        return (self._root, self._first, self._count, self._marks, self._keys, self._child)

    def _entry(self, container: int, elem: PathElem) -> int:
        """The entry `elem` selects in `container`, or -1. Like Kubernetes, the last of
        duplicate keys wins."""
        first, count = self._first[container], self._count[container]
        if count < 0:
            if isinstance(elem, int) and 0 <= elem < -count:
                return first + elem
            return -1
        want, keys = str(elem), self._keys
        for entry in range(first + count - 1, first - 1, -1):
            if keys[entry] == want:
                return entry
        return -1

    def locate(self, path: Sequence[PathElem]) -> tuple[int, int]:
        """The deepest key or item reached along `path` (the document when none is)."""
        mark = self._root
        container = 0 if self._first else -1
        for elem in path:
            if container < 0:
                break
            entry = self._entry(container, elem)
            if entry < 0:
                break
            mark, container = self._marks[entry], self._child[entry]
        return (mark >> _SHIFT) + 1, (mark & _LOW) + 1


class IndexBuilder:
    """Collects one document's position index (see YamlPositions)."""

    __slots__ = ("child", "count", "first", "keys", "marks")

    def __init__(self) -> None:
        self.first: array[int] = array("q")
        self.count: array[int] = array("q")
        self.marks: array[int] = array("Q")
        self.keys: list[str | None] = []
        self.child: array[int] = array("q")

    def open(self, node: Node) -> tuple[int, int]:
        """Registers a container and its entries: (container number, first entry)."""
        number, first, entries = len(self.first), len(self.marks), node.value
        self.first.append(first)
        if type(node) is SequenceNode:
            self.count.append(-len(entries))
            self.marks.extend([(item.start_mark.line << _SHIFT) | item.start_mark.column
                               for item in entries])
            self.keys.extend([None] * len(entries))
        else:
            self.count.append(len(entries))
            self.marks.extend([(key.start_mark.line << _SHIFT) | key.start_mark.column
                               for key, _ in entries])
            self.keys.extend([key.value if type(key) is ScalarNode else None
                              for key, _ in entries])
        self.child.extend([-1] * len(entries))
        return number, first

    def positions(self, root: Node) -> YamlPositions:
        return YamlPositions(pack_mark(root), self.first, self.count, self.marks,
                             tuple(self.keys), self.child)


def index_tree(root: Node) -> YamlPositions:
    """The position index of a composed tree, without converting it (JSON's lazy
    positions). Iterative: json.loads accepts deeper nesting than Python recursion."""
    builder = IndexBuilder()
    seen: dict[int, int] = {}
    if type(root) is ScalarNode:
        return builder.positions(root)
    seen[id(root)] = builder.open(root)[0]
    stack = [root]
    while stack:
        node = stack.pop()
        first = builder.first[seen[id(node)]]
        values = node.value if type(node) is SequenceNode else [v for _, v in node.value]
        for offset, value in enumerate(values):
            if type(value) is ScalarNode:
                continue
            known = seen.get(id(value))
            if known is None:
                known = seen[id(value)] = builder.open(value)[0]
                stack.append(value)
            builder.child[first + offset] = known
    return builder.positions(root)
