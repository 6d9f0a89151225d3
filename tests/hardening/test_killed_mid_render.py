"""A run killed while it renders (SIGTERM or SIGKILL to `gitops-guard`, the installed
command, while a slow stand-in `kustomize` from tests/fakes/ runs) leaves no temporary
tree, no tool process and no cache entry behind; the next run works and re-renders.

Each run gets its own TMPDIR so what is left behind (and swept) is this test's alone.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

GUARD = Path(sys.executable).with_name("gitops-guard")
FAKES = Path(__file__).parents[1] / "fakes"
EXAMPLE = Path(__file__).parents[2] / "examples" / "gitops-repo"
pytestmark = pytest.mark.skipif(shutil.which("kubectl") is None,
                                reason="the stand-in kustomize runs kubectl's engine")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLE, root)
    for args in (["init", "-q", "-b", "main"], ["config", "user.email", "t@example.com"],
                 ["config", "user.name", "T"], ["add", "."], ["commit", "-qm", "base"]):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)
    return root


class Runs:
    def __init__(self, root: Path, tmp_path: Path) -> None:
        self.root = root
        self.tmp = tmp_path / "tmp"
        self.tmp.mkdir()
        self.log = tmp_path / "kustomize.log"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("GITOPS_GUARD")}
        self.cache = tmp_path / "xdg" / "gitops-guard" / "render"
        self.env.update(PATH=f"{FAKES}{os.pathsep}{os.environ['PATH']}", TMPDIR=str(self.tmp),
                        FAKE_KUSTOMIZE_LOG=str(self.log), XDG_CACHE_HOME=str(tmp_path / "xdg"))

    def tool_pids(self) -> list[int]:
        return [int(p) for p in self.log.read_text().split()] if self.log.exists() else []

    def start(self, *argv: str, sleep: float) -> subprocess.Popen[str]:
        env = {**self.env, "FAKE_KUSTOMIZE_SLEEP": str(sleep)}
        return subprocess.Popen([str(GUARD), *argv], cwd=self.root, env=env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def run(self, *argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(GUARD), *argv], cwd=self.root, capture_output=True,
                              text=True, timeout=120, env={**self.env,
                                                           "FAKE_KUSTOMIZE_SLEEP": "0"})

    def kill_when_rendering(self, proc: subprocess.Popen[str], sig: int) -> None:
        deadline = time.monotonic() + 60
        while not self.tool_pids():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "kustomize never started"
            time.sleep(0.05)
        time.sleep(0.3)  # well inside the render
        proc.send_signal(sig)
        proc.wait(timeout=20)

    def leftovers(self) -> list[str]:
        return sorted(p.name for p in self.tmp.iterdir())

    def cache_entries(self) -> list[str]:
        folder = self.cache
        return sorted(p.name for p in folder.iterdir()) if folder.exists() else []

    def reap_orphans(self) -> None:
        for pid in self.tool_pids():  # the stand-ins this test started, by pid
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(")")[-1].split()[0] != "Z"


@pytest.mark.parametrize("argv", [
    ("check", "--env", "staging", "--no-builtin"),
    ("diff", "--base", "HEAD", "--env", "staging"),  # a base tree in TMPDIR as well
])
def test_sigterm_mid_render_cleans_up_at_once(repo: Path, tmp_path: Path,
                                              argv: tuple[str, ...]) -> None:
    runs = Runs(repo, tmp_path)
    proc = runs.start(*argv, sleep=60)
    try:
        runs.kill_when_rendering(proc, signal.SIGTERM)
        _, err = proc.communicate()
        assert proc.returncode == 130, err
        assert "interrupted" in err and "Traceback" not in err
        assert runs.leftovers() == []  # no base tree, no kustomize wrapper
        assert not any(_alive(p) for p in runs.tool_pids())  # the tool's group was killed
        assert [e for e in runs.cache_entries() if e.endswith(".json")] == []
    finally:
        runs.reap_orphans()
    started = len(runs.tool_pids())
    again = runs.run(*argv)
    assert again.returncode in (0, 1), again.stderr
    assert len(runs.tool_pids()) > started  # rendered again, nothing stale reused
    assert runs.leftovers() == []


def test_sigkill_mid_render_is_swept_by_the_next_run(repo: Path, tmp_path: Path) -> None:
    runs = Runs(repo, tmp_path)
    argv = ("check", "--env", "staging", "--no-builtin")
    proc = runs.start(*argv, sleep=60)
    try:
        runs.kill_when_rendering(proc, signal.SIGKILL)
        proc.communicate()
        # SIGKILL cannot be caught: the wrapper dir of the dead run is still there ...
        left = runs.leftovers()
        assert left and all(name.startswith(f"gitops-guard-kustomize-{proc.pid}-")
                            for name in left), left
        assert [e for e in runs.cache_entries() if e.endswith(".json")] == []
    finally:
        runs.reap_orphans()
    # ... a half-written cache entry of a killed run, and a corrupt one, for good measure
    cache = runs.cache
    cache.mkdir(mode=0o700, parents=True, exist_ok=True)
    (cache / f".deadbeef.{proc.pid}.abc.tmp").write_text('{"items": [')
    before = len(runs.tool_pids())
    first = runs.run(*argv)
    assert first.returncode in (0, 1), first.stderr
    assert runs.leftovers() == []  # ... until the next run sweeps it
    assert len(runs.tool_pids()) == before + 1
    entries = [e for e in runs.cache_entries() if e.endswith(".json")]
    assert len(entries) == 1 and not any(e.endswith(".tmp") for e in runs.cache_entries())
    # a corrupt entry (truncated by a full disk, say) is a miss: rendered again, same result
    (cache / entries[0]).write_text('{"items": [{"data": ')
    second = runs.run(*argv)
    assert (second.returncode, second.stdout) == (first.returncode, first.stdout)
    assert len(runs.tool_pids()) == before + 2
    cached = runs.run(*argv)  # and the rewritten entry is used
    assert cached.stdout == first.stdout and len(runs.tool_pids()) == before + 2
