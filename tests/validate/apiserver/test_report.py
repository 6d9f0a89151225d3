"""The apiserver stage's findings: each at its field, quoted as the API server quotes, a
Secret's values never shown."""
from __future__ import annotations

from gitops_guard.load import load_bytes
from gitops_guard.model import Severity
from gitops_guard.validate.apiserver.report import BAD_LABEL, BAD_NAME, Issues, show

TEXT = b"""\
apiVersion: v1
kind: Secret
metadata:
  name: Bad_Name
  labels: {tier: web}
type: Opaque
"""


def issues(version: tuple[int, int] = (1, 99), **gates: bool) -> Issues:
    [doc] = load_bytes(TEXT, "s.yaml", None).documents
    return Issues(doc, version=version, gates=gates)


def test_each_issue_is_a_finding_at_its_field_or_where_told() -> None:
    found = issues()
    found.add(BAD_LABEL, ("metadata", "labels", "tier"), "bad", Severity.WARNING)
    found.add(BAD_LABEL, ("metadata", "labels", "tier"), "key", at=("metadata", "labels"))
    found.add("GG233", (), "whole document")
    assert [(f.rule_id, f.severity.name, f.location.line, f.field_path, f.message, f.source)
            for f in found.found] == [
        ("GG231", "WARNING", 5, "metadata.labels.tier", "metadata.labels.tier: bad",
         "apiserver"),
        ("GG231", "ERROR", 5, "metadata.labels.tier", "metadata.labels.tier: key", "apiserver"),
        ("GG233", "ERROR", 1, "", "(document): whole document", "apiserver")]


def test_a_secrets_values_are_redacted_but_not_its_name() -> None:
    found = issues()
    found.invalid(BAD_NAME, ("metadata", "name"), "Bad_Name", ["must be lowercase"])
    found.invalid("GG233", ("type",), "hunter2", ["bad type"])
    found.invalid("GG233", ("type",), "x", [])  # no reason: no finding
    assert [f.message for f in found.found] == [
        'metadata.name: Invalid value: "Bad_Name": must be lowercase',
        "type: Invalid value: <redacted>: bad type"]


def test_unsupported_values_list_the_supported_ones() -> None:
    found = issues()
    found.unsupported(("type",), "Opaq", ("Opaque", "kubernetes.io/tls"))
    found.unsupported(("type",), 3, ("Opaque",))  # not a string: the schema's job
    [finding] = found.found
    assert finding.message == ('type: Unsupported value: "Opaq": supported values: '
                               '"Opaque", "kubernetes.io/tls"')


def test_version_and_gates() -> None:
    old = issues((1, 28))
    assert old.since(1, 28) and not old.since(1, 29)
    assert not old.gate("SidecarContainers") and issues((1, 29)).gate("SidecarContainers")
    assert issues((1, 35), SidecarContainers=False).gate("SidecarContainers") is False


def test_show_cuts_long_values() -> None:
    assert show("x" * 100) == '"' + "x" * 66 + "..."
    assert show({"a": 1}) == '{"a": 1}'
