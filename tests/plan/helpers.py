"""Shared helpers for plan tests: real git repositories and quick engine runs."""
from __future__ import annotations

import copy
import os
import subprocess
from pathlib import Path
from typing import Any

import yaml

from gitops_guard.plan.engine import DiffSettings, diff_objects
from gitops_guard.plan.model import EnvPlan

GOLDEN = Path(__file__).parents[1] / "data" / "plan" / "golden"
GIT_ENV = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


class GitRepo:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        return subprocess.run(["git", *args], cwd=self.root, env=GIT_ENV, check=True,
                              capture_output=True, text=True, timeout=60).stdout

    def write(self, path: str, content: str | list[dict[str, Any]] | dict[str, Any]) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if not isinstance(content, str):
            docs = content if isinstance(content, list) else [content]
            content = yaml.safe_dump_all(docs, sort_keys=False)
        target.write_text(content)

    def commit(self, message: str = "change") -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD").strip()


def compare_golden(name: str, actual: str) -> None:
    """Regenerate with GITOPS_GUARD_REGEN=1 pytest tests/plan tests/commands/test_diff.py."""
    golden = GOLDEN / name
    if os.environ.get("GITOPS_GUARD_REGEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual)
    assert actual == golden.read_text()


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
