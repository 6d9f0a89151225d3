from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import yaml

from gitops_guard.cli import main

DATA = Path(__file__).parent / "data"


class CliResult(NamedTuple):
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


RunCli = Callable[..., CliResult]


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> RunCli:
    """Run `gitops-guard ARGS` in-process, as a user would, and capture what it prints."""

    def run(*argv: str) -> CliResult:
        cwd = os.getcwd()
        try:
            code = main(list(argv))
        finally:
            os.chdir(cwd)  # `-C DIR` must not leak into the tests that run after
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture(autouse=True, scope="session")
def _load_cache_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The CLI caches load results under XDG_CACHE_HOME: keep the tests' out of ~/.cache."""
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old


# --- what a test needs that `pip install -e '.[test]'` alone does not give -----------------
# name -> (is it there?, what to install). A test that needs one skips naming it, never fails.
_NEEDS: dict[str, tuple[Callable[[], bool], str]] = {
    "helm": (lambda: bool(shutil.which("helm") or importlib.util.find_spec("helm_python")),
             "the helm binary or the 'helm' extra (pip install -e '.[helm]')"),
    "helm-binary": (lambda: bool(shutil.which("helm")), "the helm binary on PATH"),
    "live": (lambda: importlib.util.find_spec("kubernetes") is not None,
             "the 'live' extra (pip install -e '.[live]')"),
    "kustomize": (lambda: bool(shutil.which("kubectl") or shutil.which("kustomize")),
                  "kubectl or kustomize on PATH"),
    "opa": (lambda: bool(shutil.which("opa")), "the opa binary on PATH"),
    "kubeconform": (lambda: bool(shutil.which("kubeconform")), "kubeconform on PATH"),
    "git": (lambda: bool(shutil.which("git")), "git on PATH"),
}


def missing(*needs: str) -> list[str]:
    """What of `needs` this machine lacks, each as 'name (how to get it)'."""
    return [f"{name}: {_NEEDS[name][1]}" for name in needs if not _NEEDS[name][0]()]


def requires(*needs: str) -> pytest.MarkDecorator:
    """Mark a test (or `pytestmark` a module) as needing an extra or a tool; skipped,
    naming it, when absent: `@requires("helm")`."""
    lacking = missing(*needs)
    return pytest.mark.skipif(bool(lacking), reason="needs " + "; ".join(lacking))


@pytest.fixture(name="requires")
def requires_fixture() -> Callable[..., None]:
    """In a test body: `requires("helm", "kustomize")` skips naming what is missing."""

    def check(*needs: str) -> None:
        lacking = missing(*needs)
        if lacking:
            pytest.skip("needs " + "; ".join(lacking))

    return check


# --- real git repositories in tmp dirs -------------------------------------------------------
GIT_ENV = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


class GitRepo:
    """A real git repository: write files (text, or YAML documents), commit, run git."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        return subprocess.run(["git", *args], cwd=self.root, env=GIT_ENV, check=True,
                              capture_output=True, text=True, timeout=60).stdout

    def write(self, path: str, content: str | list[dict[str, Any]] | dict[str, Any]) -> Path:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if not isinstance(content, str):
            docs = content if isinstance(content, list) else [content]
            content = yaml.safe_dump_all(docs, sort_keys=False)
        target.write_text(content)
        return target

    def commit(self, message: str = "change") -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD").strip()


@pytest.fixture
def git_repo(tmp_path: Path) -> GitRepo:
    """An empty git repository (branch main) in a tmp dir."""
    return GitRepo(tmp_path / "repo")


# --- golden files ----------------------------------------------------------------------------
Golden = Callable[[str, str], None]


def compare_golden(golden: Path, actual: str) -> None:
    """`actual` must equal the file; GITOPS_GUARD_REGEN=1 rewrites it instead."""
    if os.environ.get("GITOPS_GUARD_REGEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual)
    assert actual == golden.read_text(), f"differs from {golden} (GITOPS_GUARD_REGEN=1 rewrites)"


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    """`golden("name.txt", actual)` compares with golden/name.txt beside the test module."""
    here = Path(str(request.path)).parent / "golden"
    return lambda name, actual: compare_golden(here / name, actual)
