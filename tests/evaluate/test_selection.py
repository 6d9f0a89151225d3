"""Issue 13, point 6: a first run that is useful. `--min-severity`, `--enable/--disable`,
`--skip-kind` (and their config keys), probes at info, and the suppression annotations
of kube-linter and checkov.
"""
from __future__ import annotations

from typing import Any

from tests.conftest import RunCli
from tests.evaluate.conftest import Repo

APP = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  annotations:
    ignore-check.kube-linter.io/privileged-container: "needs the GPU driver"
    ignore-check.kube-linter.io/ssh-port: "no built-in equivalent"
    checkov.io/skip1: CKV_K8S_20=legacy image
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.0
          ports: [{containerPort: 80}]
          securityContext:
            privileged: true
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  ports: [{port: 80}]
  selector: {app: web}
---
apiVersion: v1
kind: Service
metadata:
  name: typo
  namespace: shop
spec:
  ports: [{port: 80}]
  selector: {app: wbe}
"""


def _json(run_cli: RunCli, *args: str) -> dict[str, Any]:
    out = run_cli("check", "--no-schema", "-o", "json", "app.yaml", *args).json()
    assert isinstance(out, dict)
    return out


def _ids(out: dict[str, Any]) -> list[str]:
    findings = out["findings"]
    assert isinstance(findings, list)
    return sorted({f["rule_id"] for f in findings})


def test_probes_are_info_and_foreign_annotations_suppress(repo: Repo, run_cli: RunCli) -> None:
    repo.write("app.yaml", APP)
    out = _json(run_cli)
    findings = out["findings"]
    assert isinstance(findings, list)
    severities = {f["rule_id"]: f["severity"] for f in findings}
    assert severities["GG404"] == severities["GG405"] == "info"
    # kube-linter's privileged-container and checkov's CKV_K8S_20 hide GG301 and GG302;
    # the unmapped ssh-port annotation hides nothing and is not called unused.
    assert "GG301" not in severities and "GG302" not in severities
    assert "GG050" not in severities
    assert "GG303" in severities


def test_min_severity_lists_less_and_counts_everything(repo: Repo, run_cli: RunCli) -> None:
    repo.write("app.yaml", APP)
    every = _json(run_cli)
    floor = _json(run_cli, "--min-severity", "warning")
    assert floor["summary"] == {**every["summary"], "not_listed": every["summary"]["info"]}
    findings = floor["findings"]
    assert isinstance(findings, list) and findings
    assert {f["severity"] for f in findings} == {"warning"}
    text = run_cli("check", "--no-schema", "app.yaml", "--min-severity", "warning")
    assert " info " not in text.out
    assert text.out.rstrip().endswith(
        f"{every['summary']['info']} info, {every['summary']['info']} below --min-severity "
        "not listed")
    repo.write(".gitops-guard.yaml", "min_severity: error\nfail_on: warning\n")
    quiet = run_cli("check", "--no-schema", "app.yaml")
    assert quiet.code == 1  # the gate still sees what is not listed
    assert " warning " not in quiet.out


def test_enable_disable_and_skip_kind(repo: Repo, run_cli: RunCli) -> None:
    repo.write("app.yaml", APP)
    assert "GG303" not in _ids(_json(run_cli, "--disable", "GG303"))
    repo.write(".gitops-guard.yaml", "builtin: {disable: [GG303, GG604]}\n")
    assert "GG303" not in _ids(_json(run_cli))
    assert "GG303" in _ids(_json(run_cli, "--enable", "GG303"))
    assert "GG604" not in _ids(_json(run_cli, "--enable", "GG303"))
    repo.write(".gitops-guard.yaml", "skip_kinds: [apps/Deployment]\n")
    findings = _json(run_cli)["findings"]
    assert isinstance(findings, list)
    assert {f["resource"]["kind"] for f in findings if f["resource"]} == {"Service"}
    # GG604 still sees the Deployment's pods: only the typo selects nothing.
    assert [f["resource"]["name"] for f in findings if f["rule_id"] == "GG604"] == ["typo"]
    findings = _json(run_cli, "--skip-kind", "Service")["findings"]
    assert isinstance(findings, list)
    assert [f for f in findings if f["resource"]] == []
    bad = run_cli("check", "--no-schema", "app.yaml", "--disable", "GG999")
    assert bad.code == 2
    assert "--disable GG999: no such built-in rule" in bad.err


def test_policies_show_names_the_foreign_equivalents(repo: Repo, run_cli: RunCli) -> None:
    out = run_cli("policies", "show", "GG301").out
    assert "also:     suppressed by the annotations of kube-linter privileged-container, " \
           "checkov CKV_K8S_16" in out
