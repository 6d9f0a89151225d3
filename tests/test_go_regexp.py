"""go_regexp.py: patterns compiled as Go's regexp compiles them."""
from __future__ import annotations

import pytest

from gitops_guard.go_regexp import compile_go_regexp


@pytest.mark.parametrize(("pattern", "text", "found"), [
    (r"^\d+$", "123", True),
    (r"^\d+$", "١٢٣", False),  # Go's \d is ASCII, Python's re is not
    (r"\w+", "é", False),
    ("(?i)ABC", "xabcx", True),
])
def test_matches_as_go_does(pattern: str, text: str, found: bool) -> None:
    assert (compile_go_regexp(pattern).search(text) is not None) is found


@pytest.mark.parametrize("pattern", ["(", r"(?<=a)b", r"(a)\1"])  # no look-behind or backrefs
def test_what_go_refuses_is_a_value_error_with_its_reason(pattern: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        compile_go_regexp(pattern)


def test_a_memory_budget_refuses_a_pattern_too_large_for_it() -> None:
    assert compile_go_regexp(r"\pL{100}").search("x" * 100)  # RE2's default budget
    with pytest.raises(ValueError, match="pattern too large"):
        compile_go_regexp(r"\pL{100}", max_mem=1 << 16)
