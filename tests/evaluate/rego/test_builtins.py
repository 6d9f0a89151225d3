"""OPA builtins regorus lacks (builtins.py), run through the embedded engine as a policy calls
them. The builtins of their own modules are tested beside them: test_gofmt.py (sprintf,
render_template), test_builtins_glob.py, test_builtins_more.py (object.subset),
test_conftest_parse.py (parse_config), test_builtins_x509.py, test_builtins_jwt.py."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.evaluate.rego.conftest import expect_value

JWT = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9l"
       "IiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")

CASES = [
    ('crypto.sha256("abc")',
     '"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"'),
    ('crypto.md5("abc")', '"900150983cd24fb0d6963f7d28e17f72"'),
    ('crypto.hmac.sha256("msg", "key")',
     '"2d93cbc1be167bcb1637a4a23cbff01a7878f0c50ee833954ea5221bb1b8c628"'),
    (f'io.jwt.decode("{JWT}")[1].name', '"John Doe"'),
    ('net.cidr_merge(["10.0.0.0/25", "10.0.0.128/25", "192.168.1.1"])',
     '["10.0.0.0/24", "192.168.1.1/32"]'),
    ('net.cidr_intersects("10.0.0.0/8", "10.1.0.0/16")', "true"),
    ('net.cidr_intersects("10.0.0.0/8", "11.0.0.0/8")', "false"),
    ('net.cidr_contains_matches(["10.0.0.0/8"], ["10.1.2.3", "11.0.0.1"])', "[[0, 0]]"),
    ('strings.render_template("{{.name}} in {{.ns}}", {"name": "a", "ns": "b"})', '"a in b"'),
]


@pytest.mark.parametrize(("expr", "value"), CASES)
def test_builtin_gives_opas_value(run_cli: RunCli, tmp_path: Path, expr: str,
                                  value: str) -> None:
    expect_value(run_cli, tmp_path, expr, value)


def test_deprecated_cast_builtins_only_in_v0(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "t.rego").write_text(
        'package main\ntest_cast { cast_array({1}) == [1]; cast_set(["a", "a"]) == {"a"} }\n')
    assert run_cli("verify", "--rego-version", "v0", "-p", str(tmp_path)).code == 0
