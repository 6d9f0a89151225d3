from __future__ import annotations

import pytest

from gitops_guard.globs import matches


@pytest.mark.parametrize(
    ("path", "pattern", "expected"),
    [
        ("a.yaml", "**/*.yaml", True),
        ("deep/er/a.yaml", "**/*.yaml", True),
        ("a.yml", "**/*.yaml", False),
        ("charts/web/templates/d.yaml", "**/charts/*/templates/**", True),
        ("charts/web/values.yaml", "**/charts/*/templates/**", False),
        ("legacy/x/y.yaml", "legacy/**", True),
        ("app/legacy/y.yaml", "legacy/**", False),
        ("app/values-prod.yaml", "values*.yaml", True),
        ("app/v.yaml", "app/?.yaml", True),
        ("app/v.yaml", "app/[!v].yaml", False),
    ],
)
def test_gitignore_style_globs(path: str, pattern: str, expected: bool) -> None:
    assert matches(path, [pattern]) is expected
