"""The real `pre-commit` installs and runs our hook from this checkout, offline.

The hook's virtualenv is built from a local wheelhouse (made once per pyproject.toml,
the only step that reaches the package registry); the hook runs with no index and a
dead proxy, so any network use would fail it.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
DATA = Path(__file__).parent / "data" / "check"


@pytest.fixture(scope="session")
def wheelhouse() -> Path:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:12]
    target = Path(tempfile.gettempdir()) / f"gitops-guard-wheelhouse-{digest}"
    if not (target / ".complete").exists():
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "-q", "-w", str(target), str(ROOT),
             "hatchling"], check=True, timeout=600)
        for built in target.glob("gitops_guard-*.whl"):
            built.unlink()  # the hook installs this checkout, never a stale wheel
        (target / ".complete").touch()
    return target


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def user_repo(tmp_path: Path) -> Iterator[Path]:
    repo = tmp_path / "user-repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    shutil.copy(DATA / "deployment-good.yaml", repo / "good.yaml")
    shutil.copy(DATA / "deployment-bad.yaml", repo / "bad.yaml")
    (repo / "templates").mkdir()
    (repo / "templates" / "deployment.yaml").write_text("replicas: {{ .Values.replicas }}\n")
    subprocess.run(["git", "-C", str(repo), "add", "."], check=True)
    yield repo


def try_repo(repo: Path, home: Path, wheels: Path, *files: str, hook: str = "gitops-guard",
             stage: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(wheels),
        "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9",
        "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9",
    }
    args = ["try-repo", str(ROOT), hook, "--color", "never"]
    if stage:
        args += ["--hook-stage", stage]
    args += ["--files", *files] if files else ["--all-files"]
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=900, check=False)


def test_hook_fails_on_a_bad_manifest_and_passes_on_a_good_one(
    user_repo: Path, pre_commit_home: Path, wheelhouse: Path,
) -> None:
    bad = try_repo(user_repo, pre_commit_home, wheelhouse, "bad.yaml")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "bad.yaml:12:3: error   GG201" in bad.stdout
    assert "bad.yaml:20:11: error   GG202" in bad.stdout
    good = try_repo(user_repo, pre_commit_home, wheelhouse, "good.yaml")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout


def test_results_do_not_depend_on_how_pre_commit_batches_files(
    user_repo: Path, pre_commit_home: Path, wheelhouse: Path,
) -> None:
    # A Service and the Deployment it selects, in two files: seen apart (as parallel batches
    # would) the Service must not be reported as selecting nothing.
    (user_repo / "bad.yaml").unlink()
    (user_repo / "svc.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\n"
        "spec:\n  selector: {app: web}\n  ports: [{port: 80}]\n")
    subprocess.run(["git", "-C", str(user_repo), "add", "-A"], check=True)
    alone = try_repo(user_repo, pre_commit_home, wheelhouse, "svc.yaml")
    together = try_repo(user_repo, pre_commit_home, wheelhouse, "svc.yaml", "good.yaml")
    assert alone.returncode == together.returncode == 0, alone.stdout + together.stdout
    assert "GG604" not in alone.stdout + together.stdout


def test_helm_templates_are_not_passed_to_the_hook(
    user_repo: Path, pre_commit_home: Path, wheelhouse: Path,
) -> None:
    (user_repo / "bad.yaml").unlink()
    subprocess.run(["git", "-C", str(user_repo), "add", "-A"], check=True)
    result = try_repo(user_repo, pre_commit_home, wheelhouse)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "templates/deployment.yaml" not in result.stdout


def test_diff_hook_prints_the_plan_against_the_upstream_branch(
    user_repo: Path, pre_commit_home: Path, wheelhouse: Path, tmp_path: Path,
) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(user_repo), *args], check=True, capture_output=True)

    (user_repo / "bad.yaml").unlink()
    git("add", "-A")
    git("-c", "user.email=a@b.c", "-c", "user.name=A", "commit", "-qm", "base")
    upstream = tmp_path / "upstream.git"
    subprocess.run(["git", "init", "-q", "--bare", str(upstream)], check=True)
    git("remote", "add", "origin", str(upstream))
    git("push", "-q", "-u", "origin", "HEAD:main")
    good = user_repo / "good.yaml"
    good.write_text(good.read_text().replace("replicas: 2", "replicas: 3"))
    git("-c", "user.email=a@b.c", "-c", "user.name=A", "commit", "-qam", "scale")
    result = try_repo(user_repo, pre_commit_home, wheelhouse, hook="gitops-guard-diff",
                      stage="manual")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "spec.replicas: 2 → 3" in result.stdout
