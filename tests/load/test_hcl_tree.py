"""python-hcl2's rule tree as a conftest-shaped document with the position of every
element (gitops_guard/load/hcl_tree.py): blocks, attributes, keys and list items at their
own lines; syntax errors and redefined attributes as located findings. What the loader
adds around it (decoding, the size budget): tests/load/test_hcl.py."""
from __future__ import annotations

from pathlib import Path

from gitops_guard.load import load_bytes
from tests.conftest import DATA, RunCli

TF = DATA / "terraform"
SHOWN = "tests/data/terraform"


def test_tf_file_is_one_document_in_conftest_shape() -> None:
    result = load_bytes((TF / "main.tf").read_bytes(), "main.tf")
    assert result.findings == []
    (doc,) = result.documents
    assert doc.source_format == "hcl"
    assert not doc.is_kubernetes
    data = doc.data
    (logs,) = data["resource"]["aws_s3_bucket"]["logs"]  # hcl2json: bodies in a list
    assert logs["acl"] == "public-read"
    assert logs["bucket"] == "shop-${var.env}-logs"  # templates stay as written
    assert logs["tags"] == {"Team": "platform", "Environment": "${var.env}"}
    ingress = data["resource"]["aws_security_group"]["web"][0]["ingress"]
    assert [rule["from_port"] for rule in ingress] == [443, 22]  # repeated blocks: a list
    assert ingress[1]["cidr_blocks"] == ["10.0.0.0/8", "0.0.0.0/0"]
    assert data["terraform"][0]["required_providers"][0]["aws"]["version"] == "~> 5.0"
    assert data["variable"]["env"] == [{"type": "string", "default": "staging"}]
    assert data["variable"]["region"] == [{"type": "string"}]
    assert data["module"]["network"][0]["source"] == "./modules/network"
    assert data["provider"]["aws"][0]["region"] == "${var.region}"


def test_positions_point_at_blocks_attributes_keys_and_items() -> None:
    (doc,) = load_bytes((TF / "main.tf").read_bytes(), "main.tf").documents
    cases = {
        ("resource", "aws_s3_bucket", "logs"): "main.tf:16:1",
        ("resource", "aws_s3_bucket", "logs", 0, "acl"): "main.tf:18:3",
        ("resource", "aws_s3_bucket", "logs", 0, "tags", "Environment"): "main.tf:22:5",
        ("resource", "aws_security_group", "web", 0, "ingress", 0): "main.tf:30:3",
        ("resource", "aws_security_group", "web", 0, "ingress", 1, "from_port"): "main.tf:40:5",
        ("resource", "aws_security_group", "web", 0, "ingress", 1, "cidr_blocks", 1):
            "main.tf:45:7",
        ("variable", "region"): "main.tf:60:1",
        ("terraform", 0, "required_providers", 0, "aws", "source"): "main.tf:5:7",
        # a path the file does not hold stops at the deepest part it has
        ("resource", "aws_s3_bucket", "logs", "versioning", "enabled"): "main.tf:16:1",
    }
    for path, where in cases.items():
        assert str(doc.locate(path)) == where, path


def test_tfvars_are_loaded_as_plain_attributes() -> None:
    (doc,) = load_bytes((TF / "production.tfvars").read_bytes(), "p.tfvars").documents
    assert doc.data == {
        "env": "production", "region": "eu-west-1", "replicas": 3, "enable_backups": True,
        "allowed_cidrs": ["10.0.0.0/8", "192.168.0.0/16"],
    }
    assert str(doc.locate(("allowed_cidrs", 1))) == "p.tfvars:8:3"


def test_syntax_error_is_gg001_with_line_and_column(run_cli: RunCli) -> None:
    result = run_cli("check", "-o", "json", str(TF / "broken.tf"), str(TF / "main.tf"))
    assert result.code == 1
    (finding,) = result.json()["findings"]
    assert (finding["rule_id"], finding["path"], finding["line"], finding["column"]) == (
        "GG001", f"{SHOWN}/broken.tf", 5, 12)
    assert finding["message"] == "invalid HCL: unexpected '='"
    assert "Traceback" not in result.err


def test_unclosed_block_says_so(tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / "open.tf").write_text('resource "a" "b" {\n  x = 1\n')
    result = run_cli("check", str(tmp_path / "open.tf"))
    assert result.code == 1
    assert "open.tf:3:1: error" in result.out
    assert "GG001" in result.out and "unexpected end of file" in result.out


def test_redefined_attribute_is_reported_at_the_second_definition(run_cli: RunCli) -> None:
    result = run_cli("check", str(TF / "redefined.tfvars"))
    assert result.code == 1
    assert f"{SHOWN}/redefined.tfvars:3:1: error" in result.out
    assert "GG002" in result.out and "'region' is defined twice" in result.out


def test_empty_tf_file_is_an_empty_document() -> None:
    (doc,) = load_bytes(b"# only a comment\n", "empty.tf").documents
    assert doc.data == {}


def test_deep_nesting_is_a_finding_not_a_crash(tmp_path: Path, run_cli: RunCli) -> None:
    deep = tmp_path / "deep.tf"
    deep.write_text("a = " + "[" * 10_000 + "]" * 10_000 + "\n")
    result = run_cli("check", str(deep))
    assert result.code == 1
    assert "deep.tf:1:1: error" in result.out and "invalid HCL: nested too deeply" in result.out
    assert result.err == ""
