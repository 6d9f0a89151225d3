"""`check --write-baseline FILE` then `check --baseline FILE`: only new findings are reported."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import RunCli
from tests.evaluate.conftest import Repo

PODS = """
apiVersion: v1
kind: Pod
metadata: {name: one}
spec:
  containers:
    - {name: a, image: "a:latest"}
    - {name: b, image: "b:latest"}
"""
EXAMPLE = Path(__file__).parents[2] / "examples" / "gitops-repo"


def _run(run_cli: RunCli, policy: str, *extra: str) -> tuple[int, str, str]:
    result = run_cli("check", "--no-builtin", "--no-schema", "-p", policy, *extra)
    return result.code, result.out, result.err


def test_write_then_hide_and_survive_inserted_lines(repo: Repo, run_cli: RunCli) -> None:
    policy = repo.policy("no_latest.py")
    repo.write("pods.yaml", PODS)
    code, out, err = _run(run_cli, policy, "--write-baseline", ".gitops-guard-baseline.json")
    assert code == 0  # recording is not a failure
    assert "gitops-guard: wrote 2 findings to baseline .gitops-guard-baseline.json" in err
    assert out.endswith("1 file, 1 resource, 2 errors, 0 warnings\n")  # the report still prints
    recorded = json.loads((repo.root / ".gitops-guard-baseline.json").read_text())
    assert sorted((e["rule_id"], e["path"], e["field"]) for e in recorded["findings"]) == [
        ("ACME001", "pods.yaml", "spec.containers[0].image"),
        ("ACME001", "pods.yaml", "spec.containers[1].image")]
    assert "line" not in json.dumps(recorded)

    code, out, _ = _run(run_cli, policy, "--baseline", ".gitops-guard-baseline.json")
    assert code == 0
    assert out == "1 file, 1 resource, 0 errors, 0 warnings, 2 hidden by baseline\n"

    # Lines inserted at the top move every finding down: still hidden.
    repo.write("pods.yaml", "# owned by team-a\n# see RUNBOOK.md\n\n---\n" + PODS.lstrip())
    code, out, _ = _run(run_cli, policy, "--baseline", ".gitops-guard-baseline.json")
    assert (code, out) == (0, "1 file, 1 resource, 0 errors, 0 warnings, 2 hidden by baseline\n")


def test_new_findings_are_still_reported(repo: Repo, run_cli: RunCli) -> None:
    policy = repo.policy("no_latest.py")
    repo.write("pods.yaml", PODS)
    _run(run_cli, policy, "--write-baseline", ".gitops-guard-baseline.json")
    repo.write("pods.yaml", PODS + '    - {name: c, image: "c:latest"}\n')
    repo.write("more.yaml", PODS)
    code, out, _ = _run(run_cli, policy, "--baseline", ".gitops-guard-baseline.json")
    assert code == 1
    reported = [line.strip().split(": ")[0] for line in out.splitlines()
                if line.startswith("  ")]
    assert reported == ["more.yaml:6:17", "more.yaml:7:17", "pods.yaml:8:17"]
    assert out.endswith("3 errors, 0 warnings, 2 hidden by baseline\n")


def test_identical_findings_are_counted_not_merged(repo: Repo, run_cli: RunCli) -> None:
    policy = repo.policy("no_latest.py")
    twins = PODS.replace('"b:latest"', '"a:latest"').replace("name: b", "name: a")
    repo.write("pods.yaml", twins)
    _run(run_cli, policy, "--write-baseline", ".gitops-guard-baseline.json")
    repo.write("pods.yaml", twins + '    - {name: a, image: "a:latest"}\n')
    code, out, _ = _run(run_cli, policy, "--baseline", ".gitops-guard-baseline.json", "-o", "json")
    payload = json.loads(out)
    assert code == 1
    assert [f["field"] for f in payload["findings"]] == ["spec.containers[2].image"]


def test_missing_or_invalid_baseline_exits_2(repo: Repo, run_cli: RunCli) -> None:
    policy = repo.policy("no_latest.py")
    repo.write("pods.yaml", PODS)
    code, _, err = _run(run_cli, policy, "--baseline", "nope.json")
    assert code == 2
    assert "--baseline nope.json: no such file" in err
    repo.write("bad.json", "[1, 2]")
    code, _, err = _run(run_cli, policy, "--baseline", "bad.json")
    assert code == 2
    assert "--baseline bad.json: not a gitops-guard baseline" in err


def test_a_baseline_hides_findings_environments_share(tmp_path: Path, run_cli: RunCli) -> None:
    """A base file two environments render is reported once, naming both: the baseline
    records that finding, and must hide it again (it was matched per environment)."""
    example = tmp_path / "example"
    shutil.copytree(EXAMPLE, example, ignore=shutil.ignore_patterns(".gitops-guard-cache",
                                                                     ".known-findings.json"))
    baseline = str(tmp_path / "baseline.json")
    first = run_cli("-C", str(example), "check", "--no-cache", "--write-baseline", baseline)
    assert "(env production, staging)" in first.out
    again = run_cli("-C", str(example), "check", "--no-cache", "--baseline", baseline)
    assert again.code == 0, again.out
    assert again.out.endswith(", 0 errors, 0 warnings, 28 hidden by baseline\n")


def test_the_example_repository_known_findings_are_current(run_cli: RunCli) -> None:
    """examples/gitops-repo is broken on purpose; .known-findings.json records how (the
    project's pre-commit hook runs this): a change to what it reports must be deliberate."""
    result = run_cli("-C", str(EXAMPLE), "check", "--no-cache",
                     "--baseline", ".known-findings.json")
    assert result.code == 0, result.out
    assert ", 0 errors, 0 warnings, " in result.out
