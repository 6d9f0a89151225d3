"""What the API-server stage (validate/apiserver) adds to a full check, side by side.

    python benchmarks/apiserver.py [--resources 2000] [--repeat 5]

On the generated corpus (benchmarks/generate.py, cached like run.py's), `check
--kubernetes-version 1.32 .` runs with and without `--no-apiserver`, interleaved so both
see the same machine load, cold (an empty XDG_CACHE_HOME each run) and warm (the load
cache kept). Prints the median wall and CPU of each and the stage's share. The budget
(issue 15): at most +20% on 2,000 resources.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import REPO, WORK, corpus_for, measure  # noqa: E402  (the sibling script)

TOOL = REPO / ".venv" / "bin" / "gitops-guard"
BASE = [str(TOOL), "check", "--kubernetes-version", "1.32", "-o", "json", "."]


def series(corpus: Path, repeat: int, warm: bool) -> dict[str, list[tuple[float, float]]]:
    caches = Path(tempfile.mkdtemp(dir=WORK, prefix="apiserver-cache-"))
    kept = {name: str(caches / name) for name in ("on", "off")}
    runs: dict[str, list[tuple[float, float]]] = {"on": [], "off": []}
    argv = {"on": BASE, "off": [*BASE[:-1], "--no-apiserver", "."]}
    for name in argv:  # warm-up: fills the kept caches, imports compiled
        measure(argv[name], corpus, 600, {"XDG_CACHE_HOME": kept[name]})
    for _ in range(repeat):
        for name in ("off", "on"):
            env = {"XDG_CACHE_HOME": kept[name] if warm else tempfile.mkdtemp(dir=caches)}
            sample = measure(argv[name], corpus, 600, env)
            if sample.code not in (0, 1):
                raise SystemExit(f"{name}: exit {sample.code}: {sample.stderr[-500:]}")
            runs[name].append((sample.wall, sample.cpu))
    return runs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    corpus = corpus_for(args.resources, 1, 0.01)
    print(f"{args.resources} resources, median of {args.repeat} interleaved runs")
    print("| cache | without stage wall / CPU | with stage wall / CPU | added wall | added CPU |")
    print("|---|---|---|---|---|")
    for warm in (False, True):
        runs = series(corpus, args.repeat, warm)
        off_w, off_c = (statistics.median(x[i] for x in runs["off"]) for i in (0, 1))
        on_w, on_c = (statistics.median(x[i] for x in runs["on"]) for i in (0, 1))
        print(f"| {'warm' if warm else 'cold'} | {off_w:.2f} s / {off_c:.2f} s "
              f"| {on_w:.2f} s / {on_c:.2f} s | {100 * (on_w / off_w - 1):+.0f}% "
              f"| {100 * (on_c / off_c - 1):+.0f}% |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
