"""Go's fmt and text/template as OPA's sprintf and strings.render_template give them (gofmt.py)."""
from __future__ import annotations

import pytest

from gitops_guard.evaluate.rego.gofmt import go_sprintf, go_template


@pytest.mark.parametrize(("fmt", "args", "out"), [
    ("%v", [{"b": [1, "x"], "a": {2, 1}}], '{"a": {1, 2}, "b": [1, "x"]}'),
    ("%.2f|%d|%x|%-4s|", [3.14159, 7, "hi", "ab"], "3.14|7|6869|ab  |"),
    ("%d", [1.5], "%!d(float64=1.5)"),
    ("%s and %s", ["a"], "a and %!s(MISSING)"),
    ("%s", ["a", 1], "a%!(EXTRA int=1)"),
    ("%v %v %v", [True, None, 6.0], "true null 6"),
    ("%v", [1e21], "1e+21"),
])
def test_go_sprintf_formats_like_opa(fmt: str, args: list[object], out: str) -> None:
    assert go_sprintf(fmt, args) == out


def test_render_template_prints_missing_fields_like_go() -> None:
    assert go_template("{{ .a.b }}/{{.c}}", {"a": {"b": 1}}) == "1/<no value>"
