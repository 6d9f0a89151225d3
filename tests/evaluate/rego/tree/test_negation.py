"""`not f(input.missing)`: OPA computes the arguments first, so the statement is undefined;
regorus made `not` true."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.evaluate.rego.tree import rewrite_tree
from tests.conftest import RunCli
from tests.evaluate.rego.conftest import verify_source

NOT_ARGS = r"""package main
import rego.v1
deny contains "no AlwaysPull" if {
    some arg in input.args
    found := regex.find_all_string_submatch_n(`--plugins=(\S+)`, arg, -1)
    not regex.match("AlwaysPull", found[0][1])
}
accept("any", _, _) := true
accept("range", v, ranges) if { some r in ranges; v >= r.min; v <= r.max }
deny contains "user" if {
    rule := input.rule.kind
    not accept(rule, input.user, input.rule.ranges)
}
test_not_with_missing_argument if {
    count(deny) == 0 with input as {"args": ["kube-apiserver", "--plugins=AlwaysPull"]}
    deny == {"no AlwaysPull"} with input as {"args": ["x", "--plugins=Other"]}
    count(deny) == 0 with input as {"rule": {"kind": "any"}, "user": 0}
    ranged := {"kind": "range", "ranges": [{"min": 1, "max": 2}]}
    deny == {"user"} with input as {"rule": ranged, "user": 0}
}
allowed_names := set()
deny contains "external name" if {
    input.kind == "Service"
    not allowed_names[input.spec.externalName]
}
test_not_with_missing_index if {
    count(deny) == 0 with input as {"kind": "Service", "spec": {}}
    deny == {"external name"} with input as {"kind": "Service", "spec": {"externalName": "x"}}
}
test_not_still_true_for_plain_refs if {
    not input.missing
    not input.missing == 1
}
"""


def test_negated_call_with_a_missing_argument_is_undefined(run_cli: RunCli,
                                                           tmp_path: Path) -> None:
    result = verify_source(run_cli, tmp_path, NOT_ARGS)
    assert result.code == 0, result.out + result.err
    assert "3 tests, 3 passed" in result.out


HEAD = "package main\nimport rego.v1\n"


@pytest.mark.parametrize(("body", "want"), [
    ('not regex.match("A", input.x[0])', '__gg_w0 := input.x[0]; not regex.match("A", __gg_w0)'),
    ("not count(input.x) == 1", "__gg_w0 := count(input.x); not __gg_w0 == 1"),
    ("not input.a > 2", "__gg_w0 := input.a; not __gg_w0 > 2"),
    ("not input.a in input.b",
     "__gg_w0 := input.a; __gg_w1 := input.b; not __gg_w0 in __gg_w1"),
    ("not m[input.x.y]", "__gg_w0 := input.x.y; not m[__gg_w0]"),
    ("not m.a[input.b].c", "__gg_w0 := input.b; not m.a[__gg_w0].c"),
    # `not ref == value`, constant arguments, a plain index: as in OPA already; an index
    # that iterates is unsafe in OPA
    ("not input.x == 1", "not input.x == 1"),
    ("not f(1)", "not f(1)"),
    ("not m[x]", "not m[x]"),
    ("not m[input.xs[_]]", "not m[input.xs[_]]"),
])
def test_arguments_are_computed_before_the_not(body: str, want: str) -> None:
    text = rewrite_tree(f"{HEAD}deny contains 1 if {{ x := 1; {body} }}\n", "v1", "t.rego")
    assert text == f"{HEAD}deny contains 1 if {{ x := 1; {want} }}\n"
