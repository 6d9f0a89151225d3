"""What the built-in policies cost on top of schema validation: the full check and the
schema-only check of the same corpus, side by side in one run (issue 13, point 8; the
budget in design.md section 8 is 1.3x at 20,000 resources).

    python benchmarks/ratio.py [--resources 20000] [--repeat 5] [--write benchmarks/README.md]

Both commands are the ones benchmarks/run.py times (its COMMANDS table), cold: an empty
XDG_CACHE_HOME for every run, so every file is parsed. Runs alternate (full, schema-only,
full, ...) after one untimed warm-up of each, so both see the same machine load; the
ratio is of the medians, of wall time and of CPU time.
"""
from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from run import (
    COMMANDS,
    REPO,
    WORK,
    Sample,
    compile_bytecode,
    corpus_for,
    loadavg,
    machine,
    measure,
)

MODES = {"full": COMMANDS["gitops-guard"], "schema-only": COMMANDS["gitops-guard/schema-only"]}
START, END = "<!-- benchmarks/ratio.py: start -->", "<!-- benchmarks/ratio.py: end -->"


def _binary() -> str:
    local = REPO / ".venv" / "bin" / "gitops-guard"
    found = str(local) if local.is_file() else shutil.which("gitops-guard")
    if found is None:
        raise SystemExit("ratio.py: gitops-guard is not installed (pip install -e .)")
    return found


def _run(mode: str, binary: str, corpus: Path, timeout: float) -> Sample:
    argv = [binary if a == "gitops-guard" else "." if a == "{corpus}" else a
            for a in MODES[mode]]
    caches = WORK / "xdg-cache"
    caches.mkdir(parents=True, exist_ok=True)
    try:
        sample = measure(argv, corpus, timeout, {"XDG_CACHE_HOME": tempfile.mkdtemp(dir=caches)})
    finally:
        shutil.rmtree(caches, ignore_errors=True)
    if sample.code not in (0, 1) or sample.timed_out:
        raise SystemExit(f"ratio.py: {' '.join(argv)} failed (exit {sample.code}): "
                         f"{sample.stderr.strip()[-300:]}")
    return sample


def report(samples: dict[str, list[Sample]], resources: int, load: str) -> str:
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    wall = {m: statistics.median(s.wall for s in samples[m]) for m in MODES}
    cpu = {m: statistics.median(s.cpu for s in samples[m]) for m in MODES}
    runs = len(samples["full"])
    lines = [
        f"Measured {when} on {machine()}; {resources:,} resources (corpus seed 1, invalid "
        f"ratio 0.01), cold, {runs} alternating runs of each after one warm-up; load "
        f"{load} before the first run.",
        "",
        "| check | wall s (median) | CPU s (median) | runs (wall s) |",
        "|---|---:|---:|---|",
    ]
    for mode in MODES:
        each = ", ".join(f"{s.wall:.2f}" for s in samples[mode])
        lines.append(f"| {mode} | {wall[mode]:.2f} | {cpu[mode]:.2f} | {each} |")
    lines += ["", f"**Full / schema-only: {wall['full'] / wall['schema-only']:.2f}x wall, "
                  f"{cpu['full'] / cpu['schema-only']:.2f}x CPU** (budget 1.3x).", "",
              "Commands (in the corpus dir): "
              + "; ".join(f"`{' '.join(MODES[m]).replace('{corpus}', '.')}`" for m in MODES)]
    return "\n".join(lines) + "\n"


def write_section(path: Path, text: str) -> None:
    old = path.read_text(encoding="utf-8")
    block = f"{START}\n{text}{END}\n"
    if START in old and END in old:
        head, rest = old.split(START, 1)
        new = head + block + rest.split(END, 1)[1].lstrip("\n")
    else:
        new = old.rstrip("\n") + "\n\n" + block
    path.write_text(new, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--resources", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each check")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per run")
    parser.add_argument("--write", type=Path, metavar="README",
                        help="also write the result into this Markdown file's section")
    args = parser.parse_args(argv)
    binary = _binary()
    compile_bytecode()
    corpus = corpus_for(args.resources, 1, 0.01)
    load = loadavg()
    for mode in MODES:  # warm-up: page cache, bytecode
        _run(mode, binary, corpus, args.timeout)
    samples: dict[str, list[Sample]] = {m: [] for m in MODES}
    for i in range(args.repeat):
        for mode in MODES:
            sample = _run(mode, binary, corpus, args.timeout)
            samples[mode].append(sample)
            print(f"  {mode:<12} run {i + 1}/{args.repeat}: {sample.wall:6.2f} s wall "
                  f"{sample.cpu:6.2f} s cpu", file=sys.stderr)
    text = report(samples, args.resources, load)
    sys.stdout.write(text)
    if args.write:
        write_section(args.write, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
