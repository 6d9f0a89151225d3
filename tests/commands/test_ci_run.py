"""The steps of a `ci` run (gitops_guard/commands/ci_run.py) on a real git repository:
what changed, which environments that affects, which files are checked as they are, and
when a plan is built. The whole command: tests/commands/test_ci.py."""
from __future__ import annotations

import argparse

import pytest

from gitops_guard.commands.ci_run import CiRun, gather, plan_wanted
from gitops_guard.config import load_config
from gitops_guard.prcontext import PRContext
from gitops_guard.timeouts import Timeouts
from tests.conftest import GitRepo

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s, namespace: a}\n"


@pytest.fixture
def repo(git_repo: GitRepo) -> GitRepo:
    git_repo.write(".gitops-guard.yaml", "environments:\n  staging: {path: envs/staging}\n"
                                         "  production: {path: envs/production}\n"
                                         "exclude: ['vendor/**']\n")
    for env in ("staging", "production"):
        git_repo.write(f"envs/{env}/cm.yaml", CM % env)
    git_repo.write("other/cm.yaml", CM % "other")
    git_repo.write("gone.yaml", CM % "gone")
    git_repo.commit("base")
    git_repo.git("checkout", "-qb", "pr")
    return git_repo


def _gather(repo: GitRepo) -> CiRun:
    config = load_config(repo.root / ".gitops-guard.yaml", repo.root)
    return gather(PRContext("local", base="main"), config, Timeouts())


def test_what_changed_what_it_affects_and_what_is_checked_as_it_is(repo: GitRepo) -> None:
    repo.write("envs/staging/cm.yaml", (CM % "staging") + "data: {x: '1'}\n")
    repo.write("other/cm.yaml", (CM % "other") + "data: {x: '1'}\n")
    repo.write("vendor/lib.yaml", CM % "vendored")
    (repo.root / "gone.yaml").unlink()
    repo.write("notes.txt", "not a manifest\n")
    run = _gather(repo)
    assert run.base == repo.git("rev-parse", "main").strip()
    assert run.changed == ["envs/staging/cm.yaml", "gone.yaml", "notes.txt", "other/cm.yaml",
                           "vendor/lib.yaml"]
    assert run.has_envs and run.affected == ["staging"]
    # deleted, excluded and non-manifest files are not checked as files
    assert [p.removeprefix(f"{repo.root}/") for p in run.paths] == \
        ["envs/staging/cm.yaml", "other/cm.yaml"]


def _args(no_plan: bool = False) -> argparse.Namespace:
    return argparse.Namespace(no_plan=no_plan)


@pytest.mark.parametrize(("changed", "has_envs", "affected", "no_plan", "wanted"), [
    (["a.yaml"], True, ["staging"], False, True),
    (["a.yaml"], True, ["staging"], True, False),   # --no-plan
    ([], True, ["staging"], False, False),          # nothing changed
    (["docs/x.md"], True, [], False, False),        # environments, none affected
    (["a.yaml"], False, [], False, True),           # no environments: the repo is planned
], ids=["affected", "--no-plan", "no change", "none affected", "no environments"])
def test_when_a_plan_is_built(changed: list[str], has_envs: bool, affected: list[str],
                              no_plan: bool, wanted: bool) -> None:
    run = CiRun(PRContext("local"), None, Timeouts(), "base", changed, has_envs,  # type: ignore[arg-type]
                affected, [])
    assert plan_wanted(_args(no_plan), run) is wanted
