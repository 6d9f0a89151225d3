"""`gitops-guard ci` on real git repositories, against a stand-in GitHub API on loopback."""
from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.commands.ci_github import git, on_pull_request
from tests.conftest import RunCli
from tests.fakes.github_api import FakeGitHub

EXAMPLE = Path(__file__).parents[2] / "examples" / "gitops-repo"
GOOD_REPLICAS = 'replicas: "two"'


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example repo, fixed so main is green, committed on main; a PR branch checked out."""
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLE, root)
    shop = root / "apps" / "base" / "shop" / "shop.yaml"
    shop.write_text(shop.read_text().replace(GOOD_REPLICAS, "replicas: 2")
                    .replace("imagePullPolicey", "imagePullPolicy").replace("value: on",
                                                                            'value: "on"'))
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "ci@example.com")
    git(root, "config", "user.name", "CI")
    git(root, "add", ".")
    git(root, "commit", "-qm", "base")
    git(root, "checkout", "-qb", "pr")
    monkeypatch.chdir(root)
    for var in ("GITHUB_ACTIONS", "GITLAB_CI", "GITHUB_EVENT_PATH", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(var, raising=False)
    return root


@pytest.fixture
def github(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    with FakeGitHub() as gh:
        on_pull_request(monkeypatch, gh, repo, tmp_path / "event.json", number=42,
                        repository="acme/gitops")
        monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
        yield gh


def bump_image(repo: Path, tag: str) -> None:
    deploy = repo / "apps" / "base" / "podinfo" / "deployment.yaml"
    deploy.write_text(re.sub(r"podinfo:[0-9.]+", f"podinfo:{tag}", deploy.read_text()))
    git(repo, "commit", "-qam", f"bump to {tag}")


def test_clean_change_passes_and_posts_one_comment_then_updates_it(
    repo: Path, github: FakeGitHub, run_cli: RunCli, tmp_path: Path,
) -> None:
    bump_image(repo, "6.7.2")
    first = run_cli("ci", "--comment", "github", "--sarif", "out.sarif", "--junit", "out.xml")
    assert first.code == 0, first.out + first.err
    assert "environments: staging, production" in first.out
    (comment,) = github.bot_comments()
    body = comment["body"]
    assert "✅ **gitops-guard: passed**" in body
    assert "spec.template.spec.containers[name=podinfo].image" in body
    assert "+ spec.template.spec.containers[name=podinfo].image: " \
        "ghcr.io/stefanprodan/podinfo:6.7.2" in body
    bump_image(repo, "6.7.3")
    second = run_cli("ci", "--comment", "github")
    assert second.code == 0
    (comment,) = github.bot_comments()
    assert "podinfo:6.7.3" in comment["body"]
    assert json.loads((repo / "out.sarif").read_text())["version"] == "2.1.0"
    assert (repo / "out.xml").read_text().startswith("<?xml")
    summary = (tmp_path / "summary.md").read_text()
    assert "gitops-guard: passed" in summary and "6.7.1" in summary


def test_broken_change_fails_the_gate_with_annotations_and_links(
    repo: Path, github: FakeGitHub, run_cli: RunCli,
) -> None:
    shop = repo / "apps" / "base" / "shop" / "shop.yaml"
    shop.write_text(shop.read_text().replace("replicas: 2", GOOD_REPLICAS))
    git(repo, "commit", "-qam", "break shop")
    result = run_cli("ci", "--comment", "github")
    assert result.code == 1
    assert "::error file=apps/base/shop/shop.yaml,line=16,col=3" in result.out
    body = github.bot_comments()[0]["body"]
    assert "❌ **gitops-guard: failed**" in body
    assert "(https://github.example.com/acme/gitops/blob/" in body
    assert "/apps/base/shop/shop.yaml#L16)" in body


def test_only_changed_files_and_affected_environments_are_checked(
    repo: Path, run_cli: RunCli,
) -> None:
    patch = repo / "apps" / "production" / "podinfo-replicas.yaml"
    patch.write_text(patch.read_text().replace("replicas: 4", "replicas: 5"))
    git(repo, "commit", "-qam", "scale production")
    result = run_cli("ci", "--base", "main", "--no-builtin")
    assert result.code == 0, result.out + result.err
    assert "environments: production\n" in result.out
    assert "spec.replicas: 4 → 5" in result.out


def test_read_only_token_on_a_fork_still_gates(
    repo: Path, github: FakeGitHub, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    event = json.loads(Path(tmp_path / "event.json").read_text())
    event["pull_request"]["head"]["repo"]["full_name"] = "mallory/gitops"
    (tmp_path / "event.json").write_text(json.dumps(event))
    monkeypatch.setenv("GITHUB_TOKEN", "read-token")
    shop = repo / "apps" / "base" / "shop" / "shop.yaml"
    shop.write_text(shop.read_text().replace("replicas: 2", GOOD_REPLICAS))
    git(repo, "commit", "-qam", "break shop")
    result = run_cli("ci", "--comment", "github")
    assert result.code == 1
    assert "cannot post the comment (the token is read-only on a pull request from a fork)" \
        in result.err
    assert "read-token" not in result.out + result.err
    assert github.bot_comments() == []


def test_trusted_ref_judges_the_pr_by_the_base_branch_policies(
    repo: Path, run_cli: RunCli,
) -> None:
    git(repo, "checkout", "-q", "main")
    (repo / "policies").mkdir()
    (repo / "policies" / "no_podinfo_7.py").write_text(
        "from gitops_guard.evaluate.api import Violation, rule\n\n"
        "@rule(id='ACME001', severity='error', title='No podinfo 7', kinds=('Deployment',))\n"
        "def no_podinfo_7(resource, ctx):\n"
        "    for path, c in ctx.containers(resource):\n"
        "        if ':7.' in str(c.get('image', '')):\n"
        "            yield Violation('podinfo 7 is banned', (*path, 'image'))\n")
    config = repo / ".gitops-guard.yaml"
    config.write_text(config.read_text() + "policies: [policies]\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "policy")
    git(repo, "checkout", "-q", "pr")
    git(repo, "merge", "-q", "main")
    # The PR deletes the policy and adds a Python policy that would run its own code.
    (repo / "policies" / "no_podinfo_7.py").unlink()
    (repo / "policies" / "evil.py").write_text(
        "raise SystemExit('the PR code ran')\n")
    bump_image(repo, "7.0.0")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "sneaky")
    untrusted = run_cli("ci", "--base", "main", "--no-builtin")
    assert untrusted.code == 2  # the PR's own policy dir is broken: it ran the PR's code
    trusted = run_cli("ci", "--base", "main", "--no-builtin", "--trusted-ref", "main")
    assert trusted.code == 1, trusted.out + trusted.err
    assert "ACME001" in trusted.out and "podinfo 7 is banned" in trusted.out
    assert "the PR code ran" not in trusted.out + trusted.err


def test_without_a_base_ci_is_a_usage_error(repo: Path, run_cli: RunCli) -> None:
    result = run_cli("ci")
    assert result.code == 2
    assert "ci needs a base to compare against" in result.err
