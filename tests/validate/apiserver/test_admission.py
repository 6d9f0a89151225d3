"""ValidatingAdmissionPolicies in the repo (validate/apiserver/admission.py): matched by
resource rules, namespace and object selectors, matchConditions; params; actions."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import DATA, RunCli

POLICY = (DATA / "apiserver" / "admission-policy.yaml").read_text()
DENIED = "ValidatingAdmissionPolicy 'replica-limit' with binding 'replica-limit-prod' denied "


def run(tmp_path: Path, run_cli: RunCli, text: str, *args: str) -> list[dict[str, Any]]:
    (tmp_path / "all.yaml").write_text(text)
    result = run_cli("check", str(tmp_path / "all.yaml"), "--no-builtin", "-o", "json", *args)
    assert result.code in (0, 1), result.err
    return [f for f in result.json()["findings"] if f["source"] == "apiserver"]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_policy_denies_only_what_it_matches_at_the_resource(tmp_path: Path,
                                                            run_cli: RunCli) -> None:
    found = run(tmp_path, run_cli, POLICY)
    start = line_of(POLICY, "metadata: {name: web, namespace: shop") - 2
    # app-ok passes; web-exempt fails matchConditions; web-dev's namespace is not prod
    assert sorted((f["rule_id"], f["severity"], f["line"], f["column"], f["message"],
                   f["resource"]["name"]) for f in found) == [
        ("GG238", "error", start, 1, DENIED + "request: failed expression: "
         "object.metadata.name.startsWith('app-')", "web"),
        ("GG238", "error", start, 1, DENIED + "request: replicas 5 exceed 3", "web"),
    ]


def test_warn_action_is_a_warning_and_audit_alone_is_silent(tmp_path: Path,
                                                            run_cli: RunCli) -> None:
    warn = POLICY.replace("validationActions: [Deny]", "validationActions: [Warn, Audit]")
    assert {f["severity"] for f in run(tmp_path, run_cli, warn)} == {"warning"}
    audit = POLICY.replace("validationActions: [Deny]", "validationActions: [Audit]")
    assert run(tmp_path, run_cli, audit) == []


def test_missing_params_deny_unless_allowed(tmp_path: Path, run_cli: RunCli) -> None:
    missing = POLICY.replace("paramRef: {name: limits", "paramRef: {name: nothing")
    messages = {f["message"] for f in run(tmp_path, run_cli, missing)}
    assert messages == {DENIED + "request: no params found for policy binding with `Deny` "
                        "parameterNotFoundAction"}
    allowed = missing.replace("parameterNotFoundAction: Deny", "parameterNotFoundAction: Allow")
    assert run(tmp_path, run_cli, allowed) == []


def test_update_only_policies_and_the_off_switch(tmp_path: Path, run_cli: RunCli) -> None:
    update = POLICY.replace('operations: ["CREATE", "UPDATE"]', 'operations: ["UPDATE"]')
    assert run(tmp_path, run_cli, update) == []
    (tmp_path / "cfg.yaml").write_text("apiserver: {admission_policies: false}\n")
    assert run(tmp_path, run_cli, POLICY, "--config", str(tmp_path / "cfg.yaml")) == []


def test_authorizer_expressions_are_noted_not_guessed(tmp_path: Path, run_cli: RunCli) -> None:
    authz = POLICY.replace("object.metadata.name.startsWith('app-')",
                           "authorizer.serviceAccount('ns', 'sa').group('apps').check('get')"
                           ".allowed()")
    found = run(tmp_path, run_cli, authz)
    notes = [f for f in found if f["rule_id"] == "GG237"]
    assert len(notes) == 1 and notes[0]["severity"] == "info"
    assert notes[0]["message"].startswith("ValidatingAdmissionPolicy 'replica-limit' "
                                          "expression \"authorizer.serviceAccount(")
    assert [f["message"] for f in found if f["rule_id"] == "GG238"] == [
        DENIED + "request: replicas 5 exceed 3"]


def test_policies_in_policy_dirs_judge_the_checked_files(tmp_path: Path,
                                                         run_cli: RunCli) -> None:
    """-p DIR (and the config's policies:) may hold admission policies beside Rego."""
    docs = POLICY.split("---\n")
    policy_dir = tmp_path / "policies"
    policy_dir.mkdir()
    (policy_dir / "replica-limit.yaml").write_text("---\n".join(docs[:2]))
    (policy_dir / "notes.yaml").write_text("just: data\n")
    found = run(tmp_path, run_cli, "---\n".join(docs[2:]), "-p", str(policy_dir))
    assert sorted(f["message"] for f in found) == [
        DENIED + "request: failed expression: object.metadata.name.startsWith('app-')",
        DENIED + "request: replicas 5 exceed 3"]
    assert {Path(f["path"]).name for f in found} == {"all.yaml"}  # not the policy file
