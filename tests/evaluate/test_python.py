"""Python policies through `gitops-guard check -p`: loading, locations, broken policies."""
from __future__ import annotations

import sys

from tests.conftest import RunCli
from tests.evaluate.conftest import Repo

MULTI_DOC = """
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  image: nginx:latest
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          image: ghcr.io/acme/migrate:1
      containers:
        - name: api
          image: ghcr.io/acme/api:latest
"""


def test_violation_path_lands_on_its_line_in_the_right_document(
        repo: Repo, run_cli: RunCli) -> None:
    policy = repo.policy("no_latest.py")
    repo.write("app.yaml", MULTI_DOC)
    result = run_cli("check", "--no-builtin", "--no-schema", "-p", policy, "app.yaml")
    assert result.code == 1
    # Only the third document's container; the ConfigMap value is not an image field.
    assert "app.yaml:32:11: error   ACME001  image ghcr.io/acme/api:latest uses the latest " \
           "tag  [Deployment api]" in result.out
    assert result.out.count("ACME001") == 1

    found = run_cli("check", "--no-builtin", "--no-schema", "-p", policy, "app.yaml",
                    "-o", "json").json()["findings"]
    assert [(f["rule_id"], f["severity"], f["line"], f["field"], f["source"], f["doc_url"])
            for f in found] == [
        ("ACME001", "error", 32, "spec.template.spec.containers[0].image",
         "python:policies/no_latest.py", "https://example.com/acme001")]
    assert found[0]["resource"] == {"apiVersion": "apps/v1", "kind": "Deployment",
                                    "namespace": None, "name": "api"}


