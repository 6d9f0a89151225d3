"""`init` (gitops_guard/commands/init.py): a valid starter config and pre-commit hook, idempotent,
never overwriting, the sharded workflow. Flux and Argo CD layouts: test_init_flux.py,
test_init_argo.py."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from gitops_guard.config import load_config
from tests.conftest import RunCli

EXAMPLE = Path(__file__).parents[2] / "examples" / "gitops-repo"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    skip = shutil.ignore_patterns(".gitops-guard.yaml")
    shutil.copytree(EXAMPLE, tmp_path / "repo", ignore=skip)
    root = tmp_path / "repo"
    (root / ".git").mkdir()
    (root / "charts" / "web").mkdir(parents=True)
    chart = "apiVersion: v2\nname: web\nversion: 1.0.0\n"
    (root / "charts" / "web" / "Chart.yaml").write_text(chart)
    monkeypatch.chdir(root)
    return root


def test_init_writes_a_valid_config_with_the_environments_it_finds(
    repo: Path, run_cli: RunCli,
) -> None:
    result = run_cli("init")
    assert result.code == 0
    config = load_config(repo / ".gitops-guard.yaml", repo)
    assert {n: e.path for n, e in config.environments.items()} == {
        "production": "clusters/production", "staging": "clusters/staging"}
    assert "# Helm charts found: charts/web" in (repo / ".gitops-guard.yaml").read_text()
    assert "uses: gitops-guard/gitops-guard@main" in result.out
    assert "security-events: write" in result.out


def test_init_keeps_pre_commit_comments_and_is_idempotent(repo: Path, run_cli: RunCli) -> None:
    hooks = repo / ".pre-commit-config.yaml"
    hooks.write_text(
        "# team hooks: keep this comment\nrepos:\n"
        "  - repo: https://github.com/pre-commit/pre-commit-hooks\n"
        "    rev: v4.6.0  # pinned on purpose\n"
        "    hooks:\n      - id: check-yaml\n")
    assert run_cli("init").code == 0
    text = hooks.read_text()
    assert "# team hooks: keep this comment" in text
    assert "rev: v4.6.0  # pinned on purpose" in text
    assert "id: gitops-guard" in text
    again = run_cli("init", "--force")
    assert again.code == 0
    assert "kept .pre-commit-config.yaml" in again.out
    assert hooks.read_text().count("id: gitops-guard") == 1


def test_init_does_not_overwrite_without_force(repo: Path, run_cli: RunCli) -> None:
    (repo / ".gitops-guard.yaml").write_text("strict: false\n")
    result = run_cli("init")
    assert result.code == 2
    assert "already exists; use --force" in result.err
    assert (repo / ".gitops-guard.yaml").read_text() == "strict: false\n"


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


FLUX_KS = "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n"


def test_init_shards_writes_the_sharded_workflow_and_prints_gitlabs(
    repo: Path, run_cli: RunCli,
) -> None:
    import yaml

    result = run_cli("init", "--no-pre-commit", "--shards", "6")
    assert result.code == 0, result.err
    workflow = repo / ".github" / "workflows" / "gitops-guard.yaml"
    jobs = yaml.safe_load(workflow.read_text())["jobs"]
    assert list(jobs) == ["shards", "shard", "merge"]
    steps = "\n".join(str(s.get("run", "")) for s in jobs["shards"]["steps"])
    assert "gitops-guard ci shards --max 6" in steps
    assert jobs["shard"]["strategy"]["matrix"] == \
        "${{ fromJSON(needs.shards.outputs.matrix) }}"
    merge = "\n".join(str(s.get("run", "")) for s in jobs["merge"]["steps"])
    assert "gitops-guard ci merge bundles/*/bundle.json" in merge
    gitlab = yaml.safe_load(result.out.split("in .gitlab-ci.yml:\n", 1)[1])
    assert gitlab["gitops-guard:shard"]["parallel"] == 6
    with pytest.raises(SystemExit) as bad:  # argparse: usage error, exit 2
        run_cli("init", "--force", "--no-pre-commit", "--shards", "0")
    assert bad.value.code == 2


def _init_environments(root: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli
                       ) -> dict[str, dict[str, str]]:
    (root / ".git").mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(root)
    result = run_cli("init", "--no-pre-commit")
    assert result.code == 0, result.err
    load_config(root / ".gitops-guard.yaml", root)  # valid
    written = yaml.safe_load((root / ".gitops-guard.yaml").read_text())
    envs: dict[str, dict[str, str]] = written.get("environments") or {}
    return envs
