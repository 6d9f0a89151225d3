"""The compact position index answers exactly as walking the PyYAML node tree did."""
from __future__ import annotations

from collections.abc import Sequence

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from gitops_guard.load.base import LoadLimits
from gitops_guard.load.yaml import load_yaml
from gitops_guard.load.yaml_index import index_tree
from gitops_guard.model import PathElem

TRICKY = """\
base: &base
  image: nginx
  ports: [80, 443]
svc:
  <<: *base
  name: web
  name: web2
  80: http
  ? [complex, key]
  : value
  list:
    - a
    - {b: 1, c: [x, y]}
    -
      - nested
    - *base
  empty: {}
  seq: []
"""

PATHS: list[tuple[PathElem, ...]] = [
    (), ("base",), ("base", "image"), ("base", "ports", 1), ("base", "ports", 2),
    ("svc",), ("svc", "name"), ("svc", 80), ("svc", "80"), ("svc", "<<"),
    ("svc", "<<", "image"), ("svc", "image"), ("svc", "list", 0), ("svc", "list", 1, "c", 1),
    ("svc", "list", 2, 0), ("svc", "list", 3, "ports", 0), ("svc", "list", -1),
    ("svc", "list", "0"), ("svc", "list", True), ("svc", "empty", "x"), ("svc", "seq", 0),
    ("svc", "complex"), ("nope", "deeper"), ("base", "image", "deeper"),
]


def _walk(root: Node, path: Sequence[PathElem]) -> tuple[int, int]:
    """The node walk the loader used before the index (kept here as the reference)."""
    here: Node = root
    anchor: Node = root
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
            break
        anchor, here = nxt
    return anchor.start_mark.line + 1, anchor.start_mark.column + 1


def test_index_matches_the_node_walk() -> None:
    root = yaml.compose(TRICKY, Loader=yaml.CSafeLoader)
    assert root is not None
    (doc,) = load_yaml(TRICKY.encode(), "t.yaml", LoadLimits()).documents
    tree = index_tree(root)
    for path in PATHS:
        expected = _walk(root, path)
        assert doc.positions.locate(path) == expected, path
        assert tree.locate(path) == expected, path


def test_scalar_and_flow_documents() -> None:
    for text in ("just text\n", "[1, [2, 3], {a: b}]\n", "{a: {b: [c]}}\n"):
        root = yaml.compose(text, Loader=yaml.CSafeLoader)
        assert root is not None
        tree = index_tree(root)
        for path in [(), (0,), (1, 1), (2, "a"), ("a", "b", 0), ("a",)]:
            assert tree.locate(path) == _walk(root, path), (text, path)
