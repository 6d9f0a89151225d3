"""conftest's parse_config / parse_config_file (conftest_parse.py), called from a policy."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.evaluate.rego.conftest import expect_value


@pytest.mark.parametrize(("expr", "value"), [
    ('parse_config("yaml", "a: [1, 2]").a[1]', "2"),
    ('parse_config("hcl2", "x = 1").x', "1"),
])
def test_parse_config_gives_the_document(run_cli: RunCli, tmp_path: Path, expr: str,
                                        value: str) -> None:
    expect_value(run_cli, tmp_path, expr, value)


def test_parse_config_file_reads_beside_the_policy(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "disk.tf").write_text(
        'resource "azurerm_managed_disk" "d" {\n  size = 1\n}\n')
    (tmp_path / "p" / "t.rego").write_text(
        'package main\ntest_file if { parse_config_file("disk.tf").resource'
        '.azurerm_managed_disk.d[0].size == 1 }\n')
    result = run_cli("verify", "-p", str(tmp_path / "p"))  # from another working dir
    assert result.code == 0, result.out + result.err
