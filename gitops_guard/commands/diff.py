"""`gitops-guard diff`: what will change in each environment if this merges.

    gitops-guard diff --base REF [--env NAME]... [--against git|live|snapshot]
                      [--snapshot DIR] [-o text|markdown|json] [--output-file F] [--exit-code]

Exit codes: 0, or with --exit-code 0 no changes / 1 changes; 2 usage, config, git error.
"""
from __future__ import annotations

import argparse

from gitops_guard.commands import add_command
from gitops_guard.commands.common import (
    add_color_flag,
    add_config_flag,
    add_fetch_charts_flag,
    add_output_flags,
    with_fetch,
    write_output,
)
from gitops_guard.config import resolve_config
from gitops_guard.errors import UsageError
from gitops_guard.plan.build import PlanOptions, build_plan
from gitops_guard.plan.gittree import git_timeout
from gitops_guard.report import PLAN_REPORTERS
from gitops_guard.report.options import use_color


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(sub, "diff")
    add_config_flag(p)
    p.add_argument("--base", metavar="REF", help="git ref to compare against (--against git)")
    p.add_argument("--env", action="append", default=[], metavar="NAME",
                   help="environment from config (repeatable; default: all)")
    p.add_argument("--against", choices=("git", "live", "snapshot"), default="git",
                   help="what the working tree is compared with: a git ref (--base, default), "
                        "the live cluster of each environment, or a snapshot (--snapshot)")
    p.add_argument("--snapshot", metavar="DIR",
                   help="exported `kubectl get -o yaml` files (--against snapshot)")
    add_output_flags(p, PLAN_REPORTERS, "the plan")
    add_color_flag(p)
    p.add_argument("--exit-code", action="store_true",
                   help="exit 1 when there are changes, 0 when there are none")
    add_fetch_charts_flag(p)
    p.set_defaults(func=cmd_diff)






def cmd_diff(args: argparse.Namespace) -> int:
    if args.against == "git" and not args.base:
        raise UsageError("diff: --base REF is required (or --against live|snapshot)")
    if args.snapshot and args.against != "snapshot":
        raise UsageError("--snapshot DIR goes with --against snapshot")
    config = with_fetch(resolve_config(args.config), args.fetch_charts, True)
    with git_timeout(config.timeouts.git_seconds):  # as under `ci`
        plan = build_plan(PlanOptions(base=args.base, envs=tuple(args.env),
                                      against=args.against, snapshot=args.snapshot), config)
    text = PLAN_REPORTERS[args.output](plan, use_color(args.color, bool(args.output_file)))
    write_output(text, args.output_file)
    return 1 if args.exit_code and plan.has_changes else 0
