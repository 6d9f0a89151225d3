"""The matrix and merge generators (render/argo/generators/combine.py) over list and git
children, and the entry's selector."""
from __future__ import annotations

from tests.plan.helpers import GitRepo
from tests.render.argo.helpers import URL, apps, appset, render, template


def test_list_matrix_merge_and_selector(fleet: GitRepo) -> None:
    listed = {"list": {"elements": [{"env": "dev", "values": {"size": "s"}},
                                    {"env": "prod", "values": {"size": "l"}}]}}
    dirs = {"git": {"repoURL": URL, "revision": "HEAD",
                    "directories": [{"path": "apps/shop"}, {"path": "apps/legacy"}]}}
    matrix = {"matrix": {"generators": [dirs, listed]},
              "selector": {"matchExpressions": [{"key": "env", "operator": "In",
                                                 "values": ["prod"]}]}}
    tmpl = template("{{path.basename}}-{{env}}-{{values.size}}", "{{path}}", "{{env}}")
    got = apps(render(fleet, [appset([matrix], tmpl)]))
    assert set(got) == {"shop-prod-l", "legacy-prod-l"}
    merge = {"merge": {"mergeKeys": ["env"], "generators": [
        listed, {"list": {"elements": [{"env": "prod", "values": {"size": "xl"}},
                                       {"env": "qa", "values": {"size": "m"}}]}}]}}
    got = apps(render(fleet, [appset([merge], template("m-{{env}}-{{values.size}}", "apps/shop",
                                                      "{{env}}"))]))
    assert set(got) == {"m-dev-s", "m-prod-xl"}
