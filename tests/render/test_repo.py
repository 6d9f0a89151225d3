"""Is a GitOps source this repository? Decided from the clone's own remotes; a source at
another ref is read from git objects (real git repositories in tmp dirs)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gitops_guard.render.repo import (
    RefTrees,
    head_commit,
    identity_root,
    is_this_repo,
    normalize_url,
    resolve_commit,
    same_repository,
    tags,
    working_branches,
)
from tests.conftest import GitRepo


@pytest.mark.parametrize("url", [
    "https://github.com/Example/fleet.git",
    "https://github.com/Example/fleet",
    "https://user:token@github.com/Example/fleet/",
    "ssh://git@github.com/Example/fleet.git",
    "git@github.com:Example/fleet.git",
    "HTTPS://GitHub.com/Example/fleet",
    "https://github.com:443/Example/fleet",
])
def test_one_repository_however_its_url_is_written(url: str) -> None:
    assert normalize_url(url) == "github.com/Example/fleet"


@pytest.mark.parametrize(("url", "normal"), [
    ("https://github.com/example/fleet-two", "github.com/example/fleet-two"),
    ("ssh://git@git.example.com:2222/team/repo.git", "git.example.com/team/repo"),  # no port
    ("https://gitlab.com/group/sub/repo.git", "gitlab.com/group/sub/repo"),
])
def test_other_repositories_stay_apart(url: str, normal: str) -> None:
    assert normalize_url(url) == normal


@pytest.fixture
def clone(git_repo: GitRepo) -> GitRepo:
    git_repo.git("remote", "add", "origin", "git@github.com:example/fleet.git")
    git_repo.write("apps/web.yaml", "kind: ConfigMap\n")
    git_repo.commit("one")
    git_repo.git("tag", "v1.0.0")
    git_repo.git("tag", "v1.1.0")
    git_repo.git("branch", "dev")
    git_repo.write("apps/web.yaml", "kind: Secret\n")
    git_repo.commit("two")
    return git_repo


def test_is_this_repo_compares_with_the_remotes(clone: GitRepo) -> None:
    assert is_this_repo("https://github.com/example/fleet", clone.root)
    assert not is_this_repo("https://github.com/example/other", clone.root)
    assert not is_this_repo("", clone.root)


def test_refs_resolve_to_commits_the_clone_has(clone: GitRepo) -> None:
    one = clone.git("rev-parse", "dev").strip()
    two = clone.git("rev-parse", "HEAD").strip()
    assert resolve_commit(clone.root, "branch", "dev") == one
    assert resolve_commit(clone.root, "branch", "main") == two
    assert resolve_commit(clone.root, "tag", "v1.0.0") == one
    assert resolve_commit(clone.root, "commit", one) == one
    assert resolve_commit(clone.root, "branch", "absent") is None
    assert resolve_commit(clone.root, "commit", "--output=/tmp/x") is None  # never an option
    assert sorted(tags(clone.root)) == ["v1.0.0", "v1.1.0"]
    assert head_commit(clone.root) == two


def test_working_branches_include_the_checkout_and_the_ci_target(
        clone: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GITHUB_BASE_REF", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "CI_DEFAULT_BRANCH"):
        monkeypatch.delenv(name, raising=False)
    assert working_branches(clone.root) == {"main"}
    monkeypatch.setenv("GITHUB_BASE_REF", "release")
    assert working_branches(clone.root) == {"main", "release"}


def test_a_tree_at_another_commit_is_extracted_and_removed(clone: GitRepo) -> None:
    trees = RefTrees(clone.root)
    one = clone.git("rev-parse", "dev").strip()
    tree = trees.tree(one)
    assert tree is not None and (tree / "apps/web.yaml").read_text() == "kind: ConfigMap\n"
    assert trees.tree(one) == tree  # once per commit
    assert trees.tree("0" * 40) is None
    scratch = trees.scratch("artifact")
    trees.close()
    assert not tree.exists() and not scratch.exists()
    assert (clone.root / "apps/web.yaml").read_text() == "kind: Secret\n"  # untouched


def test_a_copy_of_the_tree_answers_as_its_clone(clone: GitRepo, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(clone.root, copy, ignore=shutil.ignore_patterns(".git"))
    assert not is_this_repo("https://github.com/example/fleet", copy / "apps")
    with same_repository(copy, clone.root, "abc123"):
        assert identity_root(copy / "apps") == clone.root.resolve() / "apps"
        assert is_this_repo("https://github.com/example/fleet", copy / "apps")
        assert head_commit(copy) == "abc123"
    assert identity_root(copy) == copy.resolve()
