"""The Go template subset ApplicationSets use, table-driven: each expectation is what Go's
text/template + sprig give."""
from __future__ import annotations

from typing import Any

import pytest

from gitops_guard.render.argo import gotemplate

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
