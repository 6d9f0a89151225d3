"""The Python policy API a policy file imports: the @rule decorator, Violation, and the
RuleContext helpers rules use to find pod specs and containers."""
from __future__ import annotations

from typing import Any

import pytest

from gitops_guard.evaluate.api import (
    RuleContext,
    Violation,
    containers_of,
    pod_labels_by_namespace,
    pod_spec_of,
    rule,
)
from gitops_guard.model import Document, FixedPositions, Severity


def pod_spec(**spec: Any) -> dict[str, Any]:
    return {"containers": [{"name": "app", "image": "a"}], **spec}


def workload(kind: str, spec: dict[str, Any], namespace: str = "apps") -> dict[str, Any]:
    body: dict[str, Any] = {
        "Pod": {"spec": spec},
        "Deployment": {"spec": {"template": {"metadata": {"labels": {"app": "web"}},
                                             "spec": spec}}},
        "CronJob": {"spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}}},
        "ConfigMap": {"data": {}},
    }[kind]
    return {"apiVersion": "v1" if kind in ("Pod", "ConfigMap") else "apps/v1", "kind": kind,
            "metadata": {"name": "web", "namespace": namespace}, **body}


def document(data: dict[str, Any]) -> Document:
    return Document("m.yaml", 0, data, FixedPositions(1, 1))


@pytest.mark.parametrize(("kind", "path"), [
    ("Pod", ("spec",)),
    ("Deployment", ("spec", "template", "spec")),
    ("CronJob", ("spec", "jobTemplate", "spec", "template", "spec")),
    ("ConfigMap", None),
])
def test_pod_spec_of_finds_the_pod_template_of_each_workload_kind(
        kind: str, path: tuple[str, ...] | None) -> None:
    spec = pod_spec()
    found = pod_spec_of(workload(kind, spec))
    assert found == (None if path is None else (path, spec))


@pytest.mark.parametrize("resource", [None, "text", [], {"kind": 3},
                                      {"kind": "Deployment", "spec": "broken"}])
def test_pod_spec_of_tolerates_anything(resource: Any) -> None:
    assert pod_spec_of(resource) is None
    assert containers_of(resource) == ()


def test_containers_of_lists_every_container_with_its_path() -> None:
    spec = pod_spec(initContainers=[{"name": "init"}, "junk"],
                    ephemeralContainers=[{"name": "debug"}])
    found = containers_of(workload("Pod", spec))
    assert [(path, c["name"]) for path, c in found] == [
        (("spec", "containers", 0), "app"),
        (("spec", "initContainers", 0), "init"),
        (("spec", "ephemeralContainers", 0), "debug")]
    ctx = RuleContext()
    assert [c["name"] for _, c in ctx.containers(workload("Pod", spec), init=False)] == ["app"]


@pytest.mark.parametrize(("resources", "expected"), [
    ({"requests": {"cpu": "1"}}, []),
    ({"limits": {"cpu": "1"}}, []),
    ({"requests": {"cpu": ""}}, [("app", ("resources", "requests"))]),
    ({"requests": {"memory": "1Gi"}}, [("app", ("resources", "requests"))]),
    ({}, [("app", ("resources",))]),
    (None, [("app", ())]),
])
def test_containers_without_points_at_the_section_to_fill(
        resources: dict[str, Any] | None, expected: list[tuple[str, tuple[str, ...]]]) -> None:
    container: dict[str, Any] = {"name": "app"}
    if resources is not None:
        container["resources"] = resources
    spec = {"containers": [container], "ephemeralContainers": [{"name": "debug"}]}
    found = list(RuleContext().containers_without(workload("Pod", spec), "cpu",
                                                  ("requests", "limits")))
    assert found == [(name, ("spec", "containers", 0, *where)) for name, where in expected]


def test_a_context_for_a_document_answers_for_that_document_and_any_other() -> None:
    judged, other = workload("Pod", pod_spec()), workload("Deployment", pod_spec())
    ctx = RuleContext({"max": 3}, "1.31").for_document(document(judged), "team-a")
    assert (ctx.option("max", 1), ctx.option("min", 1)) == (3, 1)
    assert (ctx.kubernetes_version, ctx.deployed_namespace) == ("1.31", "team-a")
    assert ctx.pod_spec(judged) == (("spec",), judged["spec"])
    assert ctx.pod_spec(other) == (("spec", "template", "spec"),
                                   other["spec"]["template"]["spec"])
    assert [p for p, _ in ctx.containers(other)] == [("spec", "template", "spec",
                                                      "containers", 0)]


def test_a_unit_context_builds_its_pod_index_once() -> None:
    docs = [document(workload("Deployment", pod_spec()))]
    ctx = RuleContext().for_unit(docs)
    assert ctx.pod_index(docs) is ctx.pod_index(docs)
    assert ctx.pod_index(list(docs)) is ctx.pod_index(docs)  # same documents, another list
    assert ctx.pod_index([]) is not ctx.pod_index(docs)


def test_pod_labels_by_namespace() -> None:
    docs = [document(workload("Deployment", pod_spec(), "a")),
            document(workload("ConfigMap", {}, "a")),
            document(workload("Deployment", pod_spec(), "b"))]
    assert pod_labels_by_namespace(docs) == {"a": [{"app": "web"}], "b": [{"app": "web"}]}


def test_rule_decorator_makes_a_rule() -> None:
    @rule(id="ACME001", severity="warning", title="t", kinds=("Pod",))
    def no_pods(resource: Any, ctx: RuleContext) -> Any:
        yield Violation("a pod", ("spec",))

    assert (no_pods.id, no_pods.severity, no_pods.scope) == ("ACME001", Severity.WARNING,
                                                            "document")
    assert no_pods.source_file == __file__
    assert no_pods.applies_to("Pod") and not no_pods.applies_to("Deployment")
    assert list(no_pods.func({}, RuleContext())) == [Violation("a pod", ("spec",))]


@pytest.mark.parametrize(("kinds", "kind", "applies"), [
    ((), "Anything", True), (("*",), "Anything", True), (("Pod",), "Pod", True),
    (("Pod",), "Job", False)])
def test_kinds_a_rule_applies_to(kinds: tuple[str, ...], kind: str, applies: bool) -> None:
    assert rule(id="X", severity="info", title="t", kinds=kinds)(
        lambda r, c: ()).applies_to(kind) is applies


@pytest.mark.parametrize(("arguments", "error"), [
    ({"scope": "cluster"}, "scope must be 'document' or 'all'"),
    ({"severity": "fatal"}, "unknown severity 'fatal'"),
])
def test_bad_rule_arguments_say_what_is_wrong(arguments: dict[str, str], error: str) -> None:
    kwargs: dict[str, Any] = {"id": "X", "severity": "error", "title": "t", **arguments}
    with pytest.raises(ValueError, match=error):
        rule(**kwargs)(lambda r, c: ())
