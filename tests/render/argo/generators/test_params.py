"""render/argo/generators/params.py: values, interpolation and flattening of parameters."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gitops_guard.render.argo.generators.params import (
    Context,
    Unexpandable,
    add_values,
    flatten,
    flatten_value,
    interpolate,
)


def context(go: bool = False) -> Context:
    return Context(Path("."), go, (), (), False, lambda url: True, lambda: [])


@pytest.mark.parametrize(("go", "expected"), [
    (False, {"cluster": "east", "values.env": "east-prod"}),
    (True, {"cluster": "east", "values": {"env": "east-prod"}}),
])
def test_values_are_rendered_with_the_parameters(go: bool, expected: dict[str, Any]) -> None:
    text = "{{.cluster}}-prod" if go else "{{cluster}}-prod"
    assert add_values({"values": {"env": text}}, {"cluster": "east"}, context(go)) == expected


def test_no_values_leave_the_parameters_as_they_are() -> None:
    params = {"cluster": "east"}
    assert add_values({}, params, context()) is params


def test_a_nested_generator_is_interpolated_with_the_outer_parameters() -> None:
    spec = {"git": {"repoURL": "https://{{host}}/fleet.git", "files": [{"path": "{{dir}}/*"}]},
            "{{key}}": 3}
    assert interpolate(spec, {"host": "example.org", "dir": "apps", "key": "k"},
                       context()) == {"git": {"repoURL": "https://example.org/fleet.git",
                                              "files": [{"path": "apps/*"}]}, "k": 3}


def test_go_template_values_missing_a_key_wait_for_the_inner_generator() -> None:
    spec = {"list": {}, "values": {"a": "{{.outer}}", "b": "{{.inner}}"}}
    assert interpolate(spec, {"outer": "x"}, context(go=True))["values"] == {
        "a": "x", "b": "{{.inner}}"}


def test_a_bad_template_is_unexpandable() -> None:
    with pytest.raises(Unexpandable, match="template"):
        interpolate({"path": "{{ .a | nosuchfunc }}"}, {"a": "1"}, context(go=True))


@pytest.mark.parametrize(("value", "expected"), [
    ({"a": {"b": 1, "c": [True, "x"]}}, {"a.b": 1, "a.c.0": True, "a.c.1": "x"}),
    ({"empty": {}, "none": []}, {"empty": {}, "none": []}),  # empty containers stay leaves
    ({}, {}),
])
def test_flatten_value(value: Any, expected: dict[str, Any]) -> None:
    assert flatten_value(value) == expected


def test_flatten_prints_values_as_go_does() -> None:
    assert flatten({"replicas": 3, "on": True, "name": "web"}) == {
        "replicas": "3", "on": "true", "name": "web"}
