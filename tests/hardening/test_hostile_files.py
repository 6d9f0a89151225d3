"""File-system hostility, built at run time (Git cannot hold FIFOs and should not hold
these symlinks): nothing outside the repository is read, nothing hangs or crashes.

Policy (gitops_guard/discover.py): a symlink whose target resolves outside the
repository is never read, whether walked or named as a PATH (CI names changed files,
and a PR controls where its symlinks point); FIFOs, sockets and devices are never
opened; symlink loops and broken symlinks are reported. Each is a GG003 finding.
"""
from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from gitops_guard.discover import discover

GUARD = Path(sys.executable).with_name("gitops-guard")
CANARY = "canary-outside-the-repo-7f3a"
INCLUDE = ("**/*.yaml", "**/*.yml", "**/*.json")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    # Invalid on purpose: if it were read, its value would be quoted in a finding.
    (outside / "secret.yaml").write_text(
        f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: x}}\ndata: [{CANARY}]\n")
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "ok.yaml").write_text("apiVersion: v1\nkind: Namespace\nmetadata: {name: ok}\n")
    (root / "out.yaml").symlink_to(outside / "secret.yaml")
    (root / "outdir").symlink_to(outside, target_is_directory=True)
    (root / "up").symlink_to("..", target_is_directory=True)
    (root / "loop-a.yaml").symlink_to("loop-b.yaml")
    (root / "loop-b.yaml").symlink_to("loop-a.yaml")
    (root / "dangling.yaml").symlink_to("missing.yaml")
    (root / "inside.yaml").symlink_to("ok.yaml")  # stays inside: read as usual
    os.mkfifo(root / "fifo.yaml")
    (root / "dir.yaml").mkdir()
    return root


def _reasons(root: Path, *paths: str) -> dict[str, str]:
    found = discover(list(paths), root, INCLUDE, ())
    assert all(CANARY not in str(p) for p, _ in found.files)
    return {f.location.path: f.message for f in found.findings}


def test_walk_refuses_what_it_must_and_says_why(repo: Path) -> None:
    found = discover([], repo, INCLUDE, ())
    assert [shown for _, shown in found.files] == ["inside.yaml", "ok.yaml"]
    reasons = {f.location.path: f.message for f in found.findings}
    assert set(reasons) == {"out.yaml", "loop-a.yaml", "loop-b.yaml", "dangling.yaml",
                            "fifo.yaml"}
    assert "outside the repository" in reasons["out.yaml"]
    assert "symlink loop" in reasons["loop-a.yaml"]
    assert "broken symlink" in reasons["dangling.yaml"]
    assert "FIFO" in reasons["fifo.yaml"]
    assert {f.rule_id for f in found.findings} == {"GG003"}


