"""Multi-document YAML at libyaml speed, keeping the position of every key and item.

libyaml composes the node tree (C); this module converts nodes to plain values
itself so it can bound depth and alias expansion, report duplicate keys, keep
timestamps as strings (as Kubernetes does) and accept the `=` value tag. Plain
documents go through the one-pass conversion of yaml_fast.py; positions go into the
compact index of yaml_index.py.
"""
from __future__ import annotations

import operator
from functools import lru_cache
from typing import Any, TypeVar

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
from gitops_guard.load.yaml_anchors import AnchorsRedefined, is_duplicate_anchor
from gitops_guard.load.yaml_budget import Budget, TooLarge, may_expand
from gitops_guard.load.yaml_errors import reader_finding, syntax_finding
from gitops_guard.load.yaml_fast import FastConversion, Unusual
from gitops_guard.load.yaml_index import IndexBuilder, YamlPositions, pack_mark
from gitops_guard.model import Finding

_TAG = "tag:yaml.org,2002:"
_STR, _NULL, _BOOL, _INT, _FLOAT = (_TAG + t for t in ("str", "null", "bool", "int", "float"))

try:
    _Base: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Base = yaml.SafeLoader

_MAP_TAG = "tag:yaml.org,2002:map"
# First characters of the plain scalars that an implicit resolver (bool, int, float, null,
# timestamp, merge, value) may match; any other plain scalar is a string.
_RESOLVED_FIRST = frozenset(k for k in _Base.yaml_implicit_resolvers if k)
_SEQ_TAG = "tag:yaml.org,2002:seq"


_PLAIN_RESOLVER = yaml.resolver.Resolver()  # the safe loader's: no path resolvers


@lru_cache(maxsize=1 << 16)
def _plain_tag(value: str) -> str:
    """The tag YAML 1.1's implicit types give a plain scalar (regexes: bool, int, float,
    null, timestamp, ...). Cached for the whole run: manifests repeat the same values."""
    tag: str = _PLAIN_RESOLVER.resolve(  # type: ignore[no-untyped-call]
        ScalarNode, value, (True, False))
    return tag


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """The safe loader with a faster tag resolver (libyaml calls it once per node).

    The safe loader has no path resolvers, so the plain-scalar regexes alone decide a
    tag, once per distinct text in a run (_plain_tag).
    """

    # No path resolvers: the bookkeeping libyaml asks for around every collection node has
    # nothing to do. C builtins that take the same arguments and ignore them cost less than
    # Python methods (builtins are not bound to the instance): ~4% of composing.
    descend_resolver = operator.is_
    ascend_resolver = tuple

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            # Quoted, or starting with a character no implicit type starts with (most
            # names, images, paths): a string, with no regex to try.
            if not implicit[0] or (value and value[0] not in _RESOLVED_FIRST):
                return _STR
            return _plain_tag(value)
        return _SEQ_TAG if kind is SequenceNode else _MAP_TAG

_MERGE = _TAG + "merge"
YAML11_BOOLEAN_WORDS = frozenset(
    w for word in ("yes", "no", "on", "off", "y", "n")
    for w in (word, word.capitalize(), word.upper())
)


def _shown(key: str) -> str:
    """A key for a message: a complex key (`? [..]`) can be megabytes of text."""
    return repr(key) if len(key) <= 80 else repr(key[:77]) + "..."


_T = TypeVar("_T")


def _same(value: _T) -> _T:
    return value


class _LimitExceeded(Exception):
    def __init__(self, message: str, node: Node) -> None:
        super().__init__(message)
        self.node = node


class _Converter:
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
            raise _LimitExceeded(f"nesting deeper than {self.limits.max_depth} levels", node)
        result: tuple[Any, int, int]
        if isinstance(node, MappingNode):
            result = self._mapping(node, depth)
        elif isinstance(node, SequenceNode):
            number, first = self._index.open(node)
            child = self._index.child
            items, size = [], 1
            for offset, item in enumerate(node.value):
                if type(item) is ScalarNode:  # most items: no call, no tuple
                    items.append(item.value if item.tag == _STR else self._scalar(item))
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
            raise _LimitExceeded(
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
                    key_node.tag == _STR):  # most entries, `key: scalar`: the fast path
                key = key_node.value
                size += 1
                if size > self.limits.max_expanded_nodes:  # the same check as below
                    raise _LimitExceeded(
                        f"alias expansion exceeds {self.limits.max_expanded_nodes:,} nodes "
                        "(a YAML alias bomb?)", key_node)
                if key in key_nodes:
                    self._duplicate(key, key_node, key_nodes[key])
                key_nodes[key] = key_node
                out[key] = (value_node.value if value_node.tag == _STR
                            else self._scalar(value_node))
                size += 1
                continue
            if key_node.tag == _MERGE:
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
                raise _LimitExceeded(
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


class _AnchorsRedefinedLoader(AnchorsRedefined, _Loader):
    """The fallback for files that define an anchor twice (see load/yaml_anchors.py)."""


def load_yaml(data: bytes, path: str, limits: LoadLimits) -> LoadResult:
    text = decode_text(data, path, limits)
    if not isinstance(text, str):
        return LoadResult(findings=[text])
    try:
        return _load_text(text, path, limits, _Loader)
    except _DuplicateAnchor:
        try:
            return _load_text(text, path, limits, _AnchorsRedefinedLoader)
        except RecursionError:  # the Python composer recurses per level; libyaml's does not
            return LoadResult(findings=[load_finding(
                LIMIT_EXCEEDED, "nested too deeply to load in a file that redefines an "
                "anchor; not loaded", path, 1, 1)])


class _DuplicateAnchor(Exception):
    """libyaml refused an anchor defined twice: parse again with the Python composer."""


def _load_text(text: str, path: str, limits: LoadLimits, loader_type: type[_Loader],
               ) -> LoadResult:
    result = LoadResult()
    loader = loader_type(text)
    converter = _Converter(path, limits)
    budget = Budget(limits, count_nodes=False) if may_expand(text) else None
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
                value, positions = converter.convert(node)  # nodes bounded (shared values)
                if budget is not None:  # then bytes, as each later stage expands them
                    budget.spend(node)
            except (_LimitExceeded, TooLarge) as exc:
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
            del node  # only the compact index outlives the document's node tree
            result.documents.extend(documents_from_value(
                value, positions, _same, path, index, "yaml", result.findings))
            index += 1
    except yaml.MarkedYAMLError as exc:
        if loader_type is _Loader and is_duplicate_anchor(exc):
            raise _DuplicateAnchor from None
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
