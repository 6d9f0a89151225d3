from __future__ import annotations

from pathlib import Path

from tests.conftest import DATA, RunCli

CHECK = DATA / "check"


def test_replicas_string_and_unknown_key_are_reported_at_their_lines(run_cli: RunCli) -> None:
    result = run_cli("check", "--no-builtin", str(CHECK / "deployment-bad.yaml"))
    assert result.code == 1
    lines = [line.strip() for line in result.out.splitlines()]
    path = "tests/data/check/deployment-bad.yaml"
    assert any(line.startswith(f"{path}:12:3: error") and "GG201" in line
               and 'spec.replicas: "two" is not of type integer' in line for line in lines)
    assert any(line.startswith(f"{path}:20:11: error") and "GG202" in line
               and "imagePullPolicey" in line for line in lines)
    assert lines[-1] == "1 file, 1 resource, 2 errors, 0 warnings"


def test_clean_file_exits_zero(run_cli: RunCli) -> None:
    result = run_cli("check", "--no-builtin", str(CHECK / "deployment-good.yaml"))
    assert result.code == 0
    assert result.out.strip() == "1 file, 1 resource, 0 errors, 0 warnings"


def test_no_strict_allows_unknown_fields(run_cli: RunCli) -> None:
    result = run_cli("check", "--no-builtin", "--no-strict", "-o", "json",
                     str(CHECK / "deployment-bad.yaml"))
    assert [f["rule_id"] for f in result.json()["findings"]] == ["GG201"]


def test_kubernetes_version_selects_schemas(tmp_path: Path, run_cli: RunCli) -> None:
    manifest = tmp_path / "fs.yaml"
    manifest.write_text(
        "apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\n"
        "metadata: {name: x}\nspec:\n  priorityLevelConfiguration: {name: global-default}\n")
    old = run_cli("check", "--no-builtin", "--kubernetes-version", "1.28", "-o", "json",
                  str(manifest))
    assert old.json()["findings"] == []
    new = run_cli("check", "--no-builtin", "--kubernetes-version", "1.32", "-o", "json",
                  str(manifest))
    (finding,) = new.json()["findings"]
    assert finding["rule_id"] == "GG210"
    assert "serves FlowSchema as flowcontrol.apiserver.k8s.io/v1" in finding["message"]


def test_unsupported_kubernetes_version_is_a_usage_error(run_cli: RunCli) -> None:
    result = run_cli("check", "--no-builtin", "--kubernetes-version", "1.19",
                     str(CHECK / "deployment-good.yaml"))
    assert result.code == 2
    assert "unsupported Kubernetes version '1.19': schemas ship for 1.25 to 1.37" in result.err


def test_missing_schema_warns_once_per_kind_and_flags_change_it(
    tmp_path: Path, run_cli: RunCli,
) -> None:
    manifest = tmp_path / "w.yaml"
    manifest.write_text("".join(
        f"---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {{name: w{i}}}\n"
        for i in range(3)))
    warn = run_cli("check", "--no-builtin", "-o", "json", str(manifest))
    assert warn.code == 0
    assert [f["severity"] for f in warn.json()["findings"]] == ["warning"]
    ignore = run_cli("check", "--no-builtin", "--ignore-missing-schemas", str(manifest))
    assert ignore.code == 0 and "0 warnings" in ignore.out
    reject = run_cli("check", "--no-builtin", "--reject-missing-schemas", "-o", "json",
                     str(manifest))
    assert reject.code == 1
    assert [f["severity"] for f in reject.json()["findings"]] == ["error"] * 3


def test_secret_values_never_appear_in_schema_messages(tmp_path: Path, run_cli: RunCli) -> None:
    manifest = tmp_path / "s.yaml"
    manifest.write_text("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"
                        "stringData:\n  password: 987654321\n")
    result = run_cli("check", "--no-builtin", str(manifest))
    assert result.code == 1
    assert "987654321" not in result.out + result.err
    assert "<redacted>" in result.out


def test_kustomize_patch_files_are_partial_resources(tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
        "resources: [deploy.yaml]\npatches:\n  - path: patch.yaml\n")
    (tmp_path / "deploy.yaml").write_text((CHECK / "deployment-good.yaml").read_text())
    (tmp_path / "patch.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n"
        "spec:\n  replicas: many\n")
    result = run_cli("check", "--no-builtin", "-o", "json", str(tmp_path))
    findings = result.json()["findings"]
    # The patch's type error is reported; its missing selector/template are not.
    assert [(f["rule_id"], f["path"].rsplit("/", 1)[-1], f["line"]) for f in findings] == [
        ("GG201", "patch.yaml", 5)]