def test_policies_come_from_config_and_dirs_and_leave_sys_path_alone(
        repo: Repo, run_cli: RunCli) -> None:
    repo.policy("no_latest.py", into="guard")
    repo.policy("unique_names.py", into="guard/more")
    repo.write("guard/_helpers.py", "raise RuntimeError('helpers are not policies')\n")
    repo.write("guard/test_no_latest.py", "raise RuntimeError('tests are not policies')\n")
    repo.write(".gitops-guard.yaml", "policies: [guard/]\n")
    repo.write("a.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers: [{name: c, image: "busybox:latest"}]
        """)
    repo.write("b.yaml", """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: shared}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: shared
        """)
    before = list(sys.path)
    result = run_cli("check", "--no-builtin", "--no-schema")
    assert sys.path == before
    assert result.code == 1, result.err
    assert "a.yaml:5:26: error   ACME001" in result.out
    # scope="all": one call with every document, the finding on the second document
    assert "b.yaml:8:3: warning ACME002  ConfigMap shared also defined in b.yaml" in result.out


def test_star_kinds_reach_non_kubernetes_documents(repo: Repo, run_cli: RunCli) -> None:
    policy = repo.policy("any_document.py")
    repo.write("settings.yaml", "name: app\ndebug: true\n")
    repo.write("cm.yaml", """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: c}
        debug: true
        """)
    result = run_cli("check", "--no-builtin", "--no-schema", "-p", policy)
    lines = [line for line in result.out.splitlines() if "ACME00" in line]
    assert any("settings.yaml:2:1: warning ACME004" in line for line in lines)
    assert any("cm.yaml:4:1: warning ACME004" in line for line in lines)
    # default kinds: Kubernetes documents only; a yielded string points at the resource
    assert any("cm.yaml:1:1: warning ACME005  debug is on" in line for line in lines)
    assert not any("settings.yaml" in line and "ACME005" in line for line in lines)


def test_options_and_kubernetes_version_reach_the_rule(repo: Repo, run_cli: RunCli) -> None:
    policy = repo.policy("options_echo.py")
    repo.write(".gitops-guard.yaml", """
        kubernetes_version: "1.30"
        builtin: {options: {max_keys: 1}}
        """)
    repo.write("cm.yaml", """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: c}
        data: {a: "1", b: "2"}
        """)
    result = run_cli("check", "--no-builtin", "--no-schema", "-p", policy, "cm.yaml")
    assert "cm.yaml:4:1: info    ACME003  2 keys > max_keys 1 (k8s 1.30)" in result.out
    assert result.code == 0  # info is below the default --fail-on error


def test_rule_that_raises_is_a_gg040_finding_naming_rule_file_and_line(
        repo: Repo, run_cli: RunCli) -> None:
    broken = repo.policy("explodes.py")
    fine = repo.policy("no_latest.py")
    repo.write("cms.yaml", """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: one}
        data: {a: "1"}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: two}
        data: {b: "2"}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers: [{name: c, image: "x:latest"}]
        """)
    result = run_cli("check", "--no-builtin", "--no-schema", "-p", broken, "-p", fine)
    assert result.code == 1
    assert "Traceback" not in result.out + result.err
    assert ("cms.yaml:1:1: error   GG040  policy ACME006 (policies/explodes.py:13) raised "
            "KeyError: 'missing' (it failed on 2 documents)") in result.out
    assert "cms.yaml:15:26: error   ACME001" in result.out  # the other rules still ran


def _check_with(repo: Repo, run_cli: RunCli, source: str) -> tuple[int, str]:
    repo.write("policies/bad.py", source)
    repo.write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    result = run_cli("check", "--no-builtin", "--no-schema", "-p", "policies")
    assert "Traceback" not in result.err
    return result.code, result.err


def test_syntax_error_exits_2_naming_file_and_line(repo: Repo, run_cli: RunCli) -> None:
    code, err = _check_with(repo, run_cli, "from x import y\n\ndef broken(:\n    pass\n")
    assert code == 2
    assert "policies/bad.py:3: invalid Python policy: invalid syntax" in err


def test_import_error_exits_2_naming_file_and_line(repo: Repo, run_cli: RunCli) -> None:
    code, err = _check_with(repo, run_cli, '"""doc"""\nimport acme_not_installed\n')
    assert code == 2
    assert ("policies/bad.py:2: cannot load Python policy: ModuleNotFoundError: No module "
            "named 'acme_not_installed'") in err


def test_exception_at_import_exits_2(repo: Repo, run_cli: RunCli) -> None:
    code, err = _check_with(repo, run_cli, "LIMITS = {}\nMAX = LIMITS['max']\n")
    assert code == 2
    assert "policies/bad.py:2: cannot load Python policy: KeyError: 'max'" in err


def test_bad_decorator_arguments_exit_2(repo: Repo, run_cli: RunCli) -> None:
    code, err = _check_with(repo, run_cli, """\
from gitops_guard.evaluate.api import rule

@rule(id="X1", severity="fatal", title="t")
def r(resource, ctx):
    return []
""")
    assert code == 2
    assert "policies/bad.py:3: cannot load Python policy: ValueError: unknown severity" in err


def test_file_without_rules_exits_2(repo: Repo, run_cli: RunCli) -> None:
    code, err = _check_with(repo, run_cli, "X = 1\n")
    assert code == 2
    assert "policies/bad.py: defines no rule" in err


def test_same_id_in_two_files_exits_2_naming_both(repo: Repo, run_cli: RunCli) -> None:
    repo.policy("no_latest.py")
    repo.policy("no_latest.py", into="policies/copy")
    repo.write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    result = run_cli("check", "--no-builtin", "--no-schema", "-p", "policies")
    assert result.code == 2
    assert ("rule id ACME001 is defined twice: in policies/copy/no_latest.py and in "
            "policies/no_latest.py") in result.err


def test_missing_policy_path_exits_2(repo: Repo, run_cli: RunCli) -> None:
    repo.write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    result = run_cli("check", "--no-builtin", "-p", "nowhere")
    assert result.code == 2
    assert "nowhere: policy path not found" in result.err
