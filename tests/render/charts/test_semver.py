"""Chart version constraints as Helm resolves them (Masterminds semver v3): the newest
version a constraint allows, from an index or a list of tags."""
from __future__ import annotations

import pytest

from gitops_guard.render.charts.semver import (
    ConstraintError,
    best_match,
    parse_constraint,
    parse_version,
)

AVAILABLE = ["0.0.3", "0.0.4", "0.2.3", "0.2.9", "0.3.0", "1.2.0", "1.2.3", "1.2.9",
             "1.3.0", "1.4.5", "1.4.6", "2.0.0-rc.1", "v2.0.0", "2.1.0+build.7",
             "3.0.0-beta.2"]


@pytest.mark.parametrize(("wanted", "best"), [
    ("", "2.1.0+build.7"),  # anything: the newest release, never a pre-release
    ("*", "2.1.0+build.7"),
    ("1.2.3", "1.2.3"),  # an exact version
    ("=1.2.3", "1.2.3"),
    ("v1.2.3", "1.2.3"),
    ("1.2", "1.2.9"),  # a missing part is a wildcard: 1.2.x
    ("1.2.x", "1.2.9"),
    ("1.x", "1.4.6"),
    ("~1.2.3", "1.2.9"),
    ("~>1.2", "1.2.9"),
    ("~1", "1.4.6"),
    ("^1.2.3", "1.4.6"),
    ("^0.2.3", "0.2.9"),
    ("^0.0.3", "0.0.3"),
    (">1.2", "2.1.0+build.7"),
    (">1.2 <1.3.0", None),  # past 1.2.x but below 1.3.0: nothing
    (">1.2, <1.4", "1.3.0"),
    (">=1.2.3 <1.4", "1.3.0"),
    ("=>1.2.3, =<1.3", "1.3.0"),
    ("<=1.2", "1.2.9"),  # dirty: every 1.2.x
    ("<1.2.3", "1.2.0"),
    ("!=1.4.6, ~1.4", "1.4.5"),
    ("!=1.x, <2", "0.3.0"),
    ("1.2 - 1.4.5", "1.4.5"),
    ("<1.0.0 || >=1.4 <2", "1.4.6"),
    ("2.0.0-rc.1", "2.0.0-rc.1"),  # named exactly
    (">=2.0.0-rc.0", "3.0.0-beta.2"),  # a constraint naming a pre-release allows them
    (">=2.0.0-rc.0 <2.0.0", None),  # ... in every term (Masterminds checks each term)
    (">=3.0.0-alpha", "3.0.0-beta.2"),
    (">9", None),
])
def test_best_match(wanted: str, best: str | None) -> None:
    assert best_match(wanted, AVAILABLE) == best


def test_an_exact_string_wins_before_the_constraint_is_read() -> None:
    assert best_match("latest", ["1.0.0", "latest"]) == "latest"
    assert best_match("1.0.0", ["not-a-version", "1.0.0"]) == "1.0.0"
    assert best_match(">=1", ["not-a-version"]) is None


@pytest.mark.parametrize("text", ["latest", ">= banana", "1.2.3.4", "~", "||"])
def test_a_constraint_that_does_not_parse_says_so(text: str) -> None:
    with pytest.raises(ConstraintError, match="not a version constraint"):
        parse_constraint(text)


@pytest.mark.parametrize(("older", "newer"), [
    ("1.0.0-alpha", "1.0.0-alpha.1"),
    ("1.0.0-alpha.1", "1.0.0-alpha.beta"),
    ("1.0.0-beta.2", "1.0.0-beta.11"),  # numeric identifiers compare as numbers
    ("1.0.0-rc.1", "1.0.0"),  # a release sorts after its pre-releases
    ("1.9.0", "1.10.0"),
])
def test_versions_sort_by_semver_precedence(older: str, newer: str) -> None:
    a, b = parse_version(older), parse_version(newer)
    assert a is not None and b is not None
    assert a.key() < b.key()


@pytest.mark.parametrize(("text", "parts"), [
    ("1", (1, 0, 0, "")), ("v1.2", (1, 2, 0, "")), (" 1.2.3-rc.1+b5 ", (1, 2, 3, "rc.1")),
    ("1.2.3.4", None), ("one", None), ("", None)])
def test_versions_are_lenient_as_helm_reads_them(
        text: str, parts: tuple[int, int, int, str] | None) -> None:
    version = parse_version(text)
    assert (version[:4] if version else None) == parts