@pytest.mark.parametrize(("path", "words"), [
    ("out.yaml", "outside the repository"),
    ("outdir", "outside the repository"),
    ("outdir/secret.yaml", "outside the repository"),
    ("up/outside/secret.yaml", "outside the repository"),
    ("loop-a.yaml", "symlink loop"),
    ("fifo.yaml", "FIFO"),
    ("dangling.yaml", "broken symlink"),
])
def test_named_paths_are_refused_too(repo: Path, path: str, words: str,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    reasons = _reasons(repo, path)
    assert list(reasons) == [path] and words in reasons[path], reasons


def test_a_directory_named_like_a_file_is_walked_not_opened(repo: Path,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    monkeypatch.chdir(repo)
    assert discover(["dir.yaml"], repo, INCLUDE, ()) == ([], [])


def test_a_device_is_never_opened(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / "zero.yaml").symlink_to("/dev/zero")  # reading it never ends
    monkeypatch.chdir(repo)
    assert "outside the repository" in _reasons(repo, "zero.yaml")["zero.yaml"]


@functools.cache
def _plain_run_seconds() -> float:
    """What one `gitops-guard check` of a small file takes on this machine now: startup
    dominates it, and a loaded machine slows it as much as any other run."""
    start = time.monotonic()
    subprocess.run([str(GUARD), "check", "-"], input="apiVersion: v1\nkind: Namespace\n"
                   "metadata: {name: x}\n", capture_output=True, text=True, check=False)
    return time.monotonic() - start


def hang_limit() -> float:
    """How long a run may take before it counts as hung: 20 plain runs, at least 60 s.
    What these tests guard against (reading a FIFO, /dev/zero, a symlink loop) never
    ends, so any finite limit tells a hang from a finished run; a limit derived from
    the machine's own pace keeps a busy machine from failing them."""
    return max(60.0, 20 * _plain_run_seconds())


def _run(argv: list[str], cwd: Path | None = None,
         preexec_fn: Callable[[], None] | None = None) -> subprocess.CompletedProcess[str]:
    limit = hang_limit()
    try:
        return subprocess.run(argv, cwd=cwd, preexec_fn=preexec_fn, capture_output=True,
                              text=True, timeout=limit, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"gitops-guard {' '.join(argv[1:])} hung: not done after {limit:.0f}s (a plain "
                    f"run takes {_plain_run_seconds():.1f}s here)")


def _check(repo: Path, *paths: str) -> subprocess.CompletedProcess[str]:
    proc = _run([str(GUARD), "check", "-o", "json", *paths], cwd=repo)
    assert "Traceback" not in proc.stdout + proc.stderr
    assert CANARY not in proc.stdout + proc.stderr  # nothing outside was read
    assert proc.returncode in (0, 1), proc.stderr  # no hang (timeout), no exit 3
    return proc


@pytest.mark.parametrize("paths", [(), ("out.yaml",), ("outdir",), ("loop-a.yaml",),
                                   ("fifo.yaml",), ("dir.yaml",), ("dangling.yaml",),
                                   ("up",)])
def test_check_never_hangs_crashes_or_reads_outside(repo: Path, paths: tuple[str, ...]
                                                    ) -> None:
    _check(repo, *paths)


def test_check_reports_refused_entries(repo: Path) -> None:
    rules = {(f["path"], f["rule_id"]) for f in json.loads(_check(repo).stdout)["findings"]}
    assert {("out.yaml", "GG003"), ("fifo.yaml", "GG003")} <= rules


def _as_nobody() -> None:
    os.setgid(65534)
    os.setuid(65534)


def test_unreadable_file_is_a_finding(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    secret = root / "locked.yaml"
    secret.write_text("apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n")
    secret.chmod(0)
    # Root reads everything: drop to `nobody` for the run when we are root.
    as_root = os.geteuid() == 0
    if as_root:
        try:
            probe = _run([str(GUARD), "--version"], preexec_fn=_as_nobody).returncode
        except OSError:
            probe = -1
        if probe != 0:
            pytest.skip("running as root, and `nobody` cannot run this venv's gitops-guard "
                        "(its interpreter is private to root): no way to get EACCES")
        for folder in (tmp_path, *tmp_path.parents[:-1]):  # let `nobody` reach the repo
            folder.chmod(folder.stat().st_mode | 0o005)
    proc = _run([str(GUARD), "check", "-o", "json", "locked.yaml"], cwd=root,
                preexec_fn=_as_nobody if as_root else None)
    assert "Traceback" not in proc.stderr
    (finding,) = json.loads(proc.stdout)["findings"]
    assert finding["rule_id"] == "GG003" and "Permission denied" in finding["message"]


def test_unreadable_file_is_a_finding_in_process(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The same path without privileges: the read itself fails with EACCES."""
    from gitops_guard.check import load_files
    from gitops_guard.load.base import LoadLimits

    locked = tmp_path / "locked.yaml"
    locked.write_text("a: 1\n")

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    docs, findings = load_files([(locked, "locked.yaml")], LoadLimits())
    assert docs == []
    assert [(f.rule_id, f.message) for f in findings] == [
        ("GG003", "cannot read: Permission denied")]
