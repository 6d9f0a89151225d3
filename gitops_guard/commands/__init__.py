"""The subcommands: one module each with `add_parser(sub)`, registered here.

COMMANDS is the one home of each command's module and help line: cli.py imports only
the module of the command being run, and lists the others from this table; each
`add_parser` starts with `add_command(sub, name)`, and docs/cli.md shows the same line
(gitops_guard/clidoc.py).
"""
from __future__ import annotations

import argparse

# name -> (module with `add_parser(sub)`, help line)
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("gitops_guard.commands.check",
              "validate and evaluate files or the whole repository"),
    "init": ("gitops_guard.commands.init",
             "write a starter .gitops-guard.yaml and the pre-commit hook"),
    "policies": ("gitops_guard.commands.policies",
                 "list the rules, or show what one checks and why"),
    "schemas": ("gitops_guard.commands.schemas", "manage vendored schemas"),
    "verify": ("gitops_guard.commands.verify",
               "run policy unit tests (Rego test_* rules, Python policy fixtures), like opa test"),
    "diff": ("gitops_guard.commands.diff", "plan diff: what changes per environment (base "
             "ref, live cluster or snapshot vs the working tree)"),
    "ci": ("gitops_guard.commands.ci", "PR gate: check what changed, plan it, report, comment"),
    "charts": ("gitops_guard.commands.charts",
               "remote Helm charts: `charts pull` warms the chart cache"),
}


def help_for(name: str) -> str:
    return COMMANDS[name][1]


def add_command(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                name: str) -> argparse.ArgumentParser:
    """The parser of command `name`, its help line (and `NAME --help` description) from
    COMMANDS."""
    return sub.add_parser(name, help=help_for(name), description=help_for(name))
