"""The engine interface (engine.py): the query every engine answers, rule references, and
results read from whole package documents (OPA's Data API)."""
from __future__ import annotations

import json
from typing import Any

import pytest
import regorus

from gitops_guard.evaluate.rego.engine import (
    PolicySet,
    batch_query,
    data_ref,
    from_package_documents,
    members,
    uses_conftest_file,
)
from gitops_guard.evaluate.rego.source import parse_module

POLICY = """package main
import rego.v1
deny contains msg if { input.kind == "Pod"; msg := "pod" }
warn contains "named" if input.metadata.name
violation contains {"msg": "file", "f": data.conftest.file.name} if data.conftest.file
"""


def _answer(query: str, inputs: Any) -> Any:
    engine = regorus.Engine()
    engine.add_policy("p.rego", POLICY)
    engine.set_input_json(json.dumps(inputs))
    result = json.loads(engine.eval_query_as_json(query))
    return result["result"][0]["expressions"][0]["value"]


def test_batch_query_answers_each_input_by_index() -> None:
    inputs = [{"kind": "Pod", "metadata": {"name": "a"}}, {"kind": "Service"}]
    answer = _answer(batch_query({"main": ("deny", "warn")}), inputs)
    assert answer == [[0, {"main": {"deny": ["pod"], "warn": ["named"]}}],
                      [1, {"main": {"deny": [], "warn": []}}]]


def test_batch_query_with_files_sets_data_conftest_file() -> None:
    inputs = [[{"kind": "Pod"}, {"name": "pod.yaml", "dir": "."}]]
    answer = _answer(batch_query({"main": ("violation",)}, with_files=True), inputs)
    assert answer == [[0, {"main": {"violation": [{"msg": "file", "f": "pod.yaml"}]}}]]


@pytest.mark.parametrize(("package", "rule", "ref"), [
    ("main", "deny", "data.main.deny"),
    ("acme.pods", "", "data.acme.pods"),
    ("acme.my-team", "warn_x", 'data.acme["my-team"].warn_x'),
    ("k8s", "deny-1", 'data.k8s["deny-1"]'),
])
def test_data_ref_quotes_segments_that_are_not_names(package: str, rule: str,
                                                     ref: str) -> None:
    assert data_ref(package, rule) == ref


@pytest.mark.parametrize(("value", "items"), [
    (["a", "b"], ["a", "b"]), ({"k": "v"}, ["v"]), (True, []), (None, []),
])
def test_members_of_a_rule_value(value: Any, items: list[Any]) -> None:
    assert members(value) == items


def test_from_package_documents_reads_target_rules() -> None:
    docs = {"main": {"deny": ["x"], "warn": {"k": "y"}, "other": 1}, "lib": "not a doc"}
    assert from_package_documents(docs, {"main": ("deny", "warn", "violation"),
                                         "lib": ("deny",)}) == {
        "main": {"deny": ["x"], "warn": ["y"], "violation": []}, "lib": {"deny": []}}


@pytest.mark.parametrize(("text", "uses"), [
    (POLICY, True), ("package main\ndeny contains 1 if data.conftests\n", False),
])
def test_uses_conftest_file(text: str, uses: bool) -> None:
    assert uses_conftest_file(PolicySet((parse_module("p.rego", text),))) is uses
