from __future__ import annotations

import pytest

from gitops_guard.errors import GuardError, ToolMissingError


@pytest.mark.parametrize(("package", "wording"), [
    (False, "kubeconform is required but was not found on PATH; get it"),
    (True, "kubeconform is required but is not installed; get it"),
])
def test_tool_missing_names_where_it_was_looked_for(package: bool, wording: str) -> None:
    error = ToolMissingError("kubeconform", "get it", package=package)
    assert isinstance(error, GuardError) and error.exit_code == 2
    assert str(error) == wording
