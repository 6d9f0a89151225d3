"""What a change touches (gitops_guard/changes.py): every path changed since the merge
base with the base ref, in the working tree, on a real git repository."""
from __future__ import annotations

from gitops_guard.changes import changed_files, merge_base
from tests.conftest import GitRepo


def test_changed_files_since_the_merge_base(git_repo: GitRepo) -> None:
    for name in ("kept.yaml", "edited.yaml", "deleted.yaml", "renamed.yaml"):
        git_repo.write(name, f"name: {name}\n")
    git_repo.commit("base")
    git_repo.git("checkout", "-qb", "pr")
    git_repo.write("edited.yaml", "name: changed\n")
    (git_repo.root / "deleted.yaml").unlink()
    git_repo.git("mv", "renamed.yaml", "moved.yaml")
    git_repo.write("committed.yaml", "a: 1\n")
    git_repo.commit("pr")
    git_repo.write("untracked/new.yaml", "b: 2\n")  # not committed: still the change's
    git_repo.write(".gitignore", "*.log\n")
    git_repo.write("ignored.log", "x\n")
    assert changed_files(git_repo.root, "main") == [
        ".gitignore", "committed.yaml", "deleted.yaml", "edited.yaml", "moved.yaml",
        "renamed.yaml", "untracked/new.yaml"]


def test_what_main_gained_after_the_branch_is_not_the_change(git_repo: GitRepo) -> None:
    git_repo.write("a.yaml", "a: 1\n")
    start = git_repo.commit("base")
    git_repo.git("checkout", "-qb", "pr")
    git_repo.write("pr.yaml", "p: 1\n")
    git_repo.commit("pr")
    git_repo.git("checkout", "-q", "main")
    git_repo.write("later-on-main.yaml", "m: 1\n")
    git_repo.commit("main moves on")
    git_repo.git("checkout", "-q", "pr")
    assert merge_base("main", "HEAD", git_repo.root) == start
    assert changed_files(git_repo.root, "main") == ["pr.yaml"]


def test_paths_are_relative_to_the_checked_dir_of_a_monorepo(git_repo: GitRepo) -> None:
    git_repo.write("ops/app.yaml", "a: 1\n")
    git_repo.write("web/index.html", "<p>\n")
    git_repo.commit("base")
    git_repo.write("ops/app.yaml", "a: 2\n")
    git_repo.write("web/index.html", "<p>2\n")  # a sibling: not the checked repository
    assert changed_files(git_repo.root / "ops", "main") == ["app.yaml"]
