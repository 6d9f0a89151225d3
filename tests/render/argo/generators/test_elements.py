"""render/argo/generators/elements.py: the list generator's parameter sets."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gitops_guard.render.argo.generators.elements import list_elements
from gitops_guard.render.argo.generators.params import Context, Unexpandable


def context(go: bool = False) -> Context:
    return Context(Path("."), go, (), (), False, lambda url: True, lambda: [])


@pytest.mark.parametrize(("spec", "go", "expected"), [
    ({"elements": [{"cluster": "east", "url": "https://e"}]}, False,
     [{"cluster": "east", "url": "https://e"}]),
    ({"elements": [{"cluster": "east", "values": {"tier": "gold"}}]}, False,
     [{"cluster": "east", "values.tier": "gold"}]),  # values flattened for fasttemplate
    ({"elements": [{"replicas": 3, "labels": {"a": "b"}}]}, True,
     [{"replicas": 3, "labels": {"a": "b"}}]),  # goTemplate keeps any value
    ({"elementsYaml": "- {cluster: west}\n- not a mapping\n"}, False, [{"cluster": "west"}]),
    ({}, False, []),
])
def test_list_elements(spec: dict[str, Any], go: bool, expected: list[dict[str, Any]]) -> None:
    assert list_elements(spec, context(go)) == expected


@pytest.mark.parametrize(("spec", "says"), [
    ({"elements": ["east"]}, "an element is not a mapping"),
    ({"elements": [{"replicas": 3}]}, "element key 'replicas' is not a string"),
    ({"elementsYaml": "cluster: west\n"}, "elementsYaml is not a list"),
])
def test_what_argo_cd_refuses_is_unexpandable(spec: dict[str, Any], says: str) -> None:
    with pytest.raises(Unexpandable, match=says):
        list_elements(spec, context())
