"""action.yml: inputs reach the run script only through the environment."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).parents[1]


def test_no_input_is_interpolated_into_a_run_script() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    for step in action["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step
    env = action["runs"]["steps"][-1]["env"]
    assert env["GG_COMMENT"] == "${{ inputs.comment }}"


def test_hostile_input_stays_one_argument(tmp_path: Path) -> None:
    fake = tmp_path / "gitops-guard"
    record = tmp_path / "argv"
    fake.write_text(f'#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done > {record}\n')
    fake.chmod(0o755)
    hostile = "main; touch pwned $(touch pwned2) `touch pwned3`"
    env = {**os.environ, "PATH": f"{tmp_path}:{os.environ['PATH']}", "GG_BASE": hostile,
           "GG_COMMENT": "github", "GG_SARIF": "out.sarif"}
    subprocess.run([str(ROOT / "scripts" / "action-run.sh")], cwd=tmp_path, env=env,
                   check=True, timeout=30)
    assert record.read_text().splitlines() == [
        "ci", "--fail-on", "error", "--base", hostile, "--comment", "github",
        "--sarif", "out.sarif"]
    assert not any((tmp_path / n).exists() for n in ("pwned", "pwned2", "pwned3"))
