"""Pre-commit latency: `gitops-guard check ONE-FILE` end to end, interpreter start included.

    .venv/bin/python benchmarks/precommit.py [--runs 20] [--file PATH] [-- EXTRA CHECK ARGS]

Runs the command `--runs` times (after 2 untimed warm-ups, so the OS file cache and
Python's bytecode cache are warm, as they are on a developer's machine) and prints the
median and p90 wall time, hyperfine-style. The budget (design.md §8) is a median under
0.35 s with the built-in library on. The default file is one app of the benchmark corpus.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BUDGET = 0.35


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--file", type=Path, help="default: one app file of the 200 corpus")
    parser.add_argument("extra", nargs="*", help="extra `check` arguments (after --)")
    args = parser.parse_args(argv)
    file = args.file
    cwd = None
    if file is None:
        sys.path.insert(0, str(HERE))
        from run import corpus_for

        cwd = corpus_for(200, 1, 0.01)
        file = sorted((cwd / "apps").rglob("*.yaml"))[0].relative_to(cwd)
    command = [str(REPO / ".venv" / "bin" / "gitops-guard"), "check", *args.extra, str(file)]
    times = []
    for run in range(args.runs + 2):
        start = time.perf_counter()
        done = subprocess.run(command, cwd=cwd, capture_output=True, check=False, timeout=60)
        if run >= 2:
            times.append(time.perf_counter() - start)
        if done.returncode > 1:
            sys.stderr.write(done.stderr.decode())
            return done.returncode
    times.sort()
    median = statistics.median(times)
    p90 = times[min(len(times) - 1, round(0.9 * (len(times) - 1)))]
    print(f"{' '.join(command[1:])} (cwd {cwd or '.'}): {len(times)} runs, "
          f"median {median:.3f} s, p90 {p90:.3f} s, min {times[0]:.3f} s, "
          f"max {times[-1]:.3f} s; budget {BUDGET} s median: "
          f"{'met' if median < BUDGET else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
