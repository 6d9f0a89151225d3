"""A throwaway repository to run `gitops-guard check` in, for the policy-stage tests."""
from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

POLICY_DATA = Path(__file__).resolve().parents[1] / "data" / "python_policies"


class Repo:
    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, path: str, text: str) -> Path:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return target

    def policy(self, name: str, into: str = "policies") -> str:
        """Copy tests/data/python_policies/NAME into the repo; returns its repo path."""
        target = self.root / into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(POLICY_DATA / name, target)
        return f"{into}/{name}"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return Repo(tmp_path)
