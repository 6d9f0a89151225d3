from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gitops_guard.evaluate.options import RegoOptions
from gitops_guard.evaluate.rego import evaluate_rego, evaluate_rego_outcome
from gitops_guard.evaluate.rego.errors import RegoError, RegoSyntaxError
from gitops_guard.model import Location, Severity
from tests.conftest import RunCli
from tests.evaluate.rego.conftest import REGO, load_docs

K8S = REGO / "conftest_examples" / "kubernetes"


def test_no_policy_paths_returns_nothing_without_importing_regorus() -> None:
    code = (
        "import sys\n"
        "from gitops_guard.evaluate.rego import evaluate_rego\n"
        "from gitops_guard.evaluate.options import RegoOptions\n"
        "assert evaluate_rego([], RegoOptions()) == []\n"
        "print('regorus' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True)
    assert out.stdout.strip() == "False"


def test_config_rego_severities_map_metadata_words() -> None:
    docs = load_docs(REGO / "metadata" / "privileged.yaml")
    mapped = RegoOptions(policy_paths=(str(REGO / "metadata"),), namespaces=("acme.*",),
                         severities=(("error", "error"), ("info", "info"),
                                     ("warning", "warning")))
    findings = {f.rule_id: f for f in evaluate_rego(docs, mapped)}
    assert findings["acme.workloads/deny_no_owner"].severity is Severity.WARNING  # package
    assert findings["ACME-300"].severity is Severity.INFO


def test_unknown_severity_word_is_a_finding_at_the_annotation() -> None:
    docs = load_docs(REGO / "metadata" / "privileged.yaml")
    partial = RegoOptions(policy_paths=(str(REGO / "metadata"),), namespaces=("acme.*",),
                          severities=(("high", "error"), ("error", "error")))
    findings = evaluate_rego(docs, partial)
    unknown = [f for f in findings if f.rule_id == "GG041"]
    assert [(f.location.line, f.severity) for f in unknown] == [(1, Severity.ERROR),
                                                                 (25, Severity.ERROR)]
    assert "custom.severity 'warning' is not in config rego_severities (error, high)" in \
        unknown[0].message
    by_id = {f.rule_id: f.severity for f in findings}
    assert by_id["acme.workloads/deny_no_owner"] is Severity.ERROR  # keeps its default


def test_namespaces_default_to_main_and_accept_globs_and_all() -> None:
    docs = load_docs(REGO / "metadata" / "privileged.yaml")
    paths = (str(REGO / "metadata"),)
    assert evaluate_rego(docs, RegoOptions(policy_paths=paths)) == []
    assert len(evaluate_rego(docs, RegoOptions(policy_paths=paths, all_namespaces=True))) == 3
    assert evaluate_rego(docs, RegoOptions(policy_paths=paths, namespaces=("acme",))) == []


def test_object_results_keep_other_keys_as_metadata() -> None:
    docs = load_docs(K8S / "deployment+service.yaml")
    options = RegoOptions(policy_paths=(str(K8S / "policy"),), data_paths=(str(K8S / "data"),))
    lb = [f for f in evaluate_rego(docs, options) if f.rule_id == "main/violation_load_balancer"]
    assert len(lb) == 1
    assert lb[0].metadata == {"details": {"type": "LoadBalancer"}}
    assert lb[0].severity is Severity.ERROR


def test_combine_gives_one_input_with_path_and_contents(tmp_path: Path) -> None:
    policy = tmp_path / "combine.rego"
    policy.write_text(
        'package main\n\n'
        'deny contains {"msg": msg, "path": [i, "contents", "metadata", "name"]} if {\n'
        '\tsome i, doc in input\n'
        '\tdoc.contents.kind == "Service"\n'
        '\tnot deployment_named(doc.contents.metadata.name)\n'
        '\tmsg := sprintf("service %s has no deployment (of %d documents)", '
        '[doc.contents.metadata.name, count(input)])\n'
        '}\n\n'
        'deployment_named(name) if {\n'
        '\tsome doc in input\n\tdoc.contents.kind == "Deployment"\n'
        '\tdoc.contents.metadata.name == name\n}\n')
    docs = load_docs(K8S / "deployments.yaml", K8S / "deployment+service.yaml")
    findings = evaluate_rego(docs, RegoOptions(policy_paths=(str(policy),), combine=True))
    assert findings == []  # hello-kubernetes has its Deployment in the combined input
    alone = load_docs(K8S / "deployments.yaml") + load_docs(K8S / "deployment+service.yaml")[1:]
    findings = evaluate_rego(alone, RegoOptions(policy_paths=(str(policy),), combine=True))
    assert [f.message for f in findings] == ["service hello-kubernetes has no deployment "
                                            "(of 3 documents)"]
    assert findings[0].location == Location("conftest_examples/kubernetes/deployment+service.yaml",
                                            24, 3)


def test_rego_v0_syntax_needs_v0() -> None:
    docs = load_docs(REGO / "locations" / "workloads.yaml")
    paths = (str(REGO / "v0"),)
    with pytest.raises(RegoSyntaxError):
        evaluate_rego(docs, RegoOptions(policy_paths=paths))
    assert evaluate_rego(docs, RegoOptions(policy_paths=paths, rego_version="v0")) == []


def test_result_object_without_msg_is_an_error(tmp_path: Path) -> None:
    policy = tmp_path / "p.rego"
    policy.write_text('package main\n\ndeny contains {"message": "x"} if true\n')
    with pytest.raises(RegoError, match="without `msg`"):
        evaluate_rego(load_docs(K8S / "clean.yaml"), RegoOptions(policy_paths=(str(policy),)))


def test_missing_policy_path_is_a_usage_error() -> None:
    from gitops_guard.errors import UsageError

    with pytest.raises(UsageError, match="not found"):
        evaluate_rego(load_docs(K8S / "clean.yaml"),
                      RegoOptions(policy_paths=("no/such/dir",)))


def test_tally_counts_like_conftest() -> None:
    docs = load_docs(K8S / "deployment+service.yaml")
    options = RegoOptions(policy_paths=(str(K8S / "policy"),), data_paths=(str(K8S / "data"),))
    assert str(evaluate_rego_outcome(docs, options).tally) == (
        "12 tests, 7 passed, 1 warning, 4 failures, 0 exceptions")


def test_conftest_file_data_names_the_file_being_checked() -> None:
    folder = REGO / "conftest_file"
    docs = load_docs(folder / "db.sops.yaml", folder / "plain.yaml")
    outcome = evaluate_rego_outcome(docs, RegoOptions(policy_paths=(str(folder),)))
    assert [f.message for f in outcome.findings] == ["db.sops.yaml must be encrypted with SOPS"]
    assert outcome.findings[0].location.path == "conftest_file/db.sops.yaml"


def test_boolean_deny_counts_as_a_pass_as_in_conftest() -> None:
    # conftest only reads set/array values; `deny_x if {...}` never fails, it passes.
    folder = REGO / "conftest_file"
    docs = load_docs(folder / "plain.yaml")
    outcome = evaluate_rego_outcome(docs, RegoOptions(policy_paths=(str(folder),)))
    assert outcome.findings == []
    assert str(outcome.tally) == "2 tests, 2 passed, 0 warnings, 0 failures, 0 exceptions"


def test_a_low_deny_fails_the_run_unless_config_maps_low(run_cli: RunCli,
                                                         tmp_path: Path) -> None:
    (tmp_path / "p.rego").write_text("package main\n# METADATA\n# custom:\n#   severity: LOW\n"
                                     'deny contains "minor" if { true }\n')
    (tmp_path / "in.yaml").write_text("a: 1\n")
    args = ("check", "--no-builtin", "-p", str(tmp_path / "p.rego"), str(tmp_path / "in.yaml"))
    result = run_cli(*args)
    assert result.code == 1 and "error   main/deny  minor" in result.out
    (tmp_path / "cfg.yaml").write_text("rego_severities: {low: info}\n")
    mapped = run_cli(*args, "--config", str(tmp_path / "cfg.yaml"))
    assert mapped.code == 0 and "info    main/deny  minor" in mapped.out
