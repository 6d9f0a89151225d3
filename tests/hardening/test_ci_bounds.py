"""Unbounded work a PR can ask for, replayed through `gitops-guard ci --trusted-ref main`:
each ends in a finding naming what was refused, in time, never an OOM or a traceback
(docs/security.md, "Bounded"). The times and peak memory of these cases at the default
limits are measured by benchmarks/bounded_cases.py, not here."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import RunCli, requires
from tests.hardening.ci_attack import BASE_CONFIG, DEPLOYMENT, Attack, attack_repo

HELMRELEASE = """\
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: web, namespace: shop}
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/web
      sourceRef: {kind: GitRepository, name: flux-system, namespace: flux-system}
"""
CHART = "apiVersion: v2\nname: web\nversion: 0.1.0\n"
CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata:\n  x: "BODY"\n'


@pytest.fixture
def attack(tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
           ) -> Iterator[Attack]:
    yield from attack_repo(tmp_path, run_cli, monkeypatch)


def _chart(attack: Attack, limits: str) -> None:
    attack.write(".gitops-guard.yaml", BASE_CONFIG + limits)
    attack.write("charts/web/Chart.yaml", CHART)
    attack.write("charts/web/templates/cm.yaml", CONFIGMAP.replace("BODY", "ok"))
    attack.write("clusters/staging/web.yaml", HELMRELEASE)


@requires("helm")
def test_a_helm_template_exhausting_memory_is_a_finding_naming_the_chart(
        attack: Attack) -> None:
    _chart(attack, "limits: {render_memory_mb: 1024}\n")  # the SDK starts in about 900 MB
    attack.pr()
    attack.write("charts/web/templates/cm.yaml",
                 CONFIGMAP.replace("BODY", "{{ range until 1000000000 }}x{{ end }}"))
    seen = attack.ci()
    assert seen.code == 1, seen
    assert "charts/web/Chart.yaml: error   GG121  environment staging: helm stopped at its " \
           "limits rendering chart charts/web (config limits.render_memory_mb: 1024 MB, " \
           "timeouts.render_seconds); nothing of it was checked" in seen.out
    assert "Traceback" not in seen.everything
    attack.assert_no_canary(seen)


@requires("helm")
def test_a_helm_template_that_never_ends_is_stopped_at_render_seconds(attack: Attack) -> None:
    _chart(attack, "timeouts: {render_seconds: 2}\n")
    attack.pr()  # 10^10 steps that allocate little: only the clock stops it
    attack.write("charts/web/templates/cm.yaml", CONFIGMAP.replace(
        "BODY", "{{ range until 100000 }}{{ range until 100000 }}{{ end }}{{ end }}"))
    seen = attack.ci()
    assert seen.code == 1, seen
    assert "charts/web/Chart.yaml: error   GG107  environment staging: helm timed out after " \
           "2s rendering chart charts/web (config timeouts.render_seconds); nothing of it " \
           "was checked" in seen.out
    second = attack.ci()  # never cached
    assert "GG107" in second.out


def alias_bomb(alias: str = "big_value", copies: int = 100_000) -> str:
    """9.6 MB of YAML: one 8 MiB string, aliased `copies` times (800 GB expanded)."""
    return ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb, namespace: shop}\n"
            f'data:\n  a: &{alias} "{"x" * (8 << 20)}"\n'
            f"  b: [{', '.join([f'*{alias}'] * copies)}]\n")


def test_an_alias_bomb_in_bytes_is_refused_at_its_line(attack: Attack) -> None:
    attack.pr()  # synced by main's Flux Kustomization (apps/): loaded, rendered and planned
    attack.write("apps/bomb.yaml", alias_bomb())
    seen = attack.ci()
    assert seen.code == 1, seen
    assert "apps/bomb.yaml:6:6: error   GG004  document 1: alias expansion exceeds " \
           "67,108,864 bytes of text (load_limits.max_expanded_bytes; a YAML alias bomb?); " \
           "not loaded" in seen.out
    assert "apps/bomb.yaml:6:6: error   GG122  kustomize build of apps refused: " \
           "apps/bomb.yaml: alias expansion exceeds 67,108,864 bytes" in seen.out
    assert "x" * 1000 not in seen.everything


def test_the_kustomize_inputs_are_measured_with_the_trusted_load_limits(attack: Attack) -> None:
    attack.write(".gitops-guard.yaml", BASE_CONFIG + "load_limits: {max_expanded_bytes: 100000}\n")
    attack.pr()  # 1 KB aliased 200 times: 200 KB expanded, over main's limit, far under 64 MiB
    attack.write("apps/bomb.yaml", alias_bomb("kb", 200).replace("x" * (8 << 20), "x" * 1000))
    attack.write(".gitops-guard.yaml",
                 BASE_CONFIG + "load_limits: {max_expanded_bytes: 1000000000}\n")
    seen = attack.ci()  # the PR's own config, raising the limit, is not read
    assert seen.code == 1, seen
    assert "apps/bomb.yaml:6:6: error   GG122  kustomize build of apps refused: " \
           "apps/bomb.yaml: alias expansion exceeds 100,000 bytes of text " \
           "(load_limits.max_expanded_bytes" in seen.out
    assert "apps/bomb.yaml:6:6: error   GG004" in seen.out
    attack.assert_no_canary(seen)


def terraform(resources: int) -> str:
    """About 200 bytes of ordinary HCL per resource."""
    return "".join(f'resource "aws_s3_bucket" "b{i}" {{\n  bucket = "logs-{i}"\n'
                   f'  tags = {{\n    Name = "bucket {i}"\n    Env  = var.env\n  }}\n'
                   f"  lifecycle_rule {{\n    enabled = true\n  }}\n}}\n"
                   for i in range(resources))


def test_an_hcl_file_over_its_budget_is_refused_unparsed(attack: Attack) -> None:
    attack.pr()
    big = terraform(4000)  # ~680 KB: about 12 s and 250 MB in python-hcl2
    attack.write("infra/main.tf", big)
    seen = attack.ci()
    assert seen.code == 1, seen
    assert f"infra/main.tf:1:1: error   GG004  HCL file is {len(big):,} bytes, over the " \
           "524,288-byte limit for one HCL file (load_limits.max_hcl_bytes); not loaded" \
           in seen.out


def test_the_hcl_a_run_parses_is_capped_by_the_trusted_config(attack: Attack) -> None:
    attack.write(".gitops-guard.yaml", BASE_CONFIG + "load_limits: {max_hcl_run_bytes: 4000}\n")
    attack.pr()
    for name in ("a", "b", "c"):  # 1.5 KB each: two fit, the third does not
        attack.write(f"infra/{name}.tf", terraform(10))
    attack.write(".gitops-guard.yaml", BASE_CONFIG)  # the PR's own config is not read
    seen = attack.ci()
    assert seen.code == 1, seen
    assert "infra/c.tf:1:1: error   GG004  not loaded: the run's HCL budget " \
           "(load_limits.max_hcl_run_bytes: 4,000 bytes) is spent by the HCL files before " \
           "it; check fewer at once or raise it" in seen.out
    assert "infra/a.tf" not in seen.out and "infra/b.tf" not in seen.out


def test_a_git_command_that_hangs_is_stopped_at_git_seconds(attack: Attack) -> None:
    attack.write(".gitops-guard.yaml", BASE_CONFIG + "timeouts: {git_seconds: 1}\n")
    attack.pr()
    hook = attack.tmp / "fsmonitor"  # a real git that hangs: its fsmonitor hook sleeps
    hook.write_text("#!/bin/sh\nsleep 8\n")
    hook.chmod(0o755)
    attack.git("config", "core.fsmonitor", str(hook))
    attack.write("apps/web.yaml", DEPLOYMENT.replace("replicas: 2", "replicas: 3"))
    seen = attack.ci()
    assert seen.code == 2, seen
    assert "gitops-guard: error: git diff timed out after 1s (config timeouts.git_seconds)" \
        in seen.err
