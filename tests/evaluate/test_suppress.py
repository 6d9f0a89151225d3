"""Suppressions: inline comments, the annotation and config entries; unused/expired/no reason."""
from __future__ import annotations

from tests.conftest import RunCli
from tests.evaluate.conftest import Repo

TWO_PODS = """
apiVersion: v1
kind: Pod
metadata:
  name: one
spec:
  containers:
    - name: a
      image: "a:latest"{a_comment}
    - name: b
      image: "b:latest"
---
apiVersion: v1
kind: Pod
metadata:
  name: two
spec:
  containers:
    - name: c
      image: "c:latest"
"""


def _check(repo: Repo, run_cli: RunCli, *extra: str) -> tuple[int, list[str]]:
    policy = repo.policy("no_latest.py")
    result = run_cli("check", "--no-builtin", "--no-schema", "-p", policy, *extra)
    assert result.err == "", result.err
    findings = [line.strip() for line in result.out.splitlines() if line.startswith("  ")]
    return result.code, findings


def test_trailing_comment_on_the_finding_line(repo: Repo, run_cli: RunCli) -> None:
    repo.write("pods.yaml", TWO_PODS.format(
        a_comment="  # gitops-guard: ignore ACME001 vendor image, pinned upstream"))
    code, found = _check(repo, run_cli)
    assert found == [
        "pods.yaml:10:7: error   ACME001  image b:latest uses the latest tag  [Pod one]",
        "pods.yaml:19:7: error   ACME001  image c:latest uses the latest tag  [Pod two]"]
    assert code == 1


def test_comment_on_the_line_above_the_finding(repo: Repo, run_cli: RunCli) -> None:
    repo.write("pods.yaml", TWO_PODS.format(a_comment="").replace(
        "    - name: b\n", "    - name: b\n      # gitops-guard: ignore ACME001 -- mirror only\n"))
    _, found = _check(repo, run_cli)
    assert [f.split(":")[1] for f in found] == ["8", "20"]


def test_comment_on_the_resource_line_covers_that_resource_only(
        repo: Repo, run_cli: RunCli) -> None:
    repo.write("pods.yaml", TWO_PODS.format(a_comment="").replace(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: one",
        "apiVersion: v1  # gitops-guard: ignore ACME001 legacy pod, retired in Q3\n"
        "kind: Pod\nmetadata:\n  name: one"))
    code, found = _check(repo, run_cli)
    assert found == [
        "pods.yaml:19:7: error   ACME001  image c:latest uses the latest tag  [Pod two]"]
    assert code == 1


def test_comment_block_above_the_resource_after_the_separator(
        repo: Repo, run_cli: RunCli) -> None:
    repo.write("pods.yaml", TWO_PODS.format(a_comment="").replace(
        "---\napiVersion", "# gitops-guard: ignore ACME001 load-test pod\n---\n"
        "# owned by team perf\napiVersion"))
    _, found = _check(repo, run_cli)
    assert [f.split(":")[1] for f in found] == ["8", "10"]


def test_annotation_covers_the_resource(repo: Repo, run_cli: RunCli) -> None:
    repo.write("pods.yaml", TWO_PODS.format(a_comment="").replace(
        "  name: two\n",
        "  name: two\n  annotations:\n"
        '    gitops-guard.io/ignore: "ACME009=sandbox, no host access,ACME001=upstream image"\n'))
    code, found = _check(repo, run_cli)
    assert [f.split(":")[1] for f in found] == ["8", "10", "17"]
    assert found[2] == ("pods.yaml:17:5: warning GG050  unused suppression of ACME009: nothing "
                        "here reports ACME009 any more; remove it  [Pod two]")
    assert code == 1


def test_config_entry_with_path_and_resource(repo: Repo, run_cli: RunCli) -> None:
    repo.write("legacy/pods.yaml", TWO_PODS.format(a_comment=""))
    repo.write("current/pods.yaml", TWO_PODS.format(a_comment=""))
    repo.write(".gitops-guard.yaml", """
        ignore:
          - {rule: ACME001, path: "legacy/**", resource: "Pod/one", reason: "being replaced"}
          - {rule: "ACME*", path: "current/**", resource: "Pod/default/one", reason: "nope"}
        """)
    _, found = _check(repo, run_cli)
    assert [f.split(": ")[0] for f in found] == [
        ".gitops-guard.yaml:3:5", "current/pods.yaml:8:7", "current/pods.yaml:10:7",
        "current/pods.yaml:19:7", "legacy/pods.yaml:19:7"]
    # Pod/default/one does not match: the pods have no namespace, so that entry is unused
    assert found[0].startswith(".gitops-guard.yaml:3:5: warning GG050  unused suppression "
                                "of ACME*")


