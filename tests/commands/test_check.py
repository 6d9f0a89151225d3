"""Everyday ergonomics of `check` (issue 13.7): stdin, a single schema file, closed pipes."""
from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from tests.conftest import RunCli

RENDERED = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: shop}
data: {retries: 3}
---
apiVersion: acme.io/v1
kind: Widget
metadata: {name: w, namespace: shop}
spec: {size: big, colour: red}
"""
WIDGET_SCHEMA = {
    "type": "object",
    "properties": {
        "apiVersion": {"type": "string"}, "kind": {"type": "string"},
        "metadata": {"type": "object"},
        "spec": {"type": "object", "additionalProperties": False,
                 "properties": {"size": {"type": "integer"}}},
    },
}


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))


def test_check_dash_reads_stdin(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                run_cli: RunCli) -> None:
    (tmp_path / "unrelated.yaml").write_text("apiVersion: v1\nkind: Broken\n")
    monkeypatch.chdir(tmp_path)  # `-` alone must not check the directory too
    _stdin(monkeypatch, RENDERED)
    result = run_cli("check", "--no-cache", "--no-builtin", "-o", "json", "-")
    assert result.code == 1
    report = result.json()
    found = [(f["path"], f["line"], f["rule_id"]) for f in report["findings"]]
    assert found == [("<stdin>", 4, "GG201"), ("<stdin>", 7, "GG210")]
    assert report["summary"]["files"] == 1


def test_stdin_json_and_files_together(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                       run_cli: RunCli) -> None:
    manifest = tmp_path / "ns.yaml"
    manifest.write_text("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n")
    _stdin(monkeypatch, json.dumps({"apiVersion": "v1", "kind": "ConfigMap",
                                    "metadata": {"name": "x"}, "data": {"a": 1}}))
    result = run_cli("check", "--no-cache", "--no-builtin", "-o", "json", "-", str(manifest))
    assert [(f["path"], f["rule_id"]) for f in result.json()["findings"]] == [
        ("<stdin>", "GG201")]
    assert result.json()["summary"]["files"] == 2


def test_a_schema_file_location_is_used_for_every_resource(tmp_path: Path,
                                                           run_cli: RunCli) -> None:
    """kubeconform's `-schema-location FILE.json`: no template variables, one schema."""
    schema = tmp_path / "widget.json"
    schema.write_text(json.dumps(WIDGET_SCHEMA))
    (tmp_path / "w.yaml").write_text(RENDERED.split("---\n")[1])
    result = run_cli("-C", str(tmp_path), "check", "--no-cache", "--no-builtin", "-o", "json",
                     "--schema-location", "widget.json", "w.yaml")
    found = [(f["line"], f["rule_id"], f["message"]) for f in result.json()["findings"]]
    assert found == [
        (4, "GG201", 'spec.size: "big" is not of type integer (schema widget.json)'),
        (4, "GG202", 'unknown field "spec.colour" (schema widget.json)')]
