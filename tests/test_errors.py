from __future__ import annotations

import sys

import pytest

from gitops_guard.errors import GuardError, ToolMissingError
from gitops_guard.plan.live import connect
from gitops_guard.render.model import Environment


@pytest.mark.parametrize(("package", "wording"), [
    (False, "kubeconform is required but was not found on PATH; get it"),
    (True, "kubeconform is required but is not installed; get it"),
])
def test_tool_missing_names_where_it_was_looked_for(package: bool, wording: str) -> None:
    error = ToolMissingError("kubeconform", "get it", package=package)
    assert isinstance(error, GuardError) and error.exit_code == 2
    assert str(error) == wording


def test_diff_against_live_without_the_live_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "kubernetes", None)  # as when the extra is not installed
    with pytest.raises(ToolMissingError) as err:
        connect(Environment("production", "clusters/production", live={"context": "prod"}))
    assert str(err.value) == ("the kubernetes Python client is required but is not installed; "
                              "pip install 'gitops-guard[live]'")
