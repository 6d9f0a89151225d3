"""rego.metadata.rule() and rego.metadata.chain() on the embedded engine, as a policy uses
them; the expected values are OPA v1.20.2's on the same modules."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import RunCli

LIB = """# METADATA
# scope: subpackages
# title: All of acme
package acme
"""

POLICY = """# METADATA
# title: Pod rules
# authors:
# - Jane Doe <jane@example.com>
# related_resources:
# - https://example.com/pods
package acme.pods

import rego.v1

# METADATA
# title: No latest tag
# custom:
#   id: ACME-7
#   severity: HIGH
deny contains msg if {
    some c in input.spec.containers
    endswith(c.image, ":latest")
    md := rego.metadata.rule()
    msg := sprintf("%s: %s (%s)", [md.custom.id, md.title, c.name])
}

deny contains msg if {
    input.kind == "Unknown"
    msg := sprintf("%v", [rego.metadata.rule()])  # a definition without annotations
}

# METADATA
# title: F
f(x) := [x, rego.metadata.rule().title] if x > 0 else := rego.metadata.rule()

chain := rego.metadata.chain()
"""

TESTS = """package acme.pods_test
import rego.v1
test_chain if {
    data.acme.pods.chain == [
        {"path": ["acme", "pods", "chain"]},
        {"path": ["acme", "pods"], "annotations": {"scope": "package", "title": "Pod rules",
         "authors": [{"name": "Jane Doe", "email": "jane@example.com"}],
         "related_resources": [{"ref": "https://example.com/pods"}]}},
        {"path": ["acme"], "annotations": {"scope": "subpackages", "title": "All of acme"}},
    ]
}
test_else_branch_has_no_annotations if {
    data.acme.pods.f(1) == [1, "F"]
    data.acme.pods.f(0) == {}
}
test_unannotated_definition if {
    data.acme.pods.deny == {"{}"} with input as {"kind": "Unknown"}
}
"""


def _write(tmp_path: Path) -> Path:
    policy = tmp_path / "policy"
    policy.mkdir()
    (policy / "lib.rego").write_text(LIB)
    (policy / "pods.rego").write_text(POLICY)
    (policy / "pods_test.rego").write_text(TESTS)
    return policy


def test_rule_metadata_in_a_finding(run_cli: RunCli, tmp_path: Path) -> None:
    policy = _write(tmp_path)
    (tmp_path / "pod.yaml").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
        "  - {name: web, image: 'nginx:latest'}\n")
    result = run_cli("check", "--no-builtin", "--no-schema", "-p", str(policy), "-n",
                     "acme.pods", str(tmp_path / "pod.yaml"))
    assert result.code == 1, result.out + result.err
    assert "ACME-7: No latest tag (web)" in result.out


def test_chain_and_rule_as_opa(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("verify", "-p", str(_write(tmp_path)))
    assert result.code == 0, result.out + result.err
    assert "3 tests, 3 passed" in result.out
