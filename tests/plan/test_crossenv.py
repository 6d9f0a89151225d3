"""The cross-environment view: a change landing alike in several environments is one group;
where they diverge because of the change, it says so."""
from __future__ import annotations

from typing import Any

from gitops_guard.plan.crossenv import divergences, group_changes, sections
from gitops_guard.plan.model import Plan
from tests.plan.helpers import deployment, edit, run_plan


def changed(replicas: int, image: str = "web:1.2", namespace: str = "shop") -> dict[str, Any]:
    obj = edit(deployment())
    obj["metadata"]["namespace"] = namespace
    obj["spec"]["replicas"] = replicas
    obj["spec"]["template"]["spec"]["containers"][0]["image"] = image
    return obj


def before(namespace: str = "shop") -> dict[str, Any]:
    return changed(2, namespace=namespace)


def plan(*envs: tuple[str, list[dict[str, Any]], list[dict[str, Any]]]) -> Plan:
    return Plan([run_plan(b, a, name=name) for name, b, a in envs])


def test_the_same_change_in_every_environment_is_one_group() -> None:
    p = plan(("dev", [before()], [changed(3)]), ("prod", [before()], [changed(3)]))
    [group] = group_changes(p)
    assert group.envs == ("dev", "prod")
    assert [(f.path, envs) for f, envs in group.fields] == [("spec.replicas", ("dev", "prod"))]
    assert group.label == "Deployment shop/web"
    assert divergences(p) == []


def test_a_field_changing_in_some_environments_only_is_a_divergence() -> None:
    p = plan(("dev", [before()], [changed(3, "web:1.3")]), ("prod", [before()], [changed(3)]))
    [group] = group_changes(p)
    assert [(f.path, envs) for f, envs in group.fields] == [
        ("spec.replicas", ("dev", "prod")),
        ("spec.template.spec.containers[name=web].image", ("dev",))]
    assert group.only(("dev",)) == "  [dev only]" and group.only(group.envs) == ""
    [d] = divergences(p)
    assert d.message == ("Deployment web changes differently: "
                         "spec.template.spec.containers[name=web].image only in dev")


def test_an_object_changing_in_some_environments_and_kept_in_others() -> None:
    p = plan(("dev", [before()], [changed(3)]), ("prod", [before()], [before()]))
    [d] = divergences(p)
    assert d.message == "Deployment web changes in dev but not in prod"
    assert divergences(plan(("dev", [before()], [changed(3)]))) == []  # one environment


def test_groups_in_other_namespaces_name_each_and_sections_bucket_by_environments() -> None:
    p = plan(("dev", [before("shop-dev")], [changed(3, namespace="shop-dev")]),
             ("prod", [before("shop")], [changed(3, namespace="shop")]),
             ("qa", [], [deployment("extra")]))
    groups = group_changes(p)
    assert [g.envs for g in groups] == [("dev", "prod"), ("qa",)]
    assert groups[0].label == "Deployment {shop-dev,shop}/web"
    assert [envs for envs, _ in sections(groups)] == [("dev", "prod"), ("qa",)]
