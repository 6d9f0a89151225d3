"""Flux's envsubst: the text postBuild substitutes, plain `${var}`s and escapes (each
operation: test_envsubst_ops.py; what fails to parse: test_envsubst_parse.py)."""
from __future__ import annotations

import pytest

from gitops_guard.render.flux.envsubst import envsubst


@pytest.mark.parametrize(("text", "variables", "expected"), [
    ("no variables here", {}, "no variables here"),
    ("${app}", {"app": "web"}, "web"),
    ("$app", {"app": "web"}, "$app"),  # Flux's fork expands only ${...}
    ("name: ${app}-${env}", {"app": "web", "env": "prod"}, "name: web-prod"),
    ("${unset}", {}, ""),
    # escapes: $$ is a literal $
    ("$${v}", {"v": "x"}, "${v}"),
    ("a ${v}$${v$${v}$v${v}", {"v": "x"}, "a x${v${v}$vx"),
    ("$${v=${d}}", {"d": "foo"}, "${v=foo}"),
    ("\\\\text ${v}", {"v": "x"}, "\\\\text x"),
    ("price: 5$", {}, "price: 5$"),
])
def test_expands_as_flux_does(text: str, variables: dict[str, str], expected: str) -> None:
    assert envsubst(text, variables) == expected
