"""ApplicationSet templates: fasttemplate's `{{param}}` and the Go template, filled into
every string of an Application."""
from __future__ import annotations

from gitops_guard.render.argo.template import fasttemplate, fill


def test_fasttemplate_replaces_string_parameters_only() -> None:
    params = {"path.basename": "shop", "n": 3}
    assert fasttemplate("{{path.basename}}-{{ n }}-{{other}}", params) == \
        "shop-{{ n }}-{{other}}"


def test_fill_renders_every_string_and_map_key_and_leaves_the_rest() -> None:
    template = {"metadata": {"name": "{{name}}-app", "labels": {"{{name}}": "yes"}},
                "spec": {"replicas": 3, "paused": False, "args": ["--env={{env}}", None]}}
    params = {"name": "shop", "env": "prod"}
    assert fill(template, params, go=False) == {
        "metadata": {"name": "shop-app", "labels": {"shop": "yes"}},
        "spec": {"replicas": 3, "paused": False, "args": ["--env=prod", None]}}
    assert fill({"n": "{{ .name | upper }}"}, params, go=True) == {"n": "SHOP"}
    assert template["metadata"]["name"] == "{{name}}-app"  # a copy: the template is kept
