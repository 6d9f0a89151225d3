"""kube-linter and checkov suppression annotations, honoured for the built-in rules that
check the same thing."""
from __future__ import annotations

import pytest

from gitops_guard.evaluate.foreign_suppress import KUBE_LINTER, equivalents, foreign_suppressions
from gitops_guard.load import load_bytes


def suppressions(annotations: str) -> list[tuple[str, str, str, int]]:
    text = (f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n{annotations}"
            "spec: {containers: []}\n")
    docs = load_bytes(text.encode(), "p.yaml").documents
    return [(s.rule, s.form, s.reason, s.location.line) for s in foreign_suppressions(docs)]


@pytest.mark.parametrize(("annotations", "expected"), [
    ('    ignore-check.kube-linter.io/privileged-container: "needs the GPU driver"\n',
     [("GG301", "kube-linter", "needs the GPU driver", 6)]),
    ("    ignore-check.kube-linter.io/unset-memory-requirements: ''\n",
     [("GG402", "kube-linter", "kube-linter annotation "
       "ignore-check.kube-linter.io/unset-memory-requirements", 6),
      ("GG403", "kube-linter", "kube-linter annotation "
       "ignore-check.kube-linter.io/unset-memory-requirements", 6)]),
    ("    checkov.io/skip1: CKV_K8S_16=needs the GPU driver\n"
     "    checkov.io/skip2: CKV_K8S_14\n",
     [("GG301", "checkov", "needs the GPU driver", 6),
      ("GG501", "checkov", "checkov annotation checkov.io/skip2: CKV_K8S_14", 7)]),
    ("    ignore-check.kube-linter.io/no-such-check: x\n"
     "    checkov.io/skip1: CKV_K8S_999=x\n"
     "    checkov.io/skipper: CKV_K8S_16=x\n", []),  # no equivalent: nothing
    ("    owner: team-a\n", []),
])
def test_annotations_become_suppressions_of_the_mapped_rules(
        annotations: str, expected: list[tuple[str, str, str, int]]) -> None:
    assert suppressions(annotations) == expected


def test_ignore_all_covers_every_mapped_rule() -> None:
    found = suppressions("    kube-linter.io/ignore-all: vendored chart\n")
    assert {rule for rule, *_ in found} == {i for ids in KUBE_LINTER.values() for i in ids}
    assert {reason for _, _, reason, _ in found} == {"vendored chart"}


def test_equivalents_name_the_other_tools_checks() -> None:
    assert equivalents("GG301") == ["kube-linter privileged-container", "checkov CKV_K8S_16"]
    assert equivalents("GG999") == []
