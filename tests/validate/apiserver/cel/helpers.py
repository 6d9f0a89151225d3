"""The CEL tests' one check: an expression's value, or the error it is expected to name."""
from __future__ import annotations

from typing import Any

from gitops_guard.validate.apiserver import shared_engine


def evaluates_to(expression: str, self: Any, want: Any) -> None:
    """`expression` on `self` gives `want`; an expected error is named by its message."""
    result = shared_engine().evaluate(expression, {"self": self})
    if result.error:
        assert isinstance(want, str) and want in result.error, result.error
    else:
        assert result.value == want
