"""What suppressions may do (the config's `suppressions:`): each refusal names the key."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.config import load_config
from gitops_guard.evaluate.suppress_policy import SuppressionPolicy, suppression_policy
from gitops_guard.evaluate.suppress_sources import Suppression
from gitops_guard.model import Location


def suppression(rule: str, form: str) -> Suppression:
    return Suppression(rule, "why", form, Location("m.yaml", 1, 1))


@pytest.mark.parametrize(("policy", "rule", "form", "refused"), [
    (SuppressionPolicy(), "GG301", "comment", ""),
    (SuppressionPolicy(inline=False), "GG301", "comment", "suppressions.inline: false"),
    (SuppressionPolicy(inline=False), "GG301", "annotation", "suppressions.inline: false"),
    (SuppressionPolicy(inline=False), "GG301", "config", ""),  # the config's own ignore:
    (SuppressionPolicy(wildcards=False), "GG3*", "comment", "suppressions.wildcards: false"),
    (SuppressionPolicy(wildcards=False), "GG3*", "config", ""),
    (SuppressionPolicy(never=("GG201", "GG3*")), "GG301", "config",
     "GG301 may never be suppressed (config suppressions.never)"),
    (SuppressionPolicy(never=("GG201",)), "GG2*", "comment", ""),  # judged per finding
])
def test_refusal(policy: SuppressionPolicy, rule: str, form: str, refused: str) -> None:
    assert refused in policy.refusal(suppression(rule, form))
    assert bool(policy.refusal(suppression(rule, form))) is bool(refused)


def test_protects_by_glob() -> None:
    policy = SuppressionPolicy(never=("GG201", "GG3*"))
    assert policy.protects("GG201") and policy.protects("GG305")
    assert not policy.protects("GG501")


def test_the_config_section_sets_the_policy(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text(
        "suppressions: {inline: false, wildcards: false, never: [GG201]}\n")
    assert suppression_policy(load_config(tmp_path / "c.yaml", tmp_path)) == \
        SuppressionPolicy(False, False, ("GG201",))
