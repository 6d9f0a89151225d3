"""docs/cli.md's reference blocks, generated from the parser: each command's description
(commands.COMMANDS) and each flag's help (its one `add_argument`) are written once, in
the code, and the docs show them as `--help` does.

    python -m gitops_guard.clidoc docs/cli.md            # rewrite the generated blocks
    python -m gitops_guard.clidoc --check docs/cli.md    # exit 1 when a block is stale

A block starts at `<!-- cli: NAME -->` (NAME: `commands`, or a command such as `check` or
`schemas import`) and ends at `<!-- /cli -->`; the text around the blocks is left alone.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from gitops_guard.cli import build_parser
from gitops_guard.commands import COMMANDS

BLOCK = re.compile(r"(<!-- cli: (?P<name>[a-z ]+) -->\n).*?(<!-- /cli -->)", re.DOTALL)


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def command_parser(name: str) -> argparse.ArgumentParser:
    """The parser of `name` ("check", "schemas import"), built as the CLI builds it."""
    words = name.split()
    parser = _subparsers(build_parser(words[0]))[words[0]]
    for word in words[1:]:
        parser = _subparsers(parser)[word]
    return parser


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _metavar(action: argparse.Action, default: str) -> str:
    if isinstance(action.metavar, tuple):
        return " ".join(action.metavar)
    return action.metavar or "|".join(map(str, action.choices or ())) or default


def _flag(action: argparse.Action) -> str:
    if isinstance(action, argparse.BooleanOptionalAction):
        return " / ".join(f"`{o}`" for o in action.option_strings)
    if not action.option_strings:
        many = "..." if action.nargs in ("*", "+") else ""
        return f"`{_cell(_metavar(action, action.dest))}{many}`"
    text = ", ".join(action.option_strings)
    if action.nargs != 0:
        text += f" {_metavar(action, action.dest.upper())}"
    return f"`{_cell(text)}`"


def _rows(parser: argparse.ArgumentParser) -> Iterator[str]:
    for action in parser._actions:
        if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
            continue
        if action.help == argparse.SUPPRESS:
            continue
        yield f"| {_flag(action)} | {_cell(action.help or '')} |"


def _usage(parser: argparse.ArgumentParser) -> str:
    """`gitops-guard check [PATH...] [options]`: the same on every Python version."""
    words = [parser.prog]
    for action in parser._actions:
        if action.option_strings or isinstance(action, argparse._SubParsersAction):
            continue
        word = _flag(action).strip("`").replace("\\|", "|")
        words.append(f"[{word}]" if action.nargs in ("?", "*") else word)
    return " ".join([*words, "[options]"])


def command_block(name: str) -> str:
    parser = command_parser(name)
    rows = list(_rows(parser))
    table = ["| option | meaning |", "|---|---|", *rows] if rows else []
    return "\n".join(["```", _usage(parser), "```", "", *table])


def commands_block() -> str:
    rows = [f"| `{name}` | {_cell(help_text)} |" for name, (_, help_text) in COMMANDS.items()]
    return "\n".join(["| command | what |", "|---|---|", *rows])


def block(name: str) -> str:
    return commands_block() if name == "commands" else command_block(name)


def regenerate(text: str) -> str:
    """`text` with every generated block rewritten from the parser."""
    return BLOCK.sub(lambda m: f"{m.group(1)}{block(m.group('name'))}\n{m.group(3)}", text)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gitops_guard.clidoc")
    parser.add_argument("--check", action="store_true", help="exit 1 if a block is stale")
    parser.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    text = args.file.read_text(encoding="utf-8")
    fresh = regenerate(text)
    if args.check:
        if fresh != text:
            print(f"{args.file}: stale; run python -m gitops_guard.clidoc {args.file}",
                  file=sys.stderr)
        return int(fresh != text)
    args.file.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
