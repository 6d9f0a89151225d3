"""docs/cli.md shows each command's description and each flag's help as the parser has them:
written once, in the code (gitops_guard/clidoc.py generates the blocks)."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard import clidoc
from gitops_guard.commands import COMMANDS, help_for

CLI_MD = Path(__file__).parents[1] / "docs" / "cli.md"


def test_docs_cli_md_matches_the_parser() -> None:
    text = CLI_MD.read_text(encoding="utf-8")
    stale = [m.group("name") for m in clidoc.BLOCK.finditer(text)
             if clidoc.regenerate(m.group(0)) != m.group(0)]
    assert stale == [], f"docs/cli.md is stale for {stale}: python -m gitops_guard.clidoc " \
                        "docs/cli.md rewrites it"
    assert clidoc.regenerate(text) == text


def test_docs_cli_md_has_a_block_for_every_command() -> None:
    names = {m.group("name").split()[0] for m in clidoc.BLOCK.finditer(CLI_MD.read_text())}
    assert names == {"commands", *COMMANDS}


def test_a_changed_help_text_makes_the_docs_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    text = CLI_MD.read_text(encoding="utf-8")
    monkeypatch.setitem(COMMANDS, "ci", (COMMANDS["ci"][0], "a new description"))
    assert clidoc.regenerate(text) != text
    assert clidoc.main(["--check", str(CLI_MD)]) == 1


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_help_shows_its_one_description(name: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    from gitops_guard.cli import main

    with pytest.raises(SystemExit):
        main([name, "--help"])
    assert help_for(name) in " ".join(capsys.readouterr().out.split())
