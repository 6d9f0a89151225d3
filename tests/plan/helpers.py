"""Shared helpers for plan tests: real git repositories and quick engine runs."""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from gitops_guard.plan.engine import DiffSettings, diff_objects
from gitops_guard.plan.model import EnvPlan
from tests.conftest import GIT_ENV, GitRepo
from tests.conftest import compare_golden as _compare_golden

__all__ = ["GIT_ENV", "GitRepo", "compare_golden", "deployment", "run_plan"]

GOLDEN = Path(__file__).parents[1] / "data" / "plan" / "golden"


def compare_golden(name: str, actual: str) -> None:
    """Regenerate with GITOPS_GUARD_REGEN=1 pytest tests/plan tests/commands/test_diff.py."""
    _compare_golden(GOLDEN / name, actual)


def run_plan(before: list[dict[str, Any]], after: list[dict[str, Any]],
             settings: DiffSettings | None = None, name: str = "env") -> EnvPlan:
    return diff_objects([(d, "before.yaml") for d in before], [(d, "after.yaml") for d in after],
                        settings or DiffSettings(), EnvPlan(name))


def deployment(name: str = "web", image: str = "web:1.2", **spec: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "labels": {"app": name}},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{
                    "name": "web", "image": image,
                    "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
                    "ports": [{"containerPort": 8080}],
                    "resources": {"limits": {"cpu": "500m", "memory": "256Mi"}},
                }]},
            },
        },
    }
    obj["spec"].update(spec)
    return obj


def edit(obj: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(obj)


def container(obj: dict[str, Any]) -> dict[str, Any]:
    c: dict[str, Any] = obj["spec"]["template"]["spec"]["containers"][0]
    return c
