"""Property tests for every loader: any bytes in, only a well-formed LoadResult out.

`load_bytes` picks the loader from the file name, as `check` does, so each strategy is
run through the names that reach the YAML, JSON (and Terraform plan) and HCL loaders.
"""
from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gitops_guard.load import load_bytes
from tests.hardening.fuzz import (
    FUZZ,
    alias_bombs,
    encoded,
    hcl_texts,
    json_texts,
    terraform_plans,
    yaml_texts,
)
from tests.hardening.properties import assert_well_formed

ALL_NAMES = ["x.yaml", "x.json", "main.tf", "prod.tfvars"]


def _load(data: bytes, name: str) -> None:
    assert_well_formed(data, name, load_bytes(data, name))


@pytest.mark.parametrize("name", ALL_NAMES)
@FUZZ
@given(data=st.binary(max_size=4096))
def test_fuzz_arbitrary_bytes(name: str, data: bytes) -> None:
    _load(data, name)


@pytest.mark.parametrize("name", ALL_NAMES)
@FUZZ
@given(data=st.text(max_size=2048).flatmap(encoded))
def test_fuzz_arbitrary_text(name: str, data: bytes) -> None:
    _load(data, name)


@pytest.mark.parametrize("name", ["x.yaml", "x.json"])
@FUZZ
@given(data=yaml_texts().flatmap(encoded))
def test_fuzz_structured_yaml(name: str, data: bytes) -> None:
    _load(data, name)


@FUZZ
@given(data=alias_bombs().map(str.encode))
def test_fuzz_alias_bombs(data: bytes) -> None:
    result = load_bytes(data, "bomb.yaml")
    assert_well_formed(data, "bomb.yaml", result)


@FUZZ
@given(data=json_texts().flatmap(encoded))
def test_fuzz_structured_json(data: bytes) -> None:
    _load(data, "x.json")


@FUZZ
@given(plan=terraform_plans())
def test_fuzz_terraform_plan_json(plan: dict[str, object]) -> None:
    data = json.dumps(plan, indent=2).encode()
    result = load_bytes(data, "plan.json")
    assert_well_formed(data, "plan.json", result)
    # A plan is recognised by shape and is one document that no Kubernetes rule sees.
    assert [d.source_format for d in result.documents] == ["tfplan"]


@pytest.mark.parametrize("name", ["main.tf", "prod.tfvars"])
@FUZZ
@given(data=hcl_texts().flatmap(encoded))
def test_fuzz_structured_hcl(name: str, data: bytes) -> None:
    _load(data, name)
