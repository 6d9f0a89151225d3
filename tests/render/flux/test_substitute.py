"""postBuild substitution of one built resource, as kustomize-controller does it."""
from __future__ import annotations

from typing import Any

import pytest

from gitops_guard.render.flux.envsubst_parse import SubstitutionError
from gitops_guard.render.flux.substitute import (
    DISABLE_KEY,
    check_names,
    clean_value,
    substitute,
)


def deployment(**meta: Any) -> dict[str, Any]:
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "${app}", **meta},
            "spec": {"replicas": "${replicas}", "template": {"metadata": {"labels": {
                "tier": "${tier:=web}"}}}}}


def test_substitutes_the_yaml_text_so_numbers_become_numbers() -> None:
    out = substitute(deployment(), {"app": "shop", "replicas": "3"})
    assert out["metadata"]["name"] == "shop"
    assert out["spec"]["replicas"] == 3
    assert out["spec"]["template"]["metadata"]["labels"]["tier"] == "web"


@pytest.mark.parametrize("where", ["labels", "annotations"])
def test_a_resource_marked_disabled_is_left_alone(where: str) -> None:
    data = deployment(**{where: {DISABLE_KEY: "disabled"}})
    assert substitute(data, {"app": "shop"}) is data


def test_a_multi_line_value_keeps_its_lines() -> None:
    data = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},
            "data": {"script": "echo ${who}\nexit 0\n"}}
    assert substitute(data, {"who": "me"})["data"]["script"] == "echo me\nexit 0\n"


@pytest.mark.parametrize("data", [None, "text", ["a"], {"kind": "ConfigMap", "data": {"a": "b"}}])
def test_anything_without_a_variable_comes_back_unchanged(data: Any) -> None:
    assert substitute(data, {"a": "x"}) is data


@pytest.mark.parametrize(("text", "why"), [
    ("${bad-default}", "missing closing brace"),
    ("${v}", "not valid YAML"),  # the value breaks the document
])
def test_fails_where_flux_fails_the_build(text: str, why: str) -> None:
    with pytest.raises(SubstitutionError, match=why):
        substitute({"apiVersion": "v1", "kind": "ConfigMap", "data": {"k": text}},
                   {"v": "x\n  : - ["})


def test_values_lose_their_newlines() -> None:
    assert clean_value("a\nb\n") == "ab"
    assert clean_value(3) == "3"


@pytest.mark.parametrize(("name", "ok"), [
    ("cluster_name", True), ("_x1", True), ("X", True),
    ("1st", False), ("my-var", False), ("a.b", False), ("", False)])
def test_variable_names_must_be_shell_identifiers(name: str, ok: bool) -> None:
    if ok:
        check_names({name: "v"})
    else:
        with pytest.raises(SubstitutionError, match="var name is invalid"):
            check_names({name: "v"})
