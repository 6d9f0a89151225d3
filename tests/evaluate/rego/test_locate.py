"""Where a Rego result points (locate.py): `path` or `_loc` in the result, in each form a
policy may write it, run through `check -p` as a user would."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.evaluate.options import RegoOptions
from gitops_guard.evaluate.rego import evaluate_rego
from gitops_guard.model import Location, Severity
from tests.conftest import RunCli
from tests.evaluate.rego.conftest import REGO, load_docs

POD = """apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app.kubernetes.io/name: web}
spec:
  containers:
    - name: app
      image: nginx
"""


@pytest.mark.parametrize(("where", "line_col"), [
    ('"path": ["spec", "containers", 0, "image"]', "9:7"),
    ('"path": "spec.containers[0].image"', "9:7"),
    ('"path": "$.metadata.labels[\\"app.kubernetes.io/name\\"]"', "5:12"),
    ('"_loc": "metadata.name"', "4:3"),
    ('"_loc": {"path": ["metadata", "name"]}', "4:3"),
    ('"_loc": {"line": 7, "column": 5}', "7:5"),
    ('"_loc": {"row": 6}', "6:1"),  # a line without a column: column 1
    ('"path": ["spec", "missing"]', "6:1"),  # the deepest key that exists
    ('"path": ["spec", true]', "1:1"),  # unusable: the document's first line
    ('"path": 3', "1:1"),
])
def test_result_points_at_the_field(run_cli: RunCli, tmp_path: Path, where: str,
                                    line_col: str) -> None:
    (tmp_path / "p.rego").write_text(
        f'package main\ndeny contains {{"msg": "m", {where}}} if true\n')
    (tmp_path / "pod.yaml").write_text(POD)
    result = run_cli("check", "--no-builtin", "-p", str(tmp_path / "p.rego"),
                     str(tmp_path / "pod.yaml"))
    assert result.code == 1, result.out + result.err
    assert f"pod.yaml:{line_col}: error   main/deny  m" in result.out


def test_path_in_result_points_at_the_field_in_a_multi_document_file() -> None:
    docs = load_docs(REGO / "locations" / "workloads.yaml")
    findings = evaluate_rego(docs, RegoOptions(policy_paths=(str(REGO / "locations"),)))
    by_message = {f.message: f for f in findings}
    app = by_message["container app uses a :latest image"]
    assert app.location == Location("locations/workloads.yaml", 20, 11)
    assert app.field_path == "spec.template.spec.containers[1].image"
    assert app.resource is not None and app.resource.name == "web"
    api = by_message["container api uses a :latest image"]
    assert api.location == Location("locations/workloads.yaml", 32, 11)  # third document
    replicas = by_message["a single replica"]  # `_loc` as a dotted string
    assert (replicas.location.line, replicas.severity) == (13, Severity.WARNING)
    plain = by_message["every ConfigMap is denied"]  # no path: the document's first line
    assert plain.location == Location("locations/workloads.yaml", 1, 1)
    assert plain.rule_id == "main/deny_plain" and plain.source == "rego:main"
