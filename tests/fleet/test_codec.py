"""The fleet codec: values, findings and plans survive JSON between shards exactly."""
from __future__ import annotations

import json
import math

from gitops_guard.fleet.codec import (
    decode_finding,
    decode_plan,
    decode_value,
    encode_finding,
    encode_plan,
    encode_value,
)
from gitops_guard.model import Finding, Location, ResourceKey, Severity
from gitops_guard.plan.model import (
    EnvPlan,
    FieldChange,
    Identity,
    Masked,
    Plan,
    ResourceChange,
    Risk,
)


def test_values_round_trip_with_their_types() -> None:
    value = {"list": [1, (2, 3)], "$ref": "x", 4: "int key", "nan": math.inf,
             "ids": frozenset({"a", "b"}), "secret": Masked(12, "abc"), "one": {"$tuple": 1}}
    back = decode_value(json.loads(json.dumps(encode_value(value))))
    assert back == value
    assert isinstance(back["list"][1], tuple)


def test_findings_and_plans_round_trip_exactly() -> None:
    finding = Finding("GG501", Severity.WARNING, "latest", Location("a.yaml", 3, 5),
                      ResourceKey("apps/v1", "Deployment", "ns", "web"), "builtin", "prod",
                      "spec.x", "https://doc", {"details": {"k": [1, 2]}})
    assert decode_finding(json.loads(json.dumps(encode_finding(finding)))) == finding
    ident = Identity("apps", "Deployment", "ns", "web")
    plan = Plan([EnvPlan("prod", "kustomize", [ResourceChange(
        ident, "changed", "apps/v1", "apps/v1", None,
        (FieldChange("spec.replicas", "changed", 1, 2),
         FieldChange("spec.ports", "reordered", ("a", "b"), ("b", "a")),
         FieldChange("data.key", "masked", 4, 6, ("-x", "+y"))),
        (Risk("scale-to-zero", "why", 2),), "a.yaml")], 3, {"status": 2}, ["note"], [],
        frozenset({ident}))], base="abc", against="git")
    back = decode_plan(json.loads(json.dumps(encode_plan(plan))))
    assert back == plan
    assert back.environments[0].changes[0].signature() == \
        plan.environments[0].changes[0].signature()
