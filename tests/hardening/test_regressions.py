"""Inputs that once broke a loader, kept as files: each must load with the outcome the
fix gave it, quickly, and with well-formed findings."""
from __future__ import annotations

import time

import pytest

from gitops_guard.load import load_bytes
from tests.hardening.hostile import REGRESSIONS
from tests.hardening.properties import assert_well_formed

# file -> (rule every load must report, seconds it may take in-process)
EXPECTED: dict[str, tuple[str, float]] = {
    # 38 KB of `? [*e, N]` keys, each under the alias limit: took 12.7 s and 1 GB
    # because complex keys were not counted towards the expansion limit.
    "complex-key-alias-bomb.yaml": ("GG004", 2.0),
    # A NUL after the first 8 KiB reached libyaml's reader: the finding had line 0 and
    # a multi-line message; now it is located (line 3001).
    "nul-after-8k.yaml": ("GG001", 2.0),
    # 5,000 duplicate keys: 5,000 findings; now 100 and one summary.
    "duplicate-key-flood.yaml": ("GG002", 2.0),
}


def test_every_regression_file_has_an_expectation() -> None:
    assert {p.name for p in REGRESSIONS.iterdir()} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_regression_loads(name: str) -> None:
    data = (REGRESSIONS / name).read_bytes()
    rule, seconds = EXPECTED[name]
    started = time.monotonic()
    result = load_bytes(data, name)
    assert time.monotonic() - started < seconds
    assert_well_formed(data, name, result)
    assert rule in {f.rule_id for f in result.findings}


def test_nul_after_8k_is_located() -> None:
    data = (REGRESSIONS / "nul-after-8k.yaml").read_bytes()
    (finding,) = load_bytes(data, "x.yaml").findings
    assert (finding.location.line, finding.location.column) == (3001, 4)
    assert "\n" not in finding.message


def test_duplicate_key_flood_is_capped() -> None:
    data = (REGRESSIONS / "duplicate-key-flood.yaml").read_bytes()
    findings = load_bytes(data, "x.yaml").findings
    assert len(findings) == 101
    assert findings[-1].message == "4,899 more duplicate keys after line 101 are not listed"
