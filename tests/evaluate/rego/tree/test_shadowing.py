"""`name := ...` inside a comprehension, after the outer `name` was read there, declares a
new variable (OPA); regorus refused the module ("var name used before definition")."""
from __future__ import annotations

import pytest

from gitops_guard.evaluate.rego.tree import rewrite_tree
from tests.conftest import DATA, RunCli

OPA_SEMANTICS = DATA / "rego" / "opa_semantics"


def test_the_comprehension_head_yields_the_new_variable(run_cli: RunCli) -> None:
    result = run_cli("check", "--no-builtin", "--no-schema", "-o", "json",
                     "-p", str(OPA_SEMANTICS / "policy" / "sidecars.rego"),
                     str(OPA_SEMANTICS / "deployments.yaml"))
    assert [(f["rule_id"], f["resource"]["name"], f["message"])
            for f in result.json()["findings"]] == [
        ("main/deny", "web", """web: a container shares the Deployment's name, running """
                             """["nginx:1.27"]""")]
    assert result.code == 1


HEAD = "package p\nimport rego.v1\nr := {0: 1}\n"


@pytest.mark.parametrize(("body", "want"), [
    # read, then declared: the declaration and what follows it are renamed
    ("x := 1\nf := [x | r[x] == 1; x := 2]", "f := [__gg_x | r[x] == 1; __gg_x := 2]"),
    ("x := 1\ns := {x | r[_] == x; x := 2; x > 1}", "s := {__gg_x | r[_] == x; __gg_x := 2; "
     "__gg_x > 1}"),
    ("x := 1\no := {x: y | r[x]; x := 5; y := x}", "o := {__gg_x: y | r[x]; __gg_x := 5; "
     "y := __gg_x}"),
    # declared first, or `=`, or `_`: nothing to rename
    ("f := [x | x := 2; x > 1]", "f := [x | x := 2; x > 1]"),
    ("x := 1\nf := [x | r[x] == 1; x = 1]", "f := [x | r[x] == 1; x = 1]"),
])
def test_rename_after_the_outer_read(body: str, want: str) -> None:
    text = rewrite_tree(HEAD + body + "\n", "v1", "p.rego")
    assert text.splitlines()[-1] == want
