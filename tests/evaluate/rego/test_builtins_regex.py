"""regex.match with Go's regexp semantics (RE2), where regorus's engine differs: no 100 KB
compiled-size limit, ASCII character classes."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.evaluate.rego.builtins_regex import go_match
from tests.conftest import RunCli
from tests.evaluate.rego.conftest import verify_source


@pytest.mark.parametrize(("pattern", "value", "matches"), [
    ("^a[0-9]+b$", "a12b", True),
    ("b", "abc", True),  # anywhere, as Go's MatchString
    ("^b", "abc", False),
    (r"^\d+$", "123", True),
    (r"^\d+$", "١٢٣", False),  # Arabic-Indic digits: Go's \d is ASCII
    (r"^\w+$", "é", False),  # and so is \w
    (r"(?i)^sha1$", "SHA1", True),
    (r"\bkey\b", "a key=1", True),
])
def test_go_semantics(pattern: str, value: str, matches: bool) -> None:
    assert go_match(pattern, value) is matches


@pytest.mark.parametrize("pattern", ["(", "a**", "(?<=a)b"])  # no lookbehind in Go either
def test_invalid_pattern_is_an_error(pattern: str) -> None:
    with pytest.raises(ValueError, match="error parsing regexp"):
        go_match(pattern, "ab")


# trivy-checks' KSV01010 shape: Unicode-free \d and \b repeated past regorus's 100 KB
POLICY = r"""package main
import rego.v1
iban := `[^\.](?:\b[A-Z]{2}\d{2} ?\d{4} ?\d{4} ?\d{4} ?\d{4} ?[\d]{0,2}\b)`
ids := concat("|", [sprintf("id%d-[a-z0-9]{8,64}", [i]) | some i in numbers.range(1, 400)])
deny contains "IBAN in data" if regex.match(iban, input.data.note)
deny contains "an id" if regex.match(ids, input.data.note)
test_big_patterns if {
    deny == {"IBAN in data"} with input as {"data": {"note": "pay DE89 3704 0044 0532 0130 00"}}
    deny == {"an id"} with input as {"data": {"note": "id399-abcdefgh1"}}
    count(deny) == 0 with input as {"data": {"note": "nothing"}}
}
test_v0_re_match_too if { re_match(`^\d+$`, "42"); not re_match(`^\d+$`, "٤٢") }
"""


def test_patterns_past_regorus_size_limit_run(run_cli: RunCli, tmp_path: Path) -> None:
    # v0: re_match, OPA's deprecated spelling, exists there only
    result = verify_source(run_cli, tmp_path, POLICY, "v0")
    assert result.code == 0, result.out + result.err
    assert "2 tests, 2 passed" in result.out
