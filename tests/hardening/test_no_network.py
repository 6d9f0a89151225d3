"""`check` (and so the pre-commit hook, whose entry is `gitops-guard check FILES`) makes
no network connection: runs under a socket guard that records and refuses every
connect, name lookup and UDP send. A control test proves the guard catches one. The
example repository is checked in a copy, and the check writes nothing into it."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hardening.hostile import write_corpus

ROOT = Path(__file__).parents[2]
GUARD = Path(sys.executable).with_name("gitops-guard")

SITECUSTOMIZE = '''
import os, socket

_LOG = os.environ["GITOPS_GUARD_SOCKET_LOG"]


def _refuse(what):
    def blocked(*args, **kwargs):
        with open(_LOG, "a") as fh:
            fh.write(f"{what} {args[1:] if what.startswith('socket.') else args!r}\\n")
        raise OSError(101, f"network use blocked by the test guard: {what}")
    return blocked


socket.socket.connect = _refuse("socket.connect")
socket.socket.connect_ex = _refuse("socket.connect_ex")
socket.socket.sendto = _refuse("socket.sendto")
socket.create_connection = _refuse("create_connection")
socket.getaddrinfo = _refuse("getaddrinfo")
socket.gethostbyname = _refuse("gethostbyname")
'''


@pytest.fixture
def guarded_env(tmp_path: Path) -> tuple[dict[str, str], Path]:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    log = tmp_path / "socket.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITOPS_GUARD")}
    env.update(PYTHONPATH=str(site), GITOPS_GUARD_SOCKET_LOG=str(log))
    return env, log


def _attempts(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


def test_control_the_guard_catches_a_connection(guarded_env: tuple[dict[str, str], Path]
                                                ) -> None:
    env, log = guarded_env
    script = ("import socket, urllib.request\n"
              "for attempt in (lambda: socket.create_connection(('192.0.2.1', 443), 1),\n"
              "                lambda: socket.socket().connect(('192.0.2.1', 80)),\n"
              "                lambda: urllib.request.urlopen('http://example.com', timeout=1)):\n"
              "    try:\n        attempt()\n    except OSError as exc:\n"
              "        assert 'blocked by the test guard' in str(exc), exc\n")
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert len(_attempts(log)) == 3, _attempts(log)


def _run(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([str(GUARD), "check", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert "Traceback" not in proc.stderr
    assert proc.returncode in (0, 1), proc.stderr
    return proc


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The project's example repository in a copy, under `examples/gitops-repo` of a
    git repo: checked as a user checks it, and never the checkout's own files."""
    root = tmp_path / "project"
    shutil.copytree(ROOT / "examples" / "gitops-repo", root / "examples" / "gitops-repo")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".git" not in p.relative_to(root).parts}


def test_check_on_the_example_repo_makes_no_connection(
        guarded_env: tuple[dict[str, str], Path], project: Path) -> None:
    env, log = guarded_env
    before = _tree(project)
    _run(env, project, "examples/gitops-repo")  # default flags: built-in policies on
    _run(env, project / "examples" / "gitops-repo", "-o", "sarif")  # the repo per config
    assert _attempts(log) == []
    assert _tree(project) == before  # no cache, no output written into the repository


def test_pre_commit_entry_on_staged_files_makes_no_connection(
        guarded_env: tuple[dict[str, str], Path], project: Path) -> None:
    env, log = guarded_env
    files = sorted(str(p.relative_to(project)) for p in
                   (project / "examples" / "gitops-repo").rglob("*.yaml"))[:5]
    _run(env, project, *files)  # what pre-commit runs: `gitops-guard check FILE...`
    assert _attempts(log) == []


def test_check_on_the_hostile_corpus_makes_no_connection(
        guarded_env: tuple[dict[str, str], Path], tmp_path: Path) -> None:
    env, log = guarded_env
    corpus = tmp_path / "corpus"
    write_corpus(corpus)
    _run(env, corpus, ".")
    assert _attempts(log) == []
