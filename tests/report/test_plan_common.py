"""How every plan format writes a field change and a plan without changes
(report/plan_common.py): the lines `diff` prints, the comment and the JSON summary share."""
from __future__ import annotations

import pytest

from gitops_guard.plan.model import EnvPlan, FieldChange, Plan
from gitops_guard.report.plan_common import field_line, no_changes_line


@pytest.mark.parametrize(("change", "line"), [
    (FieldChange("spec.replicas", "changed", 2, 3), "spec.replicas: 2 → 3"),
    (FieldChange("spec.image", "changed", "a:1", "a:2"), "spec.image: a:1 → a:2"),
    (FieldChange("metadata.labels.tier", "added", None, "web"),
     "metadata.labels.tier: added web"),
    (FieldChange("spec.paused", "removed", False, None), "spec.paused: removed (was false)"),
    (FieldChange("data.note", "changed", "", "x"), 'data.note: "" → x'),
    (FieldChange("spec.ports", "changed", [80], [80, 443]), "spec.ports: [80] → [80, 443]"),
    (FieldChange("spec.containers", "reordered", ["a", "b"], ["b", "a"]),
     "spec.containers: order changed: a, b → b, a"),
    (FieldChange("data.password", "masked", 8, 12), "data.password: changed (8 → 12 bytes)"),
    (FieldChange("data.token", "masked", None, 5), "data.token: added (5 bytes)"),
    (FieldChange("data.script", "changed", "a\nb", "a\nc", ("-b", "+c")),
     "data.script: text changed"),
])
def test_a_field_change_reads_as_one_line(change: FieldChange, line: str) -> None:
    assert field_line(change) == line


def _plan(**unrendered: list[str]) -> Plan:
    envs = [EnvPlan(name, "kustomize", unrendered=lines)
                       for name, lines in unrendered.items()]
    return Plan(base="main", environments=envs)


def test_no_changes_says_so_only_when_everything_was_rendered() -> None:
    assert no_changes_line(_plan(staging=[])) == "No changes."
    assert no_changes_line(_plan(staging=["a.yaml: no kustomize"], prod=[])) == (
        "No changes in what was rendered; 1 source not rendered (staging: 1), listed above "
        "with the reason.")
