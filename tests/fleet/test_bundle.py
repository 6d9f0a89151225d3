"""A shard's bundle file: written whole, read back exactly; anything else is a clear error."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from gitops_guard.evaluate.suppress import SuppressionUse
from gitops_guard.fleet.bundle import Bundle, BundleError, RunKey, read_bundle, write_bundle
from gitops_guard.model import Finding, Location, Severity, SuppressedFinding
from gitops_guard.plan.model import EnvPlan, Plan

KEY = RunKey("a" * 40, "b" * 40, "cfg", "flags", 2, "part")
FINDING = Finding("GG301", Severity.ERROR, "privileged", Location("a.yaml", 3, 5), env="prod")


def bundle(**fields: object) -> Bundle:
    return Bundle(**{"key": KEY, "shard": 1, "units": ("prod", ""), "affected": ("prod",),
                     "changed": 2, "findings": (FINDING,),
                     "usage": (SuppressionUse("comment a.yaml:2 GG302", "GG302", 0,
                                              Finding("GG050", Severity.WARNING, "unused",
                                                      Location("a.yaml", 2, 3))),),
                     "inactive": frozenset({"ACME001"}),
                     "suppressed": (SuppressedFinding(FINDING, "comment", "GG301", "why",
                                                      Location("a.yaml", 2, 3)),),
                     "checked": ("a.yaml",), "resources": 4, "plan_wanted": True,
                     "plan": Plan([EnvPlan("prod", "kustomize")], "b" * 40),
                     "timings": {"render": 1.5}, **fields})  # type: ignore[arg-type]


def test_a_bundle_round_trips_exactly(tmp_path: Path) -> None:
    path = tmp_path / "out" / "shard-1.json"
    write_bundle(str(path), bundle())
    assert read_bundle(str(path)) == bundle()
    assert [p.name for p in path.parent.iterdir()] == ["shard-1.json"]  # no temp file left
    assert json.loads(path.read_text())["format"] == "gitops-guard-bundle"


def test_a_failed_shard_still_writes_its_error(tmp_path: Path) -> None:
    write_bundle(str(tmp_path / "b.json"), Bundle(KEY, 2, error="render timed out"))
    assert read_bundle(str(tmp_path / "b.json")).error == "render timed out"


@pytest.mark.parametrize(("text", "error"), [
    (None, "no such bundle file"),
    ("{not json", "not a gitops-guard bundle (not JSON"),
    ('{"format": "other"}', 'no "format": "gitops-guard-bundle"'),
    ('{"format": "gitops-guard-bundle", "version": 99, "tool": "9.9"}',
     "bundle version 99 written by gitops-guard 9.9"),
    ('{"format": "gitops-guard-bundle", "version": 1, "run": {}}', "a damaged bundle"),
])
def test_what_is_not_a_bundle_says_why(tmp_path: Path, text: str | None, error: str) -> None:
    path = tmp_path / "b.json"
    if text is not None:
        path.write_text(text)
    with pytest.raises(BundleError) as raised:
        read_bundle(str(path))
    assert str(raised.value).startswith(f"{path}: ") and error in str(raised.value)


def test_an_unwritable_place_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    with pytest.raises(BundleError, match=r"--bundle .*: cannot write"):
        write_bundle(str(tmp_path / "file" / "b.json"), bundle())
