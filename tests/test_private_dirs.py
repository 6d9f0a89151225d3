"""Where a cache may live (gitops_guard/private_dirs.py): a dir of this user nobody else
can write to, outside the repository; what is made is 0700 / 0600 whatever the umask."""
from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from gitops_guard.private_dirs import make_private_dir, open_private, refusal


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _private(path: Path) -> None:
    path.mkdir(mode=0o700)


def _shared(mode: int) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.mkdir()
        path.chmod(mode)
    return make


@pytest.mark.parametrize(("make", "why"), [
    (_private, None),
    (lambda path: None, None),  # not there yet: it will be made private
    (_shared(0o755), None),     # readable by others, writable by no one else
    (_shared(0o775), "it is group- or world-writable"),
    (_shared(0o777), "it is group- or world-writable"),
    (lambda path: path.write_text(""), "it is not a directory of this user"),
], ids=["private", "absent", "0755", "0775", "0777", "a file"])
def test_refusal_says_why(tmp_path: Path, make: Callable[[Path], None],
                          why: str | None) -> None:
    folder = tmp_path / "cache"
    make(folder)
    assert refusal(folder) == why


@pytest.mark.parametrize("where", ["repo/.cache", "repo", "repo/a/../.cache"])
def test_a_dir_inside_the_repository_is_refused(tmp_path: Path, where: str) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    assert refusal(tmp_path / where, root) == \
        "it is inside the repository (a change could commit its entries)"
    assert refusal(tmp_path / "elsewhere", root) is None


def test_a_symlink_into_the_repository_is_inside_it(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / ".cache").mkdir(parents=True)
    (tmp_path / "link").symlink_to(root / ".cache")
    assert refusal(tmp_path / "link", root) is not None


def test_made_dirs_are_0700_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o002)
    try:
        make_private_dir(tmp_path / "a" / "b" / "c")
    finally:
        os.umask(old)
    assert [_mode(tmp_path / p) for p in ("a", "a/b", "a/b/c")] == [0o700] * 3
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o755)
    make_private_dir(loose)  # one an older version made
    assert _mode(loose) == 0o700


def test_open_private_makes_a_new_0600_file_only(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        fd = open_private(tmp_path / "entry")
    finally:
        os.umask(old)
    os.close(fd)
    assert _mode(tmp_path / "entry") == 0o600
    with pytest.raises(FileExistsError):
        open_private(tmp_path / "entry")  # a planted file is never written through
