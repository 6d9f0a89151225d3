"""The check pipeline end to end: what a user sees for rendered environments."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import RunCli

DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          # gitops-guard: ignore GG501 pinned by the release process
          image: nginx:latest  # gitops-guard: ignore GG502 digest comes from the release
"""


def _repo(root: Path, deploy: str) -> Path:
    (root / "base").mkdir(parents=True)
    (root / "base" / "kustomization.yaml").write_text("resources: [deploy.yaml]\n")
    (root / "base" / "deploy.yaml").write_text(deploy)
    for env in ("staging", "production"):
        (root / "envs" / env).mkdir(parents=True)
        (root / "envs" / env / "kustomization.yaml").write_text("resources: [../../base]\n")
    (root / ".gitops-guard.yaml").write_text(
        "environments:\n  staging: {path: envs/staging}\n"
        "  production: {path: envs/production}\n")
    return root


def test_inline_suppressions_in_a_base_file_apply_to_every_rendered_environment(
        tmp_path: Path, run_cli: RunCli) -> None:
    root = _repo(tmp_path / "repo", DEPLOY)
    result = run_cli("-C", str(root), "check", "-o", "json")
    rules = {(f["rule_id"], f["line"]) for f in result.json()["findings"]}
    assert ("GG501", 16) not in rules  # suppressed in both environments
    assert ("GG050", 15) not in rules  # and so the suppression counts as used
    assert any(rule == "GG304" for rule, _ in rules)  # what is not suppressed still shows


def test_an_unused_suppression_in_a_base_file_is_reported_once(
        tmp_path: Path, run_cli: RunCli) -> None:
    root = _repo(tmp_path / "repo", DEPLOY.replace("nginx:latest", "nginx:1.27"))
    result = run_cli("-C", str(root), "check")
    unused = [line for line in result.out.splitlines() if "GG050" in line]
    assert len(unused) == 1, result.out
    assert "base/deploy.yaml:15:" in unused[0] and "unused suppression of GG501" in unused[0]
