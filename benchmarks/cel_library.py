"""What Kubernetes' CEL libraries cost per evaluation in the offline engine.

    .venv/bin/python benchmarks/cel_library.py [--runs 2000]

One rule per library family (validate/apiserver/cel/: quantity, semver, ip/cidr, url,
format, lists, regex, and a plain CEL rule for comparison), each compiled once and
evaluated `--runs` times through CelEngine, as a CRD rule is for each custom resource.
Prints the median of 5 batches in microseconds per evaluation. The library functions are
Python callbacks from CEL C++; the plain rule shows the engine's own cost.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from gitops_guard.validate.apiserver.cel.engine import CelEngine

CASES: list[tuple[str, str, Any]] = [
    ("plain CEL", "self.size() > 0 && self.startsWith('1')", "1536Mi"),
    ("quantity", "quantity(self).add(quantity('512Mi')).isLessThan(quantity('4Gi'))", "1536Mi"),
    ("semver", "semver(self, true).isGreaterThan(semver('1.2.0'))", "v1.10"),
    ("ip/cidr", "cidr('10.0.0.0/8').containsIP(ip(self))", "10.1.2.3"),
    ("url", "url(self).getHostname().endsWith('.example.com')", "https://a.example.com/x"),
    ("format", "!format.dns1123Label().validate(self).hasValue()", "my-name"),
    ("lists", "self.indexOf('b') == 1 && self.isSorted()", ["a", "b", "c"]),
    ("regex", "self.findAll('[0-9]+').size() == 2", "a12b34"),
]


def per_eval(engine: CelEngine, rule: str, value: Any, runs: int) -> float:
    engine.compile(rule)
    data = {"self": value}
    batches = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(runs):
            result = engine.evaluate(rule, data)
        batches.append((time.perf_counter() - start) / runs * 1e6)
        assert result.value is True, (rule, result)
    return statistics.median(batches)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    args = parser.parse_args()
    engine = CelEngine()
    print("| library | rule | µs per evaluation |\n|---|---|---|")
    for name, rule, value in CASES:
        print(f"| {name} | `{rule}` | {per_eval(engine, rule, value, args.runs):.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
