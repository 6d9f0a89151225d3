"""regex.globs_match (builtins_glob.py) as OPA 1.20 answers it, called from a policy."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.evaluate.rego.conftest import expect_value


@pytest.mark.parametrize(("expr", "value"), [
    # regex.globs_match: OPA 1.20's answers (its glob-intersection library's choices)
    # OPA's docs print `true` for their example; OPA 1.20 itself answers false
    ('regex.globs_match("a.a[0-9]+z", ".b.b2359825792*594823z")', "false"),
    ('regex.globs_match("[a-z]+", "[0-9]*")', "false"),
    ('regex.globs_match("[a-c]+b+[a-c]+", "[a-c]+")', "true"),
    ('regex.globs_match(".*[b-c]", "[ab]")', "true"),
    ('regex.globs_match("a*b*c*", "abc")', "true"),
    ('regex.globs_match("x\\\\*y", "xay")', "false"),
    ('regex.globs_match("", "")', "true"),
])
def test_globs_match_gives_opas_value(run_cli: RunCli, tmp_path: Path, expr: str,
                                      value: str) -> None:
    expect_value(run_cli, tmp_path, expr, value)


def test_globs_match_error_is_opas(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "t.rego").write_text(
        'package main\nimport rego.v1\ntest_bad if regex.globs_match("a**", "a")\n')
    result = run_cli("verify", "-p", str(tmp_path))
    assert result.code == 2
    assert "flag '*' must be preceded by a non-flag" in result.out
