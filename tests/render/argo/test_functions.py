"""The functions of ApplicationSet Go templates (Go builtins, sprig, Argo CD's own), called
as a template calls them: each expectation is what Go's text/template + sprig print."""
from __future__ import annotations

from typing import Any

import pytest

from gitops_guard.render.argo import gotemplate
from gitops_guard.render.argo.functions import go_string, sanitize_name, truthy

DATA: dict[str, Any] = {"name": "Web", "n": 3, "empty": "", "ratio": 2.5,
                        "segments": ["apps", "Guest_Book"], "values": {"env": "prod", "b": 1}}


@pytest.mark.parametrize(("text", "expected"), [
    # how values print (fmt's %v)
    ("{{ .segments }}", "[apps Guest_Book]"),
    ("{{ .values }}", "map[b:1 env:prod]"),
    ("{{ .ratio }}", "2.5"),
    # Go builtins
    ('{{ printf "%s-%d" .name .n }}', "Web-3"),
    ("{{ len .segments }}", "2"),
    ('{{ index .values "env" }}', "prod"),
    ("{{ index .segments 0 }}", "apps"),
    ("{{ and .name .empty }}", ""),
    ("{{ or .empty .name }}", "Web"),
    ("{{ not .empty }}", "true"),
    ("{{ eq .n 1 2 3 }}", "true"),  # eq with several: any of them
    ("{{ ne .n 3 }}", "false"),
    ("{{ lt .n 4 }}", "true"),
    ('{{ print .name "-" .n }}', "Web-3"),
    # sprig, piped value last
    ('{{ .name | trimPrefix "W" }}', "eb"),
    ('{{ "name-x" | trimSuffix "-x" }}', "name"),
    ('{{ "a.b.c" | replace "." "-" }}', "a-b-c"),
    ('{{ trunc 3 "abcdef" }}', "abc"),
    ('{{ trunc -2 "abcdef" }}', "ef"),
    ('{{ repeat 2 "ab" }}', "abab"),
    ('{{ title "hello world" }}', "Hello World"),
    ('{{ "a,b" | splitList "," | join "+" }}', "a+b"),
    ('{{ quote .name }}', '"Web"'),
    ('{{ squote .name }}', "'Web'"),
    ('{{ cat .name .n }}', "Web 3"),
    ('{{ contains "e" .name }}', "true"),
    ('{{ hasPrefix "We" .name }}', "true"),
    ('{{ .empty | default "none" }}', "none"),
    ("{{ empty .empty }}", "true"),
    ("{{ .segments | first }}", "apps"),
    ("{{ .segments | last }}", "Guest_Book"),
    ("{{ toJson .values }}", '{"b":1,"env":"prod"}'),
    ('{{ dict "a" 1 "b" "x" | toJson }}', '{"a":1,"b":"x"}'),
    ("{{ list 1 2 3 | last }}", "3"),
    ('{{ fromYaml "a: 1" | toJson }}', '{"a":1}'),
    # Argo CD's own
    ('{{ normalize "Guest_Book.App" }}', "guest-book.app"),
    ('{{ slugify "Hello, World!" }}', "hello-world"),
])
def test_template_functions(text: str, expected: str) -> None:
    assert gotemplate.render(text, DATA) == expected


@pytest.mark.parametrize(("value", "shown"), [
    (None, "<nil>"), (True, "true"), (1.0, "1"), (1e21, "1e+21"), ([1, [2]], "[1 [2]]"),
    ({"b": 1, "a": None}, "map[a:<nil> b:1]")])
def test_go_string(value: Any, shown: str) -> None:
    assert go_string(value) == shown


@pytest.mark.parametrize(("value", "true"), [
    ("", False), ("x", True), (0, False), (0.0, False), (2, True), ([], False), ([0], True),
    ({}, False), (None, False), (False, False)])
def test_truthy(value: Any, true: bool) -> None:
    assert truthy(value) is true


@pytest.mark.parametrize(("name", "clean"), [
    ("Guest_Book", "guest-book"), ("-a.b-", "a.b"), ("x" * 300, "x" * 253)])
def test_sanitize_name(name: str, clean: str) -> None:
    assert sanitize_name(name) == clean
