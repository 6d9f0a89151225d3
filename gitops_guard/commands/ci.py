"""`gitops-guard ci`: the PR gate. Checks the files and environments a change touches,
renders the plan, writes every requested report, posts one sticky comment, and exits
with the check's verdict.

One code path for a whole run and a fleet run (commands/ci_fleet.py): with_ci_config
(config, trusted ref, git timeouts), gather (what changed and what it affects), the
check and plan, gate_code, and emit (every output). A shard stops before emit and writes
a bundle; `ci merge` joins the bundles and emits exactly as a whole run would.
"""
from __future__ import annotations

import argparse
from collections.abc import Mapping

from gitops_guard.check import finish_check, gather_check
from gitops_guard.commands import add_command, check_flags, ci_fleet
from gitops_guard.commands.ci_run import (
    CiRun,
    emit,
    gate_code,
    gather,
    plan_for,
    report_options,
    with_ci_config,
)
from gitops_guard.model import CheckResult


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(sub, "ci")
    check_flags.add_check_flags(p)
    p.add_argument("--base", metavar="REF", help="compare against REF (default: the PR's base)")
    p.add_argument("--head", metavar="REF", help="the change's commit (default: the PR's head)")
    p.add_argument("--comment", choices=("github", "gitlab"),
                   help="post or update one sticky comment on the PR / MR")
    p.add_argument("--comment-key", default="", metavar="KEY",
                   help="keeps the comments of several workflows on one PR apart")
    p.add_argument("--sarif", metavar="FILE", help="write a SARIF 2.1.0 report")
    p.add_argument("--junit", metavar="FILE", help="write a JUnit XML report")
    p.add_argument("--trusted-ref", metavar="REF",
                   help="load config and policies from REF (the base branch), never the PR")
    p.add_argument("--no-plan", action="store_true", help="skip the plan diff")
    ci_fleet.add_fleet_flags(p)
    p.set_defaults(func=cmd_ci)


def cmd_ci(args: argparse.Namespace) -> int:
    if ci_fleet.fleet_mode(args):
        return ci_fleet.cmd_fleet(args)
    return with_ci_config(args, lambda args, ctx, config, timeouts, runner: _run(
        args, gather(ctx, config, timeouts), runner))


def _run(args: argparse.Namespace, run: CiRun, runner: Mapping[str, str]) -> int:
    options = check_flags.check_options(args, run.config, tuple(run.paths),
                                        tuple(run.affected))
    gathered = gather_check(options, run.config) if run.paths or run.affected else None
    result = (finish_check(gathered, options.policy.baseline, options.min_severity)
              if gathered is not None else CheckResult([], 0, 0))
    code = gate_code(result, args, run.config)
    plan = plan_for(args, run, gathered.renders if gathered is not None else None)
    emit(args, run.ctx, run.timeouts, runner, len(run.changed), run.affected, result,
         plan, code, report_options(args, run.ctx, run.config))
    return code
