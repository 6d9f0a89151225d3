"""Argo CD's glob dialects, table-driven: each expectation is what gobwas/glob, Go's
path.Match and git's pathspec give."""
from __future__ import annotations

import pytest

from gitops_guard.render.argo.globs import gobwas_match, path_match, pathspec_match


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
