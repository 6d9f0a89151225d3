"""Flux's envsubst operations (render/flux/envsubst_ops.py): what each `${var<op>args}`
does to the value, bash's parameter expansion as fluxcd/pkg/envsubst implements it
(non-strict mode: every default applies when the value is empty or unset)."""
from __future__ import annotations

import pytest

from gitops_guard.render.flux.envsubst import envsubst

PATH = {"path_name": "/home/bozo/ideas/thoughts.for.today"}
FILE = {"filename": "bash.string.txt"}
Z = {"stringZ": "abcABC123ABCabc"}


@pytest.mark.parametrize(("text", "variables", "expected"), [
    # length, case
    ("${#v}", {"v": "abcdEFGH28ij"}, "12"),
    ("${#v}", {"v": "é"}, "2"),  # bytes, as Go's len()
    ("${v^}", {"v": "abcdEFGH28ij"}, "AbcdEFGH28ij"),
    ("${v^^}", {"v": "abcdEFGH28ij"}, "ABCDEFGH28IJ"),
    ("${v,}", {"v": "ABCDEFGH28IJ"}, "aBCDEFGH28IJ"),
    ("${v,,}", {"v": "ABCDEFGH28IJ"}, "abcdefgh28ij"),
    # substrings
    ("${path_name:11}", PATH, "ideas/thoughts.for.today"),
    ("${path_name:11:5}", PATH, "ideas"),
    ("${path_name:11:500}", PATH, "ideas/thoughts.for.today"),
    ("${path_name:x}", PATH, PATH["path_name"]),
    ("${path_name:-5}", PATH, PATH["path_name"]),  # ':-' is a default, not an offset
    ("${path_name:1:2:3}", PATH, PATH["path_name"]),  # length '2:3' is not a number
    # defaults: all of them apply when the value is empty or unset
    ("${v=xyz}", {"v": "abc"}, "abc"),
    ("${v=xyz}", {}, "xyz"),
    ("${v:=xyz}", {}, "xyz"),
    ("${v:-xyz}", {"v": ""}, "xyz"),
    ("${v:-xyz}", {"v": "abc"}, "abc"),
    ("${v:?xyz}", {}, "xyz"),
    ("${v:+xyz}", {}, "xyz"),
    ("${v=${d}}", {"d": "foo"}, "foo"),
    ("${v=prefix${d}-suffix}", {"d": "foo1"}, "prefixfoo1-suffix"),
    ("${v=${w^^}}", {"w": "abc"}, "ABC"),
    # replacement
    ("${stringZ/abc/xyz}", Z, "xyzABC123ABCabc"),
    ("${stringZ//abc/xyz}", Z, "xyzABC123ABCxyz"),
    ("${stringZ/#abc/XYZ}", Z, "XYZABC123ABCabc"),
    ("${stringZ/%abc/XYZ}", Z, "abcABC123ABCXYZ"),
    ("${stringZ/./}", {"stringZ": "foo.bar"}, "foobar"),
    (r"${stringZ/\//-}", {"stringZ": "foo/bar"}, "foo-bar"),
    (r"${stringZ//\//-}", {"stringZ": "foo/bar/baz"}, "foo-bar-baz"),
    # trimming with Go path.Match globs
    ("${filename#*.}", FILE, "string.txt"),
    ("${filename##*.}", FILE, "txt"),
    ("${filename%.*}", FILE, "bash.string"),
    ("${filename%%.*}", FILE, "bash"),
    ("${filename#*/}", {"filename": "path/to/file"}, "to/file"),
    ("${filename##*/}", {"filename": "path/to/file"}, "to/file"),  # '*' stops at '/'
    ("${filename%/*}", {"filename": "path/to/file"}, "path/to"),
    ("${filename#[ab]}", {"filename": "abc"}, "bc"),
    ("${filename#[}", {"filename": "abc"}, "abc"),  # a malformed glob trims nothing
])
def test_operations_as_flux_does(text: str, variables: dict[str, str], expected: str) -> None:
    assert envsubst(text, variables) == expected
