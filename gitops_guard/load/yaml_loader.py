"""The libyaml loader with YAML 1.1's tags, resolved fast, and yaml.v3's redefined anchors.

`Loader` composes the node tree in C and gives each node the tag the safe loader would
(YAML 1.1 implicit types: bool, int, float, null, timestamp, merge, value), once per
distinct plain text in a run. `AnchorsRedefinedLoader` is the fallback for files that
define an anchor twice, as Go's yaml.v3 accepts them (see load/yaml_anchors.py).
load/yaml_convert.py turns the tree into values; load/yaml.py drives both.
"""
from __future__ import annotations

import operator
from functools import lru_cache
from typing import Any

import yaml
from yaml.nodes import ScalarNode, SequenceNode

from gitops_guard.load.yaml_anchors import AnchorsRedefined

TAG = "tag:yaml.org,2002:"
STR_TAG, NULL_TAG, BOOL_TAG, INT_TAG, FLOAT_TAG = (
    TAG + t for t in ("str", "null", "bool", "int", "float"))

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


class Loader(_Base):  # type: ignore[valid-type,misc]
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
                return STR_TAG
            return _plain_tag(value)
        return _SEQ_TAG if kind is SequenceNode else _MAP_TAG

MERGE_TAG = TAG + "merge"
YAML11_BOOLEAN_WORDS = frozenset(
    w for word in ("yes", "no", "on", "off", "y", "n")
    for w in (word, word.capitalize(), word.upper())
)


class AnchorsRedefinedLoader(AnchorsRedefined, Loader):
    """The fallback for files that define an anchor twice (see load/yaml_anchors.py)."""
