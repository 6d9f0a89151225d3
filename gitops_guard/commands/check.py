"""`gitops-guard check [PATH...]`: validate and evaluate files or the whole repository."""
from __future__ import annotations

import argparse
import sys

from gitops_guard import __version__
from gitops_guard.check import run_check
from gitops_guard.commands import add_command, check_flags, policy_flags
from gitops_guard.commands.common import add_output_flags, with_fetch, write_output
from gitops_guard.report import REPORTERS, ReportOptions
from gitops_guard.report.options import use_color


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(sub, "check")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or dirs (default: the repo)")
    check_flags.add_check_flags(p)
    add_output_flags(p, REPORTERS, "the report")  # the formats: docs/outputs.md
    p.set_defaults(func=cmd_check)






def cmd_check(args: argparse.Namespace) -> int:
    config = with_fetch(check_flags.config_for(args), args.fetch_charts, False)
    options = check_flags.check_options(args, config, tuple(args.paths), tuple(args.env))
    result = run_check(options, config)
    args.result = result  # the caller's namespace holds it: see cli.main_entry
    if args.write_baseline:
        print(policy_flags.write_baseline_file(args.write_baseline, result.findings),
              file=sys.stderr)
    docs = (check_flags.policy_rule_docs(options.policy, config)
            if args.output in ("sarif", "markdown") else {})
    report = REPORTERS[args.output](result, ReportOptions(
        color=use_color(args.color, bool(args.output_file)),
        kubernetes_version=options.schema.kubernetes_version, tool_version=__version__,
        rule_docs=docs))
    write_output(report, args.output_file)
    return policy_flags.policy_exit_code([*result.findings, *result.unlisted], args,
                                         args.fail_on or config.fail_on)
