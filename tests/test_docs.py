"""The README and docs/ stay true: every relative link resolves inside the repository, and
every flag docs/cli.md names exists in the parser."""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pytest

from gitops_guard.cli import build_parser

ROOT = Path(__file__).parents[1]
PAGES = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.M | re.S)
FLAG = re.compile(r"(?<![\w/.-])(--[a-z][a-z0-9-]*|-[a-zA-Z])(?![\w-])")


def links(page: Path) -> list[str]:
    return LINK.findall(FENCE.sub("", page.read_text()))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve_inside_the_repository(page: Path) -> None:
    broken = []
    for target in links(page):
        if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue  # a URL, or an anchor in the same page
        path = (page.parent / target.split("#")[0]).resolve()
        if not path.is_relative_to(ROOT) or not path.exists():
            broken.append(target)
    assert not broken, f"{page.relative_to(ROOT)}: links to nothing in the repository: {broken}"


def test_readme_links_only_inside_the_repository() -> None:
    outside = [t for t in links(ROOT / "README.md") if re.match(r"[a-z][a-z0-9+.-]*:", t)]
    assert not outside


def test_readme_is_a_front_door() -> None:
    assert len((ROOT / "README.md").read_bytes()) < 10_000


def parser_flags() -> set[str]:
    flags: set[str] = set()

    def walk(parser: argparse.ArgumentParser) -> None:
        for action in parser._actions:
            flags.update(action.option_strings)
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    walk(sub)

    walk(build_parser())
    return flags


def test_every_flag_in_the_cli_reference_exists() -> None:
    documented = set(FLAG.findall((ROOT / "docs" / "cli.md").read_text()))
    assert documented, "the pattern found no flag at all"
    assert not documented - parser_flags(), "docs/cli.md names flags the parser lacks"


def test_every_check_flag_is_in_the_cli_reference() -> None:
    text = (ROOT / "docs" / "cli.md").read_text()
    check = build_parser("check")._subparsers._group_actions[0].choices["check"]  # type: ignore[union-attr]
    absent = sorted(flag for action in check._actions for flag in action.option_strings
                    if flag.startswith("--") and flag != "--help"
                    and not re.search(re.escape(flag) + r"(?![\w-])", text))
    assert not absent, f"check flags docs/cli.md does not mention: {absent}"


def test_every_config_key_is_in_the_config_reference() -> None:
    schema = json.loads((ROOT / "schemas" / "config.schema.json").read_text(encoding="utf-8"))
    reference = (ROOT / "docs" / "config.md").read_text(encoding="utf-8")
    missing = [key for key in schema["properties"]
               if not re.search(rf"^{re.escape(key)}:", reference, re.MULTILINE)]
    assert missing == []


SECURITY_REF = re.compile(r"`(tests/[\w/]+\.py)?(?:::(test_\w+))?`")


def _security_bullets() -> list[str]:
    text = (ROOT / "docs" / "security.md").read_text()
    section = text[text.index("## Guarantees"):]
    return [b.strip() for b in re.split(r"\n(?=\s*- )", section) if b.strip().startswith("- ")]


def test_every_guarantee_in_security_md_names_a_test() -> None:
    """docs/security.md: every guarantee with the test that proves it (the one bullet that
    lists what the policy watchdog cannot do is a limit, not a guarantee)."""
    untested = [b.splitlines()[0] for b in _security_bullets()
                if "`tests/" not in b and "`::test_" not in b
                and not b.startswith("- **Limits of")]
    assert untested == []


def test_every_test_security_md_names_exists() -> None:
    missing, current = [], ""
    for bullet in _security_bullets():
        for path, name in SECURITY_REF.findall(bullet):
            current = path or current
            if not name:
                continue
            if not re.search(rf"^(async )?def {name}\(", (ROOT / current).read_text(), re.M):
                missing.append(f"{current}::{name}")
    assert missing == []
