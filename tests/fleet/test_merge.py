"""Merging shard bundles into what one unsharded run computes, or refusing bundles that are
not every shard of one run."""
from __future__ import annotations

from dataclasses import replace

import pytest

from gitops_guard.evaluate.suppress import SuppressionUse
from gitops_guard.fleet.bundle import Bundle, BundleError, RunKey
from gitops_guard.fleet.merge import merge_bundles
from gitops_guard.model import Finding, Location, Severity
from gitops_guard.plan.model import EnvPlan, Plan

KEY = RunKey("a" * 40, "b" * 40, "cfg", "flags", 2, "part")
AFFECTED = ("dev", "prod", "qa")


def finding(rule: str, env: str | None, path: str = "a.yaml") -> Finding:
    return Finding(rule, Severity.ERROR, "m", Location(path, 1, 1), env=env)


def unused(key: str) -> SuppressionUse:
    return SuppressionUse(key, "GG302", 0, Finding("GG050", Severity.WARNING, f"unused {key}",
                                                   Location("a.yaml", 2, 3)))


ONE = Bundle(KEY, 1, ("prod", ""), affected=AFFECTED, changed=3,
             findings=(finding("GG301", "prod"), finding("GG001", None),
                       unused("shared").reported, unused("used-elsewhere").reported),
             usage=(unused("shared"), unused("used-elsewhere")),
             checked=("a.yaml",), resources=2, plan_wanted=True,
             plan=Plan([EnvPlan("prod")], "b" * 40))
TWO = Bundle(KEY, 2, ("dev", "qa"), affected=AFFECTED, changed=3,
             findings=(finding("GG401", "qa"), finding("GG402", "dev"),
                       unused("shared").reported),
             usage=(unused("shared"), SuppressionUse("used-elsewhere", "GG302", 1, None)),
             checked=("b.yaml",), resources=3, plan_wanted=True,
             plan=Plan([EnvPlan("qa"), EnvPlan("dev")], "b" * 40))


def test_findings_counts_and_plan_as_one_run_gives_them() -> None:
    merged = merge_bundles([("2.json", TWO), ("1.json", ONE)], KEY)
    assert [(f.rule_id, f.env) for f in merged.gathered.findings] == [
        ("GG001", None), ("GG050", None),  # the files' first; one copy of a shared report,
        ("GG402", "dev"), ("GG301", "prod"), ("GG401", "qa")]  # none for one used elsewhere
    assert merged.gathered.checked == ("a.yaml", "b.yaml")
    assert (merged.gathered.resources, merged.changed, merged.affected) == (5, 3, AFFECTED)
    assert merged.plan is not None
    assert [e.name for e in merged.plan.environments] == ["dev", "prod", "qa"]


@pytest.mark.parametrize(("bundles", "error"), [
    ([], "no bundles given"),
    ([("1.json", ONE)], "shard 2/2: no bundle"),
    ([("1.json", ONE), ("1b.json", ONE)], "1b.json: shard 1/2 again (also 1.json)"),
    ([("1.json", ONE), ("2.json", replace(TWO, error="boom"))],
     "shard 2/2 failed (2.json): boom"),
    ([("1.json", ONE), ("2.json", Bundle(KEY._replace(head="c" * 40), 2))],
     "2.json: from commit cccccccccccc, but 1.json is from aaaaaaaaaaaa"),
    ([("1.json", ONE), ("2.json", Bundle(KEY._replace(flags="other"), 2))],
     "another run than 1.json (its flags differs)"),
])
def test_bundles_that_are_not_one_whole_run_are_refused(
        bundles: list[tuple[str, Bundle]], error: str) -> None:
    with pytest.raises(BundleError) as raised:
        merge_bundles(bundles, None)
    assert error in str(raised.value)


def test_bundles_from_another_commit_than_the_merge_are_refused() -> None:
    with pytest.raises(BundleError, match="from another commit than this merge"):
        merge_bundles([("1.json", ONE), ("2.json", TWO)], KEY._replace(head="d" * 40))


def test_a_plan_error_of_any_shard_means_no_plan() -> None:
    two = Bundle(KEY, 2, affected=AFFECTED, plan_wanted=True, plan_error="no base")
    merged = merge_bundles([("1.json", ONE), ("2.json", two)], None)
    assert (merged.plan, merged.plan_error) == (None, "no base")
