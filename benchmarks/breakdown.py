"""Where `gitops-guard check` spends its time: startup, parse, schema, policies, report.

    .venv/bin/python benchmarks/breakdown.py --resources 2000 [--schema-only] [--gc off]
                                             [--cprofile]

Runs the real `gitops-guard check --kubernetes-version 1.32 .` in-process (cli.main) on
the cached benchmark corpus of benchmarks/run.py (generated if missing), with the stage
functions that gitops_guard.check calls wrapped in timers, so the split follows the code
as it is, not a copy of the pipeline. A stage whose function has moved is simply not
shown. Interpreter start and `gitops-guard --version` are timed as subprocesses.

`--gc off` disables Python's cyclic garbage collector for the run, to show what collection
costs while the YAML trees are built. `--cprofile` writes
benchmarks/.work/profile-<N>[-schema].prof (`python -m pstats FILE`) and prints the top
functions by own time.
"""
from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import io
import os
import pstats
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

# (module, attribute, stage name): functions gitops_guard.check calls, timed in place.
STAGES = (
    ("gitops_guard.check", "discover_files", "discover files"),
    ("gitops_guard.check", "load_files", "parse YAML -> documents"),
    ("gitops_guard.check", "validate_documents", "schema validation"),
    ("gitops_guard.check", "check_environments", "render environments"),
    ("gitops_guard.check", "run_policies", "policies (built-in library)"),
    ("gitops_guard.check", "apply_suppressions", "suppressions"),
)


def _subprocess_seconds(argv: list[str], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, capture_output=True, timeout=60, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--resources", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--invalid-ratio", type=float, default=0.01)
    parser.add_argument("--schema-only", action="store_true", help="add --no-builtin")
    parser.add_argument("--gc", choices=("on", "off"), default="on")
    parser.add_argument("--cprofile", action="store_true")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(HERE))
    from run import KUBERNETES_VERSION, corpus_for

    corpus = corpus_for(args.resources, args.seed, args.invalid_ratio)
    python = str(REPO / ".venv" / "bin" / "python")
    startup = {
        "interpreter start (python -c pass)": _subprocess_seconds([python, "-c", "pass"]),
        "gitops-guard --version": _subprocess_seconds(
            [str(REPO / ".venv" / "bin" / "gitops-guard"), "--version"]),
    }

    start = time.perf_counter()
    import importlib

    from gitops_guard import cli
    from gitops_guard.report import REPORTERS  # the dict cli.py looks reporters up in
    imports = time.perf_counter() - start

    spent: dict[str, float] = {}

    def timed(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*a: Any, **k: Any) -> Any:
            began = time.perf_counter()
            try:
                return func(*a, **k)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - began
        return wrapper

    for module_name, attr, name in STAGES:
        module = importlib.import_module(module_name)
        if hasattr(module, attr):
            setattr(module, attr, timed(name, getattr(module, attr)))
    for key, reporter in list(REPORTERS.items()):
        REPORTERS[key] = timed(f"report ({key})", reporter)

    if args.gc == "off":
        gc.disable()
    profiler = cProfile.Profile() if args.cprofile else None
    # --no-cache: every run parses (a warm cache would hide the parse stage).
    command = ["-C", str(corpus), "check", "--kubernetes-version", KUBERNETES_VERSION,
               "--no-cache", *(["--no-builtin"] if args.schema_only else []), "."]
    out = io.StringIO()
    cwd = os.getcwd()
    began = time.perf_counter()
    if profiler:
        profiler.enable()
    try:
        with contextlib.redirect_stdout(out):
            code = cli.main(command)
    finally:
        if profiler:
            profiler.disable()
        os.chdir(cwd)
    total = time.perf_counter() - began

    if profiler:
        suffix = "-schema" if args.schema_only else ""
        path = HERE / ".work" / f"profile-{args.resources}{suffix}.prof"
        profiler.dump_stats(path)
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(15)
        print(text.getvalue())
        print(f"cProfile data: {path} (timings below include profiler overhead)")

    summary = out.getvalue().strip().splitlines()[-1:] or ["(no output)"]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"gitops-guard {' '.join(command[2:])} on {args.resources:,} resources: exit {code};"
          f" {summary[0]}; gc {args.gc}; peak RSS {rss:.0f} MiB")
    print("\n| stage | seconds | share of check |\n|---|---:|---:|")
    for name, seconds in startup.items():
        print(f"| {name} | {seconds:.3f} | (separate process) |")
    print(f"| import gitops_guard.cli | {imports:.3f} | |")
    for name, seconds in spent.items():
        print(f"| {name} | {seconds:.3f} | {seconds / total:.0%} |")
    rest = total - sum(spent.values())
    print(f"| rest of check (config, sort, dedupe, ...) | {rest:.3f} | {rest / total:.0%} |")
    print(f"| check total (in-process) | {total:.3f} | 100% |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
