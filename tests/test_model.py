"""The values that flow through the pipeline (gitops_guard/model.py): severities, where a
finding is, what resource a document is, the order findings are listed in."""
from __future__ import annotations

from typing import Any

import pytest

from gitops_guard.model import (
    Document,
    Finding,
    FixedPositions,
    Location,
    PolicyTally,
    ResourceKey,
    Severity,
    format_path,
)


@pytest.mark.parametrize(("text", "severity"), [
    ("error", Severity.ERROR), (" Warning ", Severity.WARNING), ("INFO", Severity.INFO)])
def test_severities_parse_and_order(text: str, severity: Severity) -> None:
    assert Severity.parse(text) is severity and severity.label == text.strip().lower()
    assert Severity.INFO < Severity.WARNING < Severity.ERROR


def test_an_unknown_severity_says_which_there_are() -> None:
    with pytest.raises(ValueError, match=r"unknown severity 'fatal' \(error, warning, info\)"):
        Severity.parse("fatal")


@pytest.mark.parametrize(("location", "shown"), [
    (Location("a.yaml", 3, 7), "a.yaml:3:7"), (Location("a.yaml"), "a.yaml"),
    (Location("<stdin>", 1, 1), "<stdin>:1:1")])
def test_a_location_prints_as_editors_read_it(location: Location, shown: str) -> None:
    assert str(location) == shown


@pytest.mark.parametrize(("path", "shown"), [
    (("spec", "template", "spec", "containers", 0, "image"),
     "spec.template.spec.containers[0].image"),
    ((), ""), (("data",), "data"), ((0, "name"), "[0].name")])
def test_field_paths_print_as_kubectl_explain_names_them(path: tuple[Any, ...],
                                                         shown: str) -> None:
    assert format_path(path) == shown


def _doc(data: Any) -> Document:
    return Document("apps/web.yaml", 0, data, FixedPositions(4, 2), line=3)


@pytest.mark.parametrize(("data", "key", "shown"), [
    ({"apiVersion": "apps/v1", "kind": "Deployment",
      "metadata": {"name": "web", "namespace": "shop"}},
     ResourceKey("apps/v1", "Deployment", "shop", "web"), "Deployment shop/web"),
    ({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}},
     ResourceKey("v1", "Namespace", "", "shop"), "Namespace shop"),
    ({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"generateName": "migrate-"}},
     ResourceKey("batch/v1", "Job", "", "migrate-"), "Job migrate-"),
    ({"apiVersion": "v1", "kind": "ConfigMap", "metadata": ["not", "a", "map"]},
     ResourceKey("v1", "ConfigMap", "", ""), "ConfigMap"),
    ({"kind": "ConfigMap"}, None, ""),  # no apiVersion: not a Kubernetes object
    (["a", "list"], None, ""),
    ({"apiVersion": 1, "kind": "ConfigMap"}, None, ""),
], ids=["namespaced", "cluster-scoped", "generateName", "bad metadata", "no apiVersion",
        "a list", "apiVersion not a string"])
def test_which_resource_a_document_is(data: Any, key: ResourceKey | None, shown: str) -> None:
    doc = _doc(data)
    assert doc.resource == key and doc.is_kubernetes is (key is not None)
    if key is not None:
        assert str(key) == shown
        assert key.group == key.api_version.rpartition("/")[0]


def test_a_document_locates_its_fields_and_itself() -> None:
    doc = _doc({"a": 1})
    assert doc.locate(("a",)) == Location("apps/web.yaml", 4, 2)
    assert doc.locate() == Location("apps/web.yaml", 3, 1)  # the document's first line


def test_findings_sort_by_place_then_the_worst_first() -> None:
    def finding(path: str, line: int, severity: Severity, rule: str) -> Finding:
        return Finding(rule, severity, "m", Location(path, line, 1))

    found = [finding("b.yaml", 1, Severity.INFO, "GG1"), finding("a.yaml", 9, Severity.INFO,
             "GG2"), finding("a.yaml", 2, Severity.INFO, "GG3"),
             finding("a.yaml", 2, Severity.ERROR, "GG4")]
    assert [f.rule_id for f in sorted(found, key=Finding.sort_key)] == \
        ["GG4", "GG3", "GG2", "GG1"]


def test_policy_tallies_print_and_add_up_as_conftest_counts() -> None:
    one = PolicyTally(tests=1, passed=1)
    assert str(one) == "1 test, 1 passed, 0 warnings, 0 failures, 0 exceptions"
    assert PolicyTally.total([one, None, PolicyTally(2, 0, 1, 1, 0)]) == \
        PolicyTally(3, 1, 1, 1, 0)
    assert PolicyTally.total([None, None]) is None  # no Rego ran
