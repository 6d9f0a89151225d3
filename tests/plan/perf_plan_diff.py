"""Timing script (not a test): two 2,000-resource environments, 100 changed resources each.

    .venv/bin/python tests/plan/perf_plan_diff.py [staging [production]]

Builds a real git repository in a temp dir (plain-dir environments), commits, changes
100 resources per environment in the working tree, and times `gitops-guard diff`
end to end (base tree from git objects, load, diff, all three outputs).
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[2]))

from tests.plan.helpers import GitRepo, deployment

PER_ENV, CHANGED = 2000, 100
ENVS = sys.argv[1:] or ["staging"]


def _resources(env: str, bump: bool) -> list[dict[str, object]]:
    docs: list[dict[str, object]] = []
    for i in range(PER_ENV // 2):
        dep = deployment(f"app-{i}", image=f"app-{i}:1.{1 if bump and i < CHANGED else 0}")
        dep["metadata"]["namespace"] = env  # type: ignore[index]
        docs.append(dep)
        docs.append({"apiVersion": "v1", "kind": "Service",
                     "metadata": {"name": f"app-{i}", "namespace": env},
                     "spec": {"selector": {"app": f"app-{i}"}, "ports": [{"port": 80}]}})
    return docs


def engine_only() -> None:
    from gitops_guard.plan.engine import DiffSettings, diff_objects
    from gitops_guard.plan.model import EnvPlan, Plan
    from gitops_guard.report import PLAN_REPORTERS
    before = [(d, "x.yaml") for d in _resources("staging", False)]
    after = [(d, "x.yaml") for d in _resources("staging", True)]
    start = time.perf_counter()
    env = diff_objects(before, after, DiffSettings(), EnvPlan("staging"))
    for fmt in PLAN_REPORTERS.values():
        fmt(Plan([env], base="main"), False)
    took = time.perf_counter() - start
    print(f"engine + 3 outputs, {len(after)} vs {len(before)} objects, "
          f"{len(env.changes)} changed: {took:.2f} s", file=sys.stderr)


def main_() -> None:
    from gitops_guard.cli import main
    engine_only()
    with tempfile.TemporaryDirectory() as tmp:
        repo = GitRepo(Path(tmp) / "repo")
        envs = ENVS
        repo.write(".gitops-guard.yaml", "environments:\n" + "".join(
            f"  {env}: {{path: envs/{env}, kind: plain}}\n" for env in envs))
        for env in envs:
            for n, chunk in enumerate(range(0, PER_ENV, 100)):
                docs = _resources(env, False)[chunk:chunk + 100]
                repo.write(f"envs/{env}/part-{n:02}.yaml", docs)
        repo.commit("base")
        for env in envs:
            for n, chunk in enumerate(range(0, PER_ENV, 100)):
                docs = _resources(env, True)[chunk:chunk + 100]
                repo.write(f"envs/{env}/part-{n:02}.yaml", docs)
        import os
        os.chdir(repo.root)
        for fmt in os.environ.get("FORMATS", "text,markdown,json").split(","):
            start = time.perf_counter()
            code = main(["diff", "--base", "main", "-o", fmt, "--output-file", os.devnull,
                         *(arg for env in envs for arg in ("--env", env))])
            took = time.perf_counter() - start
            print(f"diff -o {fmt}: {took:.2f} s (exit {code})", file=sys.stderr)


if __name__ == "__main__":
    main_()
