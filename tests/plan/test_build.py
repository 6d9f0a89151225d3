"""Building a plan against the base ref: each environment's objects at --base vs the
working tree (real git repositories); the repo-wide plan names chart changes it cannot show
(plan/uncovered.py: test_uncovered.py)."""
from __future__ import annotations

import pytest

from gitops_guard.config import Config
from gitops_guard.errors import UsageError
from gitops_guard.plan.build import PlanOptions, build_plan
from tests.conftest import GitRepo


def config_map(name: str, value: str) -> dict[str, object]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name},
            "data": {"k": value}}


@pytest.fixture
def repo(git_repo: GitRepo) -> GitRepo:
    git_repo.write("apps/a.yaml", config_map("a", "1"))
    git_repo.write("apps/gone.yaml", config_map("gone", "1"))
    git_repo.write("charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n")
    git_repo.write("charts/web/templates/cm.yaml", "kind: ConfigMap\n")
    git_repo.commit("base")
    git_repo.write("apps/a.yaml", config_map("a", "2"))
    (git_repo.root / "apps/gone.yaml").unlink()
    git_repo.write("apps/new.yaml", {"apiVersion": "v1", "kind": "Service", "metadata": {
        "name": "new"}, "spec": {"ports": [{"port": 80}]}})
    git_repo.write("charts/web/templates/cm.yaml", "kind: Secret\n")
    git_repo.write("charts/web/values.yaml", "a: 1\n")
    return git_repo


def test_the_working_tree_against_the_base_ref(repo: GitRepo) -> None:
    plan = build_plan(PlanOptions(base="HEAD"), Config(root=repo.root))
    [env] = plan.environments
    assert (plan.base, plan.against, env.name) == ("HEAD", "git", "repo")
    assert sorted((c.action, c.identity.name) for c in env.changes) == [
        ("added", "new"), ("changed", "a"), ("removed", "gone")]
    [line] = env.unrendered
    assert line.startswith("charts/web/Chart.yaml: Helm chart charts/web (2 changed files: ")
    assert line.endswith("(GG104)")


def test_the_git_target_needs_a_base(repo: GitRepo) -> None:
    with pytest.raises(UsageError, match="--base REF is required"):
        build_plan(PlanOptions(), Config(root=repo.root))
