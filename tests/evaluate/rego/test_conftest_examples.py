"""conftest's own example policies (kubernetes, exceptions), rewritten: the failures,
warnings, exceptions and exit codes are those conftest documents for them."""
from __future__ import annotations

from gitops_guard.check import exit_code_for
from gitops_guard.evaluate.options import RegoOptions
from gitops_guard.evaluate.rego import evaluate_rego_outcome
from gitops_guard.model import Severity
from tests.conftest import RunCli
from tests.evaluate.rego.conftest import REGO, load_docs

EXAMPLES = REGO / "conftest_examples"
K8S = EXAMPLES / "kubernetes"
K8S_OPTIONS = RegoOptions(policy_paths=(str(K8S / "policy"),), data_paths=(str(K8S / "data"),))


def test_kubernetes_example_failures_and_warnings() -> None:
    outcome = evaluate_rego_outcome(load_docs(K8S / "deployment+service.yaml"), K8S_OPTIONS)
    got = sorted((f.severity.label, f.rule_id, f.message) for f in outcome.findings)
    assert got == [
        ("error", "main/deny_missing_app_label", "Deployment hello-kubernetes must have an app "
         "label"),
        ("error", "main/deny_registry", "image paulbouwer/hello-kubernetes:1.5 is not from an "
         "allowed registry"),
        ("error", "main/deny_run_as_root", "Containers must not run as root in Deployment "
         "hello-kubernetes"),
        ("error", "main/violation_load_balancer", "Service hello-kubernetes has type "
         "LoadBalancer which is not allowed"),
        ("warning", "main/warn_default_namespace", "Deployment hello-kubernetes has no "
         "namespace and would land in default"),
    ]
    # conftest exits 1 on failures; warnings alone pass unless --fail-on-warn
    assert exit_code_for(outcome.findings, "error") == 1


def test_warnings_alone_exit_zero_unless_fail_on_warn() -> None:
    service = load_docs(K8S / "deployment+service.yaml")[1:]
    options = RegoOptions(policy_paths=(str(K8S / "policy" / "warn.rego"),))
    assert evaluate_rego_outcome(service, options).findings == []  # it has a namespace
    deployment = load_docs(K8S / "deployment+service.yaml")[:1]
    findings = evaluate_rego_outcome(deployment, options).findings
    assert [f.severity for f in findings] == [Severity.WARNING]
    assert exit_code_for(findings, "error") == 0
    assert exit_code_for(findings, "warning") == 1  # conftest --fail-on-warn


def test_exception_exempts_the_named_rule_for_matching_inputs_only() -> None:
    outcome = evaluate_rego_outcome(load_docs(K8S / "deployments.yaml"), K8S_OPTIONS)
    root = [f for f in outcome.findings if f.rule_id == "main/deny_run_as_root"]
    assert [f.resource.name for f in root if f.resource] == ["cannot-run-as-root"]
    assert [(e.rule, e.resource) for e in outcome.exceptions] == [
        ("deny_run_as_root", "Deployment apps/can-run-as-root")]
    assert outcome.tally.exceptions == 1
    assert exit_code_for(outcome.findings, "error") == 1


def test_exceptions_docs_summary() -> None:
    """conftest.dev/exceptions: `2 tests, 1 passed, 0 warnings, 0 failures, 1 exception`."""
    options = RegoOptions(policy_paths=(str(EXAMPLES / "exceptions" / "policy"),))
    outcome = evaluate_rego_outcome(load_docs(EXAMPLES / "exceptions" / "deployments.yaml"),
                                    options)
    assert str(outcome.tally) == "2 tests, 1 passed, 0 warnings, 0 failures, 1 exception"
    assert outcome.findings == []
    assert exit_code_for(outcome.findings, "error") == 0


def test_bare_deny_is_exempted_by_the_empty_name(tmp_path: object) -> None:
    from pathlib import Path

    policy = Path(str(tmp_path)) / "p.rego"
    policy.write_text('package main\n\ndeny contains "always" if true\n'
                      'warn_x contains "x" if true\n\n'
                      'exception contains [""] if input.metadata.name == "clean"\n')
    outcome = evaluate_rego_outcome(load_docs(K8S / "clean.yaml"),
                                    RegoOptions(policy_paths=(str(policy),)))
    assert [f.rule_id for f in outcome.findings] == ["main/warn_x"]
    assert outcome.tally.exceptions == 1


def test_clean_input_passes() -> None:
    outcome = evaluate_rego_outcome(load_docs(K8S / "clean.yaml"), K8S_OPTIONS)
    assert outcome.findings == []
    assert str(outcome.tally) == "6 tests, 6 passed, 0 warnings, 0 failures, 0 exceptions"


def test_check_cli_exit_codes_match_conftest(run_cli: RunCli) -> None:
    common = ("check", "--no-schema", "--no-builtin", "-p", str(K8S / "policy"),
              "-d", str(K8S / "data"))
    failing = run_cli(*common, str(K8S / "deployment+service.yaml"))
    assert failing.code == 1  # failures
    assert "main/violation_load_balancer" in failing.out
    clean = run_cli(*common, str(K8S / "clean.yaml"))
    assert clean.code == 0
    warn_only = ("check", "--no-schema", "--no-builtin", "-p", str(K8S / "policy" / "warn.rego"),
                 str(K8S / "deployment+service.yaml"))
    assert run_cli(*warn_only).code == 0  # warnings alone pass
    assert run_cli(*warn_only, "--fail-on-warn").code == 1
    broken = run_cli("check", "--no-schema", "--no-builtin", "-p", str(REGO / "broken"),
                     str(K8S / "clean.yaml"))
    assert broken.code == 2 and "broken.rego:" in broken.err
