"""The schema tests' shared parts: a repo of CRD fixtures, findings by source."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from tests.conftest import DATA, CliResult

CRD = DATA / "crd"


def schema_only(result: CliResult) -> list[dict[str, Any]]:
    """Schema findings only: the built-in policies have their own tests."""
    return [f for f in result.json()["findings"] if f["source"] == "schema"]


def make_repo(tmp_path: Path, *files: str, config: str | None = None) -> Path:
    """A real git repo holding copies of the named fixtures under manifests/."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, timeout=30)
    (tmp_path / "manifests").mkdir()
    for name in files:
        shutil.copy(CRD / name, tmp_path / "manifests" / name)
    if config is not None:
        (tmp_path / ".gitops-guard.yaml").write_text(config)
    return tmp_path


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    hits = [i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line]
    return hits[occurrence - 1]


def keyed(findings: list[dict[str, Any]]) -> list[tuple[str, str, int, int, str]]:
    return sorted((f["rule_id"], f["path"], f["line"], f["column"], f["field"])
                  for f in findings)
