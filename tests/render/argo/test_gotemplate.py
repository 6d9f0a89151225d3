"""The Go template subset and Argo CD's two glob dialects, table-driven: each expectation
is what Go's text/template + sprig, gobwas/glob and path.Match give."""
from __future__ import annotations

from typing import Any

import pytest

from gitops_guard.render.argo import gotemplate
from gitops_guard.render.argo.globs import gobwas_match, path_match, pathspec_match
from gitops_guard.render.argo.template import fasttemplate

DATA: dict[str, Any] = {
    "name": "Web", "n": 3, "on": True, "empty": "",
    "path": {"basename": "Guest_Book", "path": "apps/Guest_Book",
             "segments": ["apps", "Guest_Book"]},
    "values": {"env": "prod"},
}


@pytest.mark.parametrize(("text", "expected"), [
    ("{{.path.basename}}", "Guest_Book"),
    ("{{ .name }}-{{ .path.basename | lower }}", "Web-guest_book"),
    ("{{ index .path.segments 1 }}", "Guest_Book"),
    ("{{ .missing | default \"x\" }}", "x"),
    ("{{ .empty | default \"x\" }}", "x"),
    ("{{ default \"x\" .name }}", "Web"),
    ("{{ .missing }}", "<no value>"),
    ("{{ if eq .values.env \"prod\" }}P{{ else if .on }}O{{ else }}N{{ end }}", "P"),
    ("{{ if not .on }}A{{ else }}B{{ end }}", "B"),
    ("a {{- \" b \" | trim -}} c", "abc"),
    ("{{ normalize .path.basename }}", "guest-book"),
    ("{{ printf \"%s-%d\" .name .n }}", "Web-3"),
    ("{{ (index .path.segments 0) | upper }}", "APPS"),
    ("{{ .name | quote }}", '"Web"'),
    ("{{ trunc 2 .name }}", "We"),
    ("{{ .path.basename | replace \"_\" \"-\" | lower }}", "guest-book"),
    ("{{ range .path.segments }}<{{ . }}>{{ end }}", "<apps><Guest_Book>"),
    ("{{ $.name }}{{/* a comment */}}", "Web"),
    ("{{ .on }} {{ .n }}", "true 3"),
    ("{{ toYaml .values }}", "env: prod"),
])
def test_go_template(text: str, expected: str) -> None:
    assert gotemplate.render(text, DATA) == expected


@pytest.mark.parametrize(("text", "error"), [
    ("{{ .nope }}", "map has no entry for key 'nope'"),  # with missingkey=error
    ("{{ $x := 1 }}", "variables"),
    ("{{ with .name }}{{ end }}", "{{with}} is not supported"),
    ("{{ sha1sum .name }}", "function 'sha1sum' is not supported"),
    ("{{ if .on }}x", "{{if}} without {{end}}"),
])
def test_go_template_errors(text: str, error: str) -> None:
    with pytest.raises(gotemplate.TemplateError, match=None) as raised:
        gotemplate.render(text, DATA, ["missingkey=error"])
    assert error in str(raised.value)


def test_fasttemplate_replaces_string_parameters_only() -> None:
    params = {"path.basename": "shop", "n": 3}
    assert fasttemplate("{{path.basename}}-{{ n }}-{{other}}", params) == \
        "shop-{{ n }}-{{other}}"


@pytest.mark.parametrize(("pattern", "text", "expected"), [
    ("*.yaml", "sub/deep/a.yaml", True),  # no separators: * crosses /
    ("{a,b}.yaml", "b.yaml", True),
    ("{a,b}.yaml", "c.yaml", False),
    ("*.{yaml,yml}", "x.yml", True),
    ("[!a]*", "bcd", True),
    ("[!a]*", "abc", False),
    ("sub/?.json", "sub/c.json", True),
])
def test_directory_include_exclude_glob(pattern: str, text: str, expected: bool) -> None:
    assert gobwas_match(pattern, text) is expected


@pytest.mark.parametrize(("pattern", "text", "expected"), [
    ("apps/*", "apps/shop", True),
    ("apps/*", "apps/shop/nested", False),  # path.Match: * stops at /
    ("apps/[^l]*", "apps/shop", True),
    ("apps/[^l]*", "apps/legacy", False),
    ("apps/sho?", "apps/shop", True),
])
def test_git_directory_generator_match(pattern: str, text: str, expected: bool) -> None:
    assert path_match(pattern, text) is expected


@pytest.mark.parametrize(("pattern", "path", "expected"), [
    ("clusters/**/config.json", "clusters/a/b/config.json", True),
    ("clusters/*/config.json", "clusters/a/b/config.json", True),  # git pathspec: * crosses /
    ("clusters/config.json", "clusters/config.json", True),
    ("clusters", "clusters/a.json", True),
    ("clusters/*.json", "other/a.json", False),
])
def test_git_files_generator_pathspec(pattern: str, path: str, expected: bool) -> None:
    assert pathspec_match(pattern, path) is expected
