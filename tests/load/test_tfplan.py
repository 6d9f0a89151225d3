from __future__ import annotations

import json
from pathlib import Path

from gitops_guard.load import load_bytes
from tests.conftest import DATA, RunCli

PLAN = DATA / "terraform" / "plan.json"


def test_plan_json_is_one_tfplan_document_holding_the_whole_plan() -> None:
    result = load_bytes(PLAN.read_bytes(), "plan.json")
    assert result.findings == []
    (doc,) = result.documents
    assert doc.source_format == "tfplan"
    assert not doc.is_kubernetes
    changes = {c["address"]: c["change"]["actions"] for c in doc.data["resource_changes"]}
    assert changes == {
        "aws_s3_bucket.logs": ["create"],
        "aws_security_group.web": ["update"],
        "aws_instance.legacy": ["delete"],
        "aws_db_instance.main": ["delete", "create"],
    }
    assert doc.data["planned_values"]["root_module"]["resources"][0]["type"] == "aws_s3_bucket"


def test_plan_positions_are_the_json_positions() -> None:
    (doc,) = load_bytes(PLAN.read_bytes(), "plan.json").documents
    assert str(doc.locate(("resource_changes", 3, "change", "actions"))) == "plan.json:243:9"
    assert str(doc.locate(("resource_changes", 1, "change", "after", "ingress", 0,
                           "cidr_blocks", 0))) == "plan.json:171:17"


def test_compact_plan_from_terraform_show_locates_by_column(tmp_path: Path) -> None:
    compact = json.dumps(json.loads(PLAN.read_text()), separators=(",", ":")).encode()
    (doc,) = load_bytes(compact, "plan.json").documents
    where = doc.locate(("resource_changes", 2, "change", "actions"))
    assert where.line == 1
    assert compact[where.column - 1:].startswith(b'"actions":["delete"]')


def test_check_never_schema_validates_a_plan(run_cli: RunCli) -> None:
    result = run_cli("check", "--reject-missing-schemas", "-o", "json", str(PLAN))
    assert result.code == 0
    body = result.json()
    assert body["findings"] == []
    assert (body["summary"]["files"], body["summary"]["resources"]) == (1, 0)


def test_json_with_only_version_keys_is_not_a_plan() -> None:
    text = b'{"format_version": "1.0", "terraform_version": "1.9.5", "note": "x"}'
    (doc,) = load_bytes(text, "versions.json").documents
    assert doc.source_format == "json"
