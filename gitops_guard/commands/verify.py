"""`gitops-guard verify`: policy unit tests, reported like `opa test`, then conftest
verify's count line (`4 tests, 4 passed, 0 warnings, 0 failures, 0 exceptions, 0 skipped`).

    gitops-guard verify [-p DIR]... [-d DATA]... [-v] [--run REGEX] [--rego-version v0|v1]

Exit 0 when every test passes (skipped `todo_*` tests included), 1 when any fails,
2 when a test errors or a policy cannot be loaded.

Each kind of test comes from a collector in TEST_COLLECTORS: a function of the
request that returns TestResults. Rego `test_*` rules, and the pass/fail fixtures
of Python policies (one test per fixture file; layout in evaluate/fixtures.py).
"""
from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from gitops_guard.commands import add_command
from gitops_guard.commands.common import add_rego_flags
from gitops_guard.errors import UsageError
from gitops_guard.evaluate.rego.conventions import plural

# TestResult lives with the Rego runner, but it is the shared record for every collector.
from gitops_guard.evaluate.rego.testing import ERROR, FAIL, PASS, SKIPPED, TestResult
from gitops_guard.model import PolicyTally

DEFAULT_POLICY_DIR = "policy"  # conftest's default
RULE = "-" * 80


@dataclass(frozen=True)
class VerifyRequest:
    policy_paths: tuple[str, ...]
    data_paths: tuple[str, ...] = ()
    run: re.Pattern[str] | None = None
    rego_version: str = "v1"
    namespaces: tuple[str, ...] = ()  # package globs (conftest verify -n); () = all


Collector = Callable[[VerifyRequest], list[TestResult]]


def collect_rego(request: VerifyRequest) -> list[TestResult]:
    from gitops_guard.evaluate.rego.data import data_modules, load_data
    from gitops_guard.evaluate.rego.engine import PolicySet
    from gitops_guard.evaluate.rego.source import load_modules
    from gitops_guard.evaluate.rego.testing import run_rego_tests

    modules = load_modules(request.policy_paths)
    if not modules:
        return []
    modules += data_modules(request.data_paths, modules)
    policies = PolicySet(tuple(modules), load_data(request.data_paths),
                         rego_version=request.rego_version)
    return run_rego_tests(policies, request.run, request.namespaces)


def collect_python(request: VerifyRequest) -> list[TestResult]:
    """Python policy fixtures: see gitops_guard.evaluate.fixtures for the layout."""
    from gitops_guard.evaluate.fixtures import collect_python_fixtures

    return collect_python_fixtures(request.policy_paths, request.run)


# The hook: name -> collector, run in this order.
TEST_COLLECTORS: dict[str, Collector] = {
    "rego": collect_rego,
    "python": collect_python,
}


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(sub, "verify")
    p.add_argument("-p", "--policy", action="append", default=[], metavar="DIR|FILE",
                   help=f"policy files or dirs (default: ./{DEFAULT_POLICY_DIR})")
    p.add_argument("-v", "--verbose", action="store_true", help="list every test and its time")
    p.add_argument("-r", "--run", metavar="REGEX",
                   help="only tests whose full name (data.pkg.test_x, "
                        "python.ID/fixture.yaml) matches")
    add_rego_flags(p)
    p.add_argument("-n", "--namespace", action="append", default=[], metavar="GLOB",
                   help="only tests in Rego packages matching GLOB (repeatable; default: all)")
    p.set_defaults(func=cmd_verify)


def cmd_verify(args: argparse.Namespace) -> int:
    paths = tuple(args.policy) or (DEFAULT_POLICY_DIR,)
    if not args.policy and not Path(DEFAULT_POLICY_DIR).exists():
        raise UsageError(f"no -p given and ./{DEFAULT_POLICY_DIR} does not exist")
    try:
        run = re.compile(args.run) if args.run else None
    except re.error as exc:
        raise UsageError(f"--run {args.run!r}: {exc}") from None
    request = VerifyRequest(paths, tuple(args.data), run, args.rego_version or "v1",
                            tuple(args.namespace))
    results: list[TestResult] = []
    for collect in TEST_COLLECTORS.values():
        results.extend(collect(request))
    sys.stdout.write(format_results(results, args.verbose))
    return exit_code(results)


def exit_code(results: Sequence[TestResult]) -> int:
    if any(r.status == ERROR for r in results):
        return 2
    return 1 if any(r.status == FAIL for r in results) else 0


def _duration(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.3f}s"
    if seconds >= 0.001:
        return f"{seconds * 1000:.1f}ms"
    return f"{seconds * 1_000_000:.0f}µs"


def format_results(results: Sequence[TestResult], verbose: bool) -> str:
    """`opa test` layout: failing (or, with -v, all) tests grouped by file, then counts."""
    lines: list[str] = []
    shown = [r for r in results if verbose or r.status in (FAIL, ERROR)]
    current = None
    for result in shown:
        if result.file != current:
            if current is not None:
                lines.append("")
            lines.append(f"{result.file}:")
            current = result.file
        timing = "" if result.status == SKIPPED else f" ({_duration(result.duration)})"
        lines.append(f"{result.name}: {result.status}{timing}")
        if result.message:
            lines.append(f"  {result.message}")
    if shown:
        lines.append(RULE)
    total = len(results)
    counts = {s: sum(1 for r in results if r.status == s) for s in (PASS, FAIL, SKIPPED, ERROR)}
    for status in (PASS, FAIL, SKIPPED, ERROR):
        if counts[status]:
            lines.append(f"{status}: {counts[status]}/{total}")
    lines.append(summary_line(counts, total))
    return "\n".join(lines) + "\n"


def summary_line(counts: dict[str, int], total: int) -> str:
    """conftest verify's last line (`4 tests, 3 passed, 0 warnings, 1 failure, 0
    exceptions, 0 skipped`; warnings and exceptions are always 0 in tests), then the
    tests that could not run, which conftest does not count (it stops at the first)."""
    line = (f"{PolicyTally(total, counts[PASS], 0, counts[FAIL], 0)}, "
            f"{counts[SKIPPED]} skipped")
    return line + (f", {plural(counts[ERROR], 'error')}" if counts[ERROR] else "")
