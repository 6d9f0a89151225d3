"""Which files a check reads (gitops_guard/discover.py): the repository or the named
paths, filtered by include / exclude, tooling dirs left out, each file once. What it
refuses to open (symlinks out, FIFOs, devices): tests/hardening/test_hostile_files.py."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.discover import discover, discover_files, display_path, find_root
from gitops_guard.errors import UsageError

INCLUDE = ("**/*.yaml", "**/*.json")
FILES = ["apps/web.yaml", "apps/web.json", "apps/notes.txt", "apps/.hidden.yaml",
         ".github/workflows/ci.yaml", "node_modules/pkg/x.yaml", "apps/.cache/y.yaml",
         "vendor/lib.yaml", "top.yaml"]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    for rel in FILES:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("a: 1\n")
    monkeypatch.chdir(root)
    return root


def _shown(paths: list[str], root: Path, exclude: tuple[str, ...] = ()) -> list[str]:
    return [shown for _, shown in discover_files(paths, root, INCLUDE, exclude)]


@pytest.mark.parametrize(("paths", "exclude", "expected"), [
    ([], (), ["apps/web.json", "apps/web.yaml", "top.yaml", "vendor/lib.yaml"]),
    ([], ("vendor/**",), ["apps/web.json", "apps/web.yaml", "top.yaml"]),
    (["apps"], (), ["apps/web.json", "apps/web.yaml"]),
    (["apps/notes.txt"], (), ["apps/notes.txt"]),  # named: include does not apply
    (["vendor/lib.yaml"], ("vendor/**",), []),     # exclude does
    ([".github/workflows/ci.yaml"], (), [".github/workflows/ci.yaml"]),  # hidden, named
    (["apps", "apps/web.yaml", "./apps/../apps"], (), ["apps/web.json", "apps/web.yaml"]),
], ids=["the repo", "exclude", "a dir", "a named file", "named but excluded",
        "a named hidden file", "each file once"])
def test_what_is_read(repo: Path, paths: list[str], exclude: tuple[str, ...],
                      expected: list[str]) -> None:
    assert _shown(paths, repo, exclude) == expected


def test_a_path_outside_the_repository_is_shown_absolute(repo: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "x.yaml").write_text("a: 1\n")
    assert _shown([str(other)], repo) == [(other / "x.yaml").as_posix()]


def test_a_missing_path_is_a_usage_error(repo: Path) -> None:
    with pytest.raises(UsageError, match=r"nope\.yaml: no such file or directory"):
        discover(["nope.yaml"], repo, INCLUDE, ())


def test_the_root_is_the_git_work_tree(repo: Path, tmp_path: Path) -> None:
    assert find_root(repo / "apps") == repo
    lone = tmp_path / "lone"
    lone.mkdir()
    assert find_root(lone) == lone.resolve()


def test_display_paths(repo: Path) -> None:
    assert display_path(repo / "apps" / "web.yaml", repo) == "apps/web.yaml"
    assert display_path(Path("/etc/hosts"), repo) == "/etc/hosts"
