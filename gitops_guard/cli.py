"""Command line: argparse, one function per command, `main(argv) -> int`."""
from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Sequence

from gitops_guard import __version__
from gitops_guard.commands import COMMANDS
from gitops_guard.errors import GuardError, UsageError

ISSUES_URL = "https://github.com/gitops-guard/gitops-guard/issues"

def command_in(argv: Sequence[str]) -> str | None:
    """The subcommand named on the command line (the first word that is not an option)."""
    args = iter(argv)
    for arg in args:
        if arg == "-C":
            next(args, None)
        elif arg == "--":
            return next(args, None)
        elif not arg.startswith("-"):
            return arg
    return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with `only`, the other commands are stubs that list them in --help."""
    parser = argparse.ArgumentParser(
        prog="gitops-guard",
        description="Guard a GitOps repository: schemas, policies and plan diffs before merge.")
    parser.add_argument("-V", "--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-C", dest="chdir", metavar="DIR",
                        help="run as if started in DIR (like git -C)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        if only is None or name == only:
            importlib.import_module(module).add_parser(sub)
        else:
            sub.add_parser(name, help=help_text)
    return parser


def main(argv: Sequence[str] | None = None,
         namespace: argparse.Namespace | None = None) -> int:
    """Run one command. `namespace` receives the parsed arguments (and what a command
    leaves on it, e.g. check's `result`)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    command = command_in(argv)
    parser = build_parser(command if command in COMMANDS else "")
    args = parser.parse_args(argv, namespace)
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
    except BrokenPipeError:  # `gitops-guard check | head`: the reader left; end quietly
        _silence_stdout()
        return SIGPIPE_EXIT
    except Exception as exc:  # a bug: say where to report it, never a bare traceback
        if os.environ.get("GITOPS_GUARD_DEBUG"):
            raise
        print(f"gitops-guard: internal error: {type(exc).__name__}: {exc}\n"
              f"This is a bug; please report it at {ISSUES_URL} "
              "(set GITOPS_GUARD_DEBUG=1 for the traceback).", file=sys.stderr)
        return 3


SIGPIPE_EXIT = 141  # what a shell reports for a process a closed pipe ended (128 + SIGPIPE)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush of what is still buffered
    does not fail again on the closed pipe ("Exception ignored ... BrokenPipeError")."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def main_entry() -> None:
    # The namespace outlives main(): what the command leaves on it (all the loaded
    # documents) is never freed one object at a time; the process just ends.
    namespace = argparse.Namespace()
    code = main(None, namespace)
    # The command is done: tearing the interpreter down would free every loaded document
    # one object at a time (~20 ms at 2,000 resources) for nothing. Nothing registers
    # exit handlers (temporary dirs are context managers), so end once output is out.
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: the reader left, nothing to say
        _silence_stdout()
        raise SystemExit(code) from None
    os._exit(code)
