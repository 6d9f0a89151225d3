"""Duplicate anchors, accepted as Go's yaml.v3 (kubectl, kustomize, Flux) accepts them.

libyaml's composer (C) refuses a document that defines the same `&anchor` twice; yaml.v3
takes it, each alias meaning the latest definition before it. Such files are rare, so
load/yaml.py parses with libyaml first and only on that refusal parses the file again
with this loader: libyaml's parser for the events, PyYAML's Python composer for the tree,
with a redefined anchor replacing the earlier one instead of raising.
"""
from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import Composer, ComposerError
from yaml.events import AliasEvent
from yaml.nodes import Node


def is_duplicate_anchor(exc: yaml.MarkedYAMLError) -> bool:
    return isinstance(exc, ComposerError) and "duplicate anchor" in (exc.context or "")


class AnchorsRedefined(Composer):
    """Mixed in before a libyaml loader class: its Python composer replaces the C one."""

    anchors: dict[Any, Node]

    def __init__(self, stream: str) -> None:
        # Composer.__init__ takes no stream: start the loader class after it in the MRO.
        super(Composer, self).__init__(stream)  # type: ignore[call-arg]
        self.anchors = {}

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[attr-defined]
        if not isinstance(event, AliasEvent) and event.anchor is not None:
            self.anchors.pop(event.anchor, None)  # the later definition wins, as in yaml.v3
        node: Node | None = super().compose_node(parent, index)
        return node
