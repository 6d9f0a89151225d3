"""YAML accepted where Go's yaml.v3 (kubectl, kustomize, Flux) accepts it: an anchor defined
twice is valid, each alias meaning the latest definition before it (issue 13.4)."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from gitops_guard.load import load_bytes
from tests.conftest import RunCli, requires

REDEFINED = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  labels: &labels
    app: web
  annotations: &labels
    team: shop
data:
  first: &value one
  second: &value two
  third: *value
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: other
  labels: &labels {app: other}
data:
  copy: *labels
"""


def test_a_redefined_anchor_loads_and_the_latest_wins() -> None:
    result = load_bytes(REDEFINED.encode(), "settings.yaml")
    assert result.findings == []
    first, second = (d.data for d in result.documents)
    assert first["data"] == {"first": "one", "second": "two", "third": "two"}
    assert first["metadata"]["annotations"] == {"team": "shop"}
    assert second["data"]["copy"] == {"app": "other"}  # anchors are per document
    # positions still come from the file
    assert result.documents[0].locate(("data", "third")).line == 12
    assert result.documents[1].locate(("metadata", "labels")).line == 18


@requires("kustomize")
def test_the_same_as_kubectl_kustomize(tmp_path: Path) -> None:
    (tmp_path / "settings.yaml").write_text(REDEFINED)
    (tmp_path / "kustomization.yaml").write_text("resources: [settings.yaml]\n")
    built = subprocess.run(["kubectl", "kustomize", str(tmp_path)], capture_output=True,
                           text=True, check=True, timeout=60).stdout
    by_name = {d["metadata"]["name"]: d for d in yaml.safe_load_all(built)}
    ours = load_bytes(REDEFINED.encode(), "settings.yaml").documents
    assert {d.data["metadata"]["name"]: d.data for d in ours} == by_name


@pytest.mark.parametrize(("text", "message", "line"), [
    ("a: *nowhere\n", "invalid YAML: found undefined alias 'nowhere'", 1),
    ("a:\n  b: 1\n c: 2\n",
     "invalid YAML: while parsing a block mapping (line 1, column 1); did not find expected key",
     3),
])
def test_errors_say_where_both_ends_are(tmp_path: Path, run_cli: RunCli, text: str,
                                        message: str, line: int) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    result = run_cli("check", "--no-cache", "--no-builtin", "-o", "json", str(bad))
    (finding,) = result.json()["findings"]
    assert (finding["rule_id"], finding["message"], finding["line"]) == ("GG001", message, line)


def test_deep_nesting_with_a_redefined_anchor_is_a_finding() -> None:
    depth = 900  # under libyaml's 1,000 levels, past what a Python recursion can compose
    text = "a: &x 1\nb: &x 2\nc: " + "[" * depth + "]" * depth + "\n"
    (finding,) = load_bytes(text.encode(), "deep.yaml").findings
    assert (finding.rule_id, finding.location.line) == ("GG004", 1)
    assert "nested too deeply" in finding.message
