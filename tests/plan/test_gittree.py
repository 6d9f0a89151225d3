"""The repository as it was at a ref, written to a temp dir from git objects: the working
tree and index are never touched (real git repositories)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from gitops_guard.plan.gittree import GitError, git_timeout, resolve_ref, tree_at, write_tree
from tests.conftest import GitRepo, RunCli

CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata: {a: '1'}\n"


@pytest.fixture
def repo(git_repo: GitRepo) -> GitRepo:
    git_repo.write("apps/web.yaml", "kind: ConfigMap\n")
    git_repo.write("apps/data.bin", "\x00binary\xff")
    git_repo.write("README.md", "hello\n")
    os.symlink("web.yaml", git_repo.root / "apps" / "link.yaml")
    git_repo.commit("base")
    git_repo.write("apps/web.yaml", "kind: Secret\n")
    git_repo.write("apps/new.yaml", "kind: Service\n")
    git_repo.commit("head")
    git_repo.write("apps/web.yaml", "uncommitted\n")
    return git_repo


def test_tree_at_a_ref_holds_that_commits_files_and_is_removed(repo: GitRepo) -> None:
    with tree_at("HEAD~1", repo.root) as tree:
        assert (tree / "apps/web.yaml").read_text() == "kind: ConfigMap\n"
        assert (tree / "apps/data.bin").read_bytes() == "\x00binary\xff".encode()
        assert os.readlink(tree / "apps/link.yaml") == "web.yaml"
        assert not (tree / "apps/new.yaml").exists()
        assert not (tree / ".git").exists()
    assert not tree.exists()
    assert (repo.root / "apps/web.yaml").read_text() == "uncommitted\n"  # untouched
    assert "apps/web.yaml" in repo.git("status", "--porcelain")


def test_from_a_subdirectory_only_its_files_relative_to_it(repo: GitRepo, tmp_path: Path) -> None:
    dest = tmp_path / "out"
    dest.mkdir()
    count = write_tree(resolve_ref("HEAD", repo.root), repo.root / "apps", dest)
    assert count == 4
    assert sorted(p.name for p in dest.iterdir()) == ["data.bin", "link.yaml", "new.yaml",
                                                      "web.yaml"]


@pytest.mark.parametrize(("ref", "error"), [
    ("no-such-branch", "--base no-such-branch: no such commit"),
    ("--output=x", "'--output=x' is not a git ref"),
])
def test_a_bad_ref_is_a_clear_error(repo: GitRepo, ref: str, error: str) -> None:
    with pytest.raises(GitError, match=error):
        resolve_ref(ref, repo.root)


def test_git_commands_are_bounded_by_the_configured_timeout(
        repo: GitRepo, tmp_path: Path) -> None:
    commit = resolve_ref("HEAD", repo.root)
    with git_timeout(0.000001), pytest.raises(
            GitError, match=r"git rev-parse timed out after 1e-06s \(config timeouts.git_seconds"):
        write_tree(commit, repo.root, tmp_path)
    assert write_tree(commit, repo.root, tmp_path) == 5
    with git_timeout(0.000001), pytest.raises(GitError, match="timed out"):
        resolve_ref("HEAD", repo.root)  # not "no such commit"


def _drop_blob(repo: GitRepo, path: str) -> None:
    """Delete a file's blob from the object store, as an incomplete clone lacks it."""
    sha = repo.git("rev-parse", f"HEAD:{path}").strip()
    (repo.root / ".git/objects" / sha[:2] / sha[2:]).unlink()


def test_a_blob_missing_from_the_object_store_is_left_out_and_named(
        git_repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """GoogleCloudPlatform/microservices-demo cloned without one PNG's blob: `diff --base`
    raised IndexError (exit 3)."""
    git_repo.write("app/config.yaml", CONFIG_MAP)
    git_repo.write("docs/img/shot.png", "\x89PNG not really\n")
    git_repo.commit("base")
    _drop_blob(git_repo, "docs/img/shot.png")
    dest = tmp_path / "out"
    dest.mkdir()
    commit = resolve_ref("HEAD", git_repo.root)
    assert write_tree(commit, git_repo.root, dest) == 1
    assert (dest / "app/config.yaml").read_text() == CONFIG_MAP
    assert not (dest / "docs/img/shot.png").exists()
    assert "docs/img/shot.png missing from the git object store" in capsys.readouterr().err


def test_diff_on_an_incomplete_clone_plans_what_is_there(
        git_repo: GitRepo, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    git_repo.write("app/config.yaml", CONFIG_MAP)
    git_repo.write("docs/img/shot.png", "\x89PNG not really\n")
    git_repo.commit("base")
    _drop_blob(git_repo, "docs/img/shot.png")
    git_repo.write("app/config.yaml", CONFIG_MAP.replace("'1'", "'2'"))
    monkeypatch.chdir(git_repo.root)
    result = run_cli("diff", "--base", "HEAD")
    assert result.code == 0, result.err
    assert result.out.endswith("~ ConfigMap default/app\n    data.a: 1 → 2\n")
    assert "docs/img/shot.png missing from the git object store" in result.err
