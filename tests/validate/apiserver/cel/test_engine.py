"""The offline CEL engine: compiled once per expression, errors named, never a crash."""
from __future__ import annotations

import pytest

from gitops_guard.validate.apiserver.cel.engine import CelEngine, CelError

ENGINE = CelEngine()


def test_malformed_input_is_an_evaluation_error_not_a_crash() -> None:
    assert "1.5.5Gi" in ENGINE.evaluate("quantity(self).sign()", {"self": "1.5.5Gi"}).error


def test_unknown_functions_do_not_compile_and_are_cached() -> None:
    for _ in range(2):
        with pytest.raises(CelError, match="undeclared reference to 'jsonpatch'"):
            ENGINE.compile("jsonpatch.escapeKey(self) == ''")


def test_library_members_do_not_apply_to_plain_values() -> None:
    with pytest.raises(CelError, match="no matching overload for 'sign'"):
        ENGINE.compile("'1'.sign() == 1")
    assert "no such overload" in ENGINE.evaluate("self.sign()", {"self": {"a": "1"}}).error
