"""The field-level semantic diff: paths, named lists, order changes, text diffs."""
from __future__ import annotations

from gitops_guard.plan.fields import diff_values
from gitops_guard.plan.model import FieldChange
from tests.plan.helpers import container, deployment, edit, run_plan


def test_image_bump_is_one_field_change_addressed_by_container_name() -> None:
    before = deployment()
    after = edit(before)
    container(after)["image"] = "web:1.3"
    env = run_plan([before], [after])
    [change] = env.changes
    assert change.fields == (FieldChange(
        "spec.template.spec.containers[name=web].image", "changed", "web:1.2", "web:1.3"),)


def test_reordered_env_vars_are_an_order_change_not_value_changes() -> None:
    before = deployment()
    after = edit(before)
    container(after)["env"].reverse()
    [change] = run_plan([before], [after]).changes
    assert change.fields == (FieldChange(
        "spec.template.spec.containers[name=web].env", "reordered", ["A", "B"], ["B", "A"]),)


def test_reorder_and_value_change_are_reported_apart() -> None:
    before = deployment()
    after = edit(before)
    env = container(after)["env"]
    env.reverse()
    env[1]["value"] = "one"
    paths = {(f.path, f.op) for f in run_plan([before], [after]).changes[0].fields}
    assert paths == {("spec.template.spec.containers[name=web].env[name=A].value", "changed"),
                     ("spec.template.spec.containers[name=web].env", "reordered")}


def test_named_items_added_and_removed_by_name() -> None:
    before = {"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]}}
    after = {"spec": {"containers": [{"name": "b", "image": "y"}, {"name": "c", "image": "z"}]}}
    changes = diff_values(before, after)
    assert changes == [
        FieldChange("spec.containers[name=a]", "removed", {"name": "a", "image": "x"}, None),
        FieldChange("spec.containers[name=c]", "added", None, {"name": "c", "image": "z"}),
    ]


def test_lists_keyed_by_key_and_ports_by_number() -> None:
    before = {"items": [{"key": "k1", "path": "a"}, {"key": "k2", "path": "b"}],
              "ports": [{"containerPort": 80}, {"containerPort": 443, "protocol": "TCP"}]}
    after = {"items": [{"key": "k2", "path": "b"}, {"key": "k1", "path": "c"}],
             "ports": [{"containerPort": 443, "protocol": "UDP"}, {"containerPort": 80}]}
    assert diff_values(before, after) == [
        FieldChange("items[key=k1].path", "changed", "a", "c"),
        FieldChange("items", "reordered", ["k1", "k2"], ["k2", "k1"]),
        FieldChange("ports[containerPort=443].protocol", "changed", "TCP", "UDP"),
        FieldChange("ports", "reordered", [80, 443], [443, 80]),
    ]


def test_unkeyed_lists_compare_by_index_and_scalar_lists_whole() -> None:
    before = {"rules": [{"verbs": ["get"]}], "args": ["--a", "--b"]}
    after = {"rules": [{"verbs": ["get", "list"]}, {"verbs": ["*"]}], "args": ["--b", "--a"]}
    assert diff_values(before, after) == [
        FieldChange("rules[0].verbs", "changed", ["get"], ["get", "list"]),
        FieldChange("rules[1]", "added", None, {"verbs": ["*"]}),
        FieldChange("args", "reordered", ["--a", "--b"], ["--b", "--a"]),
    ]


def test_multiline_strings_get_a_compact_unified_diff() -> None:
    before = {"data": {"app.conf": "a=1\nb=2\nc=3\nd=4\ne=5\n"}}
    after = {"data": {"app.conf": "a=1\nb=2\nc=30\nd=4\ne=5\n"}}
    [change] = diff_values(before, after)
    assert change.path == "data.app.conf"
    assert change.text_diff == ("@@ -2,3 +2,3 @@", " b=2", "-c=3", "+c=30", " d=4")


def test_type_change_and_equal_values() -> None:
    assert diff_values({"a": {"b": 1}}, {"a": {"b": 1}}) == []
    assert diff_values({"a": "1"}, {"a": 1}) == [FieldChange("a", "changed", "1", 1)]
    assert diff_values({"a": [1]}, {"a": {"x": 1}}) == [
        FieldChange("a", "changed", [1], {"x": 1})]