def test_suppression_without_reason_is_reported_and_does_not_suppress(
        repo: Repo, run_cli: RunCli) -> None:
    repo.write("pods.yaml", TWO_PODS.format(a_comment="  # gitops-guard: ignore ACME001"))
    code, found = _check(repo, run_cli)
    assert "pods.yaml:8:7: error   ACME001  image a:latest uses the latest tag  [Pod one]" \
        in found
    assert ("pods.yaml:8:26: warning GG052  suppression of ACME001 has no reason, so it "
            "suppresses nothing: add why after the rule id") in found
    assert code == 1


def test_unused_inline_comment_is_reported(repo: Repo, run_cli: RunCli) -> None:
    repo.write("pods.yaml", TWO_PODS.format(a_comment="").replace(
        "  name: two\n", "  name: two  # gitops-guard: ignore ACME009 old rule\n"))
    _, found = _check(repo, run_cli)
    assert ("pods.yaml:15:14: warning GG050  unused suppression of ACME009: nothing here "
            "reports ACME009 any more; remove it") in found


def test_expired_config_entry_is_reported_and_stops_suppressing(
        repo: Repo, run_cli: RunCli) -> None:
    repo.write("pods.yaml", TWO_PODS.format(a_comment=""))
    repo.write(".gitops-guard.yaml", """
        ignore:
          - rule: ACME001
            resource: Pod/two
            reason: migration
            until: 2020-01-31
          - {rule: ACME001, resource: Pod/one, reason: vendor images, until: 2999-12-31}
        """)
    code, found = _check(repo, run_cli)
    assert found == [
        ".gitops-guard.yaml:2:5: warning GG051  suppression of ACME001 expired on 2020-01-31 "
        "(migration); its findings are reported again",
        "pods.yaml:19:7: error   ACME001  image c:latest uses the latest tag  [Pod two]"]
    assert code == 1


def test_suppressions_cover_schema_findings(repo: Repo, run_cli: RunCli) -> None:
    repo.write("svc.yaml", """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          selector: {app: web}
          ports:
            - port: 80
              protcol: TCP  # gitops-guard: ignore GG202 typo kept for the demo
        """)
    result = run_cli("check", "--no-builtin", "svc.yaml")
    assert result.code == 0, result.out
    assert "GG202" not in result.out and "GG050" not in result.out
    # without schema validation the GG2xx suppression is not "unused": it was not exercised
    result = run_cli("check", "--no-builtin", "--no-schema", "svc.yaml")
    assert "GG050" not in result.out


def test_disabled_rules_do_not_make_suppressions_unused(repo: Repo, run_cli: RunCli) -> None:
    repo.write("pod.yaml", """
        apiVersion: v1  # gitops-guard: ignore GG301 needs the GPU driver
        kind: Pod
        metadata: {name: p}
        spec:
          containers:
            - name: c
              image: ghcr.io/acme/c:1.0
              securityContext: {privileged: true}
        """)
    with_library = run_cli("check", "--no-schema", "pod.yaml")
    assert " GG301 " not in with_library.out and "GG050" not in with_library.out
    assert "GG050" not in run_cli("check", "--no-schema", "--no-builtin", "pod.yaml").out


def test_config_entries_for_files_not_checked_are_not_unused(
        repo: Repo, run_cli: RunCli) -> None:
    repo.write("a/pods.yaml", TWO_PODS.format(a_comment=""))
    repo.write("b/ok.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    repo.write(".gitops-guard.yaml", """
        ignore:
          - {rule: ACME001, path: "a/**", reason: "demo pods"}
        """)
    code, found = _check(repo, run_cli, "b/ok.yaml")  # pre-commit on one other file
    assert (code, found) == (0, [])
    code, found = _check(repo, run_cli)
    assert (code, found) == (0, [])
