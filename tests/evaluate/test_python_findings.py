"""What running a Python rule yields: violations as findings at their field, and a rule
that raises or overruns as one GG040 finding, with document values masked out of it."""
from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest

from gitops_guard.evaluate.api import RuleContext, Violation, rule
from gitops_guard.evaluate.python import LoadedRule
from gitops_guard.evaluate.python_findings import (
    MASK,
    Failed,
    error_finding,
    failed,
    finding,
    mask_values,
    violations,
)
from gitops_guard.evaluate.sandbox import PolicyTimeout
from gitops_guard.load import load_bytes
from gitops_guard.model import Document, Severity

POD = """\
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers:
    - name: web
      image: nginx:latest
"""
SECRET = ("apiVersion: v1\nkind: Secret\nmetadata: {name: db}\n"
          f"data: {{password: {base64.b64encode(b'hunter2-long').decode()}}}\n")


@rule(id="ACME001", severity="warning", title="no latest", doc_url="https://acme/ACME001")
def no_latest(resource: Any, ctx: RuleContext) -> Iterator[Violation]:
    raise ValueError(f"cannot judge {resource['spec']['containers'][0]['image']}")


LOADED = LoadedRule(no_latest, "python", __file__)


def docs(text: str, path: str = "pod.yaml") -> list[Document]:
    return load_bytes(text.encode(), path).documents


def test_violations_accept_violations_and_strings_only() -> None:
    assert violations(None) == []
    assert violations(["plain", Violation("v", ("spec",))]) == [
        Violation("plain"), Violation("v", ("spec",))]
    with pytest.raises(TypeError, match="must yield Violation or str, not int"):
        violations([3])


def test_a_violation_is_a_finding_at_its_field() -> None:
    [pod] = docs(POD)
    found = finding(LOADED, Violation("latest tag", ("spec", "containers", 0, "image")), pod)
    assert (found.rule_id, found.severity, found.location.path, found.location.line,
            found.field_path, found.doc_url) == (
        "ACME001", Severity.WARNING, "pod.yaml", 7, "spec.containers[0].image",
        "https://acme/ACME001")
    raised = finding(LOADED, Violation("m", severity=Severity.ERROR), pod)
    assert (raised.severity, raised.location.line) == (Severity.ERROR, 1)
    with pytest.raises(TypeError, match="path elements must be str or int"):
        finding(LOADED, Violation("m", (1.5,)), pod)  # type: ignore[arg-type]


def test_document_values_and_decoded_secret_data_are_masked() -> None:
    seen = docs(POD) + docs(SECRET, "secret.yaml")
    text = "ValueError: nginx:latest and hunter2-long in shop, web"
    # values of 4 characters or more: a 3-letter name is too common to mean anything
    assert mask_values(text, seen) == f"ValueError: {MASK} and {MASK} in {MASK}, web"


def test_a_rule_that_raises_is_one_gg040_at_the_first_document_it_failed_on() -> None:
    seen = docs(POD)
    try:
        list(no_latest.func(seen[0].data, RuleContext()))
    except ValueError as exc:
        record = failed(LOADED, exc, 0, seen)
    assert record.what == f"raised ValueError: cannot judge {MASK}"
    assert record.line > 0
    both = record.and_again(record)
    found = error_finding(LOADED, both, seen)
    assert (found.rule_id, found.severity, found.location.path, found.location.line) == (
        "GG040", Severity.ERROR, "pod.yaml", 1)
    assert found.message == (f"policy ACME001 ({__file__}:{record.line}) raised ValueError: "
                             f"cannot judge {MASK} (it failed on 2 documents); this rule's "
                             "results are incomplete")
    assert "nginx:latest" not in found.message


def test_a_timeout_ends_the_count() -> None:
    timeout = failed(LOADED, PolicyTimeout(2.0), 3, [])
    assert timeout == Failed(3, 1, 0, "timed out after 2s (config timeouts.policy_seconds)",
                             True)
    raised = Failed(0, 2, 5, "raised X")
    assert raised.and_again(timeout) == timeout
    assert timeout.and_again(raised) == timeout
    assert "; it was not run again" in error_finding(LOADED, timeout, docs(POD) * 4).message
