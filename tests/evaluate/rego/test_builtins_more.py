"""object.subset's stand-in (builtins_more.py), called from a policy."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import RunCli

# object.subset as OPA 1.20 answers it (measured on OPA itself); the empty-array cases
# made regorus panic ("window size must be non-zero")
SUBSET = """package main
import rego.v1
test_empty_array_in_array if object.subset([1, 2], [])
test_empty_array_in_field if object.subset({"a": [1, 2], "b": 1}, {"a": []})
test_nested_empty if object.subset({"a": {"b": []}, "c": [3]}, {"a": {"b": []}, "c": [3]})
test_contiguous if object.subset({"a": [1, 2, 3], "x": []}, {"a": [2, 3], "x": []})
test_not_contiguous if not object.subset({"a": [1, 2, 3]}, {"a": [1, 3], "x": []})
test_nested_set_is_not_array if not object.subset({"a": [1, 3], "b": []}, {"a": {1, 3}, "b": []})
test_number_kinds if object.subset({"a": 1, "b": [[]]}, {"a": 1.0, "b": []})
test_true_is_not_one if not object.subset({"a": true, "b": [1]}, {"a": 1, "b": []})
test_missing_key if not object.subset({"a": []}, {"a": [], "z": null})
test_without_empty_array if object.subset({"a": {1, 2}, "b": [1, 2]}, {"a": {1}, "b": [2]})
"""


def test_object_subset_answers_as_opa(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "t.rego").write_text(SUBSET)
    result = run_cli("verify", "-p", str(tmp_path))
    assert "10 tests, 10 passed" in result.out, result.out + result.err
