"""Command line: argparse, one function per command, `main(argv) -> int`."""
from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from gitops_guard import __version__
from gitops_guard.check import run_check
from gitops_guard.commands import check_flags, policy_flags
from gitops_guard.commands import ci as ci_cmd
from gitops_guard.commands import diff as diff_cmd
from gitops_guard.commands import init as init_cmd
from gitops_guard.commands import policies as policies_cmd
from gitops_guard.commands import schemas as schemas_cmd
from gitops_guard.commands import verify as verify_cmd
from gitops_guard.errors import GuardError, UsageError
from gitops_guard.report import REPORTERS, ReportOptions

ISSUES_URL = "https://github.com/gitops-guard/gitops-guard/issues"


def _add_check(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("check", help="validate and evaluate files or the whole repository")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or dirs (default: the repo)")
    check_flags.add_check_flags(p)
    p.add_argument("-o", "--output", choices=sorted(REPORTERS), default="text")
    p.add_argument("--output-file", metavar="FILE", help="write the report here, not stdout")
    p.set_defaults(func=cmd_check)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gitops-guard",
        description="Guard a GitOps repository: schemas, policies and plan diffs before merge.")
    parser.add_argument("-V", "--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-C", dest="chdir", metavar="DIR",
                        help="run as if started in DIR (like git -C)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in COMMANDS:
        add(sub)
    return parser


def _write_report(text: str, output_file: str | None) -> None:
    if output_file:
        try:
            Path(output_file).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"{output_file}: cannot write: {exc.strerror}") from None
    else:
        sys.stdout.write(text)


def _use_color(choice: str, to_file: bool) -> bool:
    if choice != "auto":
        return choice == "always"
    return not to_file and sys.stdout.isatty() and "NO_COLOR" not in os.environ


def cmd_check(args: argparse.Namespace) -> int:
    config = check_flags.config_for(args)
    options = check_flags.check_options(args, config, tuple(args.paths), tuple(args.env))
    result = run_check(options, config)
    if args.write_baseline:
        print(policy_flags.write_baseline_file(args.write_baseline, result.findings),
              file=sys.stderr)
    docs = (check_flags.policy_rule_docs(options.policy, config)
            if args.output in ("sarif", "markdown") else {})
    report = REPORTERS[args.output](result, ReportOptions(
        color=_use_color(args.color, bool(args.output_file)),
        kubernetes_version=options.schema.kubernetes_version, tool_version=__version__,
        rule_docs=docs))
    _write_report(report, args.output_file)
    return policy_flags.policy_exit_code(result.findings, args, args.fail_on or config.fail_on)


COMMANDS: list[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]] = [
    _add_check,
    init_cmd.add_parser,
    policies_cmd.add_parser,
    schemas_cmd.add_parser,
    verify_cmd.add_parser,
    diff_cmd.add_parser,
    ci_cmd.add_parser,
]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        if args.chdir:
            try:
                os.chdir(args.chdir)
            except OSError as exc:
                raise UsageError(f"-C {args.chdir}: {exc.strerror}") from None
        # The loaders keep millions of small, acyclic objects alive; the cyclic collector
        # would re-scan them over and over (80% of the time at 2,000 resources).
        gc.disable()
        try:
            code: int = args.func(args)
        finally:
            gc.enable()
        return code
    except GuardError as exc:
        print(f"gitops-guard: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("gitops-guard: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: say where to report it, never a bare traceback
        if os.environ.get("GITOPS_GUARD_DEBUG"):
            raise
        print(f"gitops-guard: internal error: {type(exc).__name__}: {exc}\n"
              f"This is a bug; please report it at {ISSUES_URL} "
              "(set GITOPS_GUARD_DEBUG=1 for the traceback).", file=sys.stderr)
        return 3


def main_entry() -> None:
    raise SystemExit(main())
