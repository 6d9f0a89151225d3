"""Terraform environments: resource_changes of a `terraform show -json` plan in the same plan."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.plan.helpers import GitRepo

PLAN = Path(__file__).parents[1] / "data" / "plan" / "tfplan.json"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    repo.write(".gitops-guard.yaml", "environments:\n"
               "  infra: {path: infra/plan.json, kind: terraform-plan}\n"
               "  apps: {path: apps, kind: plain}\n")
    repo.write("apps/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    repo.commit("one")
    (repo.root / "infra").mkdir()
    shutil.copy(PLAN, repo.root / "infra/plan.json")
    monkeypatch.chdir(repo.root)
    return repo


def test_terraform_changes_are_shown_with_sensitive_values_masked(repo: GitRepo,
                                                                 run_cli: RunCli) -> None:
    result = run_cli("diff", "--base", "main", "-o", "json")
    assert result.code == 0, result.err
    infra = next(e for e in result.json()["environments"] if e["name"] == "infra")
    actions = {c["id"]["name"]: c["action"] for c in infra["changes"]}
    assert actions == {"aws_db_instance.main": "changed", "aws_iam_role.ci": "added",
                       "aws_instance.old": "removed", "aws_instance.web": "changed"}
    assert infra["summary"]["unchanged"] == 1
    # deletes and replaces are flagged, and listed first
    risky = {c["id"]["name"]: c["risks"][0]["code"] for c in infra["changes"][:2]}
    assert risky == {"aws_instance.old": "terraform-delete",
                     "aws_instance.web": "terraform-replace"}
    db = next(c for c in infra["changes"] if c["id"]["name"] == "aws_db_instance.main")
    assert [(f["path"], f["op"]) for f in db["fields"]] == [
        ("instance_class", "changed"), ("password", "masked"), ("arn", "added")]
    assert db["fields"][2]["after"] == "(known after apply)"


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_terraform_sensitive_canary_never_printed(repo: GitRepo, run_cli: RunCli,
                                                  fmt: str) -> None:
    result = run_cli("diff", "--base", "main", "-o", fmt)
    assert "tf-canary" not in result.out + result.err
    assert "aws_instance.old" in result.out


def test_not_a_plan_is_a_clear_error(repo: GitRepo, run_cli: RunCli) -> None:
    (repo.root / "infra/plan.json").write_text('{"hello": 1}')
    result = run_cli("diff", "--base", "main")
    assert result.code == 2
    assert "infra/plan.json: not a `terraform show -json` plan" in result.err
