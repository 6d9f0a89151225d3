"""Hostile Python policies (tests/data/hostile/policies/), through the installed command:
a rule that sleeps forever is stopped at `timeouts.policy_seconds` and named in a GG040
finding while the other rules still run; a policy that prints Secret values (print,
sys.__stdout__, os.write on fd 1 and 2, a child process) prints nothing; one that
raises with a Secret value in its exception is reported with the value masked; one
whose top level never finishes is exit 2, naming the file."""
from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

GUARD = Path(sys.executable).with_name("gitops-guard")
POLICIES = Path(__file__).parents[1] / "data" / "hostile" / "policies"
CANARY = "canary-policy-9d1e5b7c"
CANARY_STRING = "canary-string-2f8a6c41"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / ".gitops-guard.yaml").write_text("timeouts: {policy_seconds: 1}\n")
    b64 = base64.b64encode(CANARY.encode()).decode()
    (root / "manifests.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: one}\ndata: {a: b}\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: two}\ndata: {a: b}\n---\n"
        f"apiVersion: v1\nkind: Secret\nmetadata: {{name: s}}\ndata: {{password: {b64}}}\n"
        "---\n"
        f"apiVersion: v1\nkind: Secret\nmetadata: {{name: t}}\n"
        f"stringData: {{token: {CANARY_STRING}}}\n")
    return root


def guard(root: Path, *argv: str, limit: float = 60) -> tuple[int, str, str, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITOPS_GUARD")}
    started = time.monotonic()
    done = subprocess.run([str(GUARD), *argv], cwd=root, capture_output=True, text=True,
                          timeout=limit, env=env)
    return done.returncode, done.stdout, done.stderr, time.monotonic() - started


def test_a_rule_that_sleeps_forever_is_stopped_named_and_the_run_goes_on(repo: Path) -> None:
    code, out, err, seconds = guard(repo, "check", "--no-schema", "-o", "json",
                                    "-p", str(POLICIES / "sleeps_forever.py"))
    assert seconds < 20, "the watchdog did not stop the rule"
    assert code == 1, err
    findings = json.loads(out)["findings"]
    (stopped,) = [f for f in findings if f["rule_id"] == "GG040"]
    assert "policy HOSTILE001" in stopped["message"]
    assert "sleeps_forever.py:" in stopped["message"]
    assert "timed out after 1s (config timeouts.policy_seconds)" in stopped["message"]
    assert "not run again" in stopped["message"]  # one timeout, not one per ConfigMap
    builtin = [f for f in findings if f["rule_id"] not in ("GG040",)]
    assert builtin, "the built-in rules still ran"


@pytest.mark.parametrize("output", ["text", "json", "sarif"])
def test_a_policy_that_prints_secrets_prints_nothing(repo: Path, output: str) -> None:
    code, out, err, _ = guard(repo, "check", "--no-schema", "--no-builtin", "-o", output,
                              "-p", str(POLICIES / "prints_secret.py"))
    assert code == 0, out + err
    assert CANARY not in out + err
    assert "loading HOSTILE002" not in out + err
    if output != "text":
        json.loads(out)  # nothing was printed into the report


def test_an_exception_quoting_a_secret_is_reported_with_the_value_masked(repo: Path) -> None:
    code, out, err, _ = guard(repo, "check", "--no-schema", "--no-builtin",
                              "-p", str(POLICIES / "raises_with_value.py"))
    assert code == 1
    assert "GG040" in out and "policy HOSTILE003" in out and "raised ValueError" in out
    assert CANARY not in out + err and CANARY_STRING not in out + err
    assert "*** (masked)" in out
    assert "Traceback" not in err


def test_a_policy_whose_top_level_never_finishes_is_exit_2(repo: Path) -> None:
    code, out, err, seconds = guard(repo, "check", "--no-schema",
                                    "-p", str(POLICIES / "hangs_at_import.py"))
    assert seconds < 20
    assert code == 2, out + err
    assert "hangs_at_import.py:" in err and "did not finish" in err


def test_hostile_rules_are_contained_in_worker_processes_too(repo: Path) -> None:
    # Past 400 documents the rules are shared out to forked workers: the watchdog and the
    # silencing hold there as well.
    (repo / "many.yaml").write_text("".join(
        f"---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: cm{i}}}\ndata: {{a: b}}\n"
        for i in range(450)))
    code, out, err, seconds = guard(
        repo, "check", "--no-schema", "-j", "2", "-o", "json",
        "-p", str(POLICIES / "sleeps_forever.py"), "-p", str(POLICIES / "prints_secret.py"))
    assert seconds < 20, "the watchdog did not stop the rule"
    assert code == 1, err
    assert CANARY not in out + err and CANARY_STRING not in out + err
    findings = json.loads(out)["findings"]
    (stopped,) = [f for f in findings if f["rule_id"] == "GG040"]
    assert "timed out after 1s" in stopped["message"] and "not run again" in stopped["message"]
    assert any(f["rule_id"].startswith("GG5") for f in findings), "the built-ins still ran"
