"""Pass rates of public Rego policy libraries, run through gitops-guard the way their
authors run them (their own unit tests under `verify`, their samples under `check`).

    python benchmarks/rego_libraries.py --mirror /work/.mirror [--only NAME ...] [--show-failures]

Each library is a git repository cloned from `--mirror` (a directory holding
`owner+name/repo` git dirs, as the project's fetch tool lays them out) into a temp dir:

- gatekeeper-library: `verify --rego-version v0` per src/<group>/<policy>; a test passes
  when it is PASS.
- conftest: its acceptance.bats cases rewritten below (CONFTEST_CASES); a case passes
  when the exit code and the output match.
- redhat-cop/rego-policies: `check -p policy` per case of _test/conftest-unittests.sh; a
  case passes when the exit code and the failure messages match the bats file.
- raspbernetes/k8s-security-policies: `verify --rego-version v0 -p policies`.
- trivy-checks: `verify -p checks -p lib`.

trivy-checks needs Trivy's own builtins (`result.new`, `sh.parse_commands`,
`squealer.scan_string`, `cidr.is_public`, `cidr.count_addresses`): TRIVY_MOCKS registers
Python stand-ins for them (benchmarks/rego_mocks.py) in the embedded engine.
"""
from __future__ import annotations

import argparse
import json
import re
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.opa_reference import load_bridge, opa_tests  # noqa: E402
from benchmarks.rego_mocks import TRIVY_MOCKS  # noqa: E402
from gitops_guard.evaluate.rego.builtins import Builtin  # noqa: E402
from gitops_guard.evaluate.rego.data import load_data  # noqa: E402
from gitops_guard.evaluate.rego.engine import PolicySet  # noqa: E402
from gitops_guard.evaluate.rego.source import load_modules  # noqa: E402
from gitops_guard.evaluate.rego.testing import PASS, TestResult, run_rego_tests  # noqa: E402

GG = [sys.executable, "-m", "gitops_guard"]


@dataclass(frozen=True)
class Score:
    passed: int
    total: int
    failures: tuple[str, ...] = ()

    def __str__(self) -> str:
        pct = 100.0 * self.passed / self.total if self.total else 0.0
        return f"{self.passed}/{self.total} ({pct:.1f}%)"


def _clone(mirror: Path, repo: str, into: Path) -> Path:
    target = into / repo.replace("/", "+")
    if not target.exists():
        subprocess.run(["git", "clone", "-q", str(mirror / repo.replace("/", "+") / "repo"),
                        str(target)], check=True)
    return target


def _verify(paths: Sequence[Path], version: str, opa: Any,
            extensions: Mapping[str, Builtin] | None = None) -> list[TestResult]:
    """What `gitops-guard verify -p PATHS --rego-version VERSION` runs, plus `extensions`;
    with `opa` (opa_reference.load_bridge), the same tests evaluated by OPA."""
    try:
        modules = load_modules(tuple(str(p) for p in paths))
        policies = PolicySet(tuple(modules), load_data(()), rego_version=version,
                             extensions=extensions or {})
        if opa is not None:
            return opa_tests(opa, policies, extensions or {})
        return run_rego_tests(policies)
    except Exception as exc:
        return [TestResult(f"<load {paths[0]}>", str(paths[0]), "ERROR", message=str(exc))]


def _score(results: Sequence[TestResult]) -> Score:
    bad = tuple(f"{r.name}: {r.status} {r.message}".strip() for r in results
                if r.status != PASS and r.status != "SKIPPED")
    counted = [r for r in results if r.status != "SKIPPED"]
    return Score(sum(r.status == PASS for r in counted), len(counted), bad)


def gatekeeper(repo: Path, opa: Any = None) -> Score:
    results: list[TestResult] = []
    for policy in sorted(p.parent for p in (repo / "src").glob("*/*/src.rego")):
        libs = [p for p in policy.glob("lib*") if p.is_dir()]
        results.extend(_verify([policy, *libs], "v0", opa))
    return _score(results)


def raspbernetes(repo: Path, opa: Any = None) -> Score:
    return _score(_verify([repo / "policies"], "v0", opa))


def trivy(repo: Path, opa: Any = None) -> Score:
    return _score(_verify([repo / "checks", repo / "lib"], "v1", opa, TRIVY_MOCKS))


def _gg(args: Sequence[str], cwd: Path) -> tuple[int, str]:
    out = subprocess.run([*GG, *args], cwd=cwd, capture_output=True, text=True, timeout=300,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    return out.returncode, out.stdout + out.stderr


# conftest's acceptance.bats cases about Rego over inputs gitops-guard parses, rewritten:
# (name, check/verify arguments, exit code, texts the output holds, texts it must not).
CONFTEST_CASES: tuple[tuple[str, str, int, tuple[str, ...], tuple[str, ...]], ...] = (
    ("service with a warning passes", "check -p examples/kubernetes/policy "
     "examples/kubernetes/service.yaml", 0, (), ()),
    ("deployment with root containers fails", "check -p examples/kubernetes/policy "
     "examples/kubernetes/deployment.yaml", 1, (), ()),
    ("warnings fail with --fail-on-warn", "check --fail-on-warn -p examples/kubernetes/policy "
     "examples/kubernetes/service.yaml", 1, (), ()),
    ("a blank namespace passes", "check --namespace notpresent -p examples/kubernetes/policy "
     "examples/kubernetes/deployment.yaml", 0, (), ()),
    ("nested namespaces", "check --namespace main.gke -p examples/hcl1/policy/ "
     "examples/hcl1/gke.tf", 1, (), ()),
    ("verify matches a namespace literally", "verify --policy examples/kubernetes/policy "
     "--namespace main", 0, ("4 tests, 4 passed",), ()),
    ("verify matches namespaces with a wildcard", "verify --policy examples/kubernetes/policy "
     "--namespace ma*", 0, ("4 tests, 4 passed",), ()),
    ("verify filters out other namespaces", "verify --policy examples/kubernetes/policy "
     "--namespace doesnotexist", 0, ("0 tests, 0 passed",), ()),
    ("hcl2 files", "check -p examples/hcl2/policy examples/hcl2/terraform.tf", 1,
     ("ALB `my-alb-listener` is using HTTP rather than HTTPS",), ()),
    ("verify with parse_config builtins", "verify -p examples/hcl2/policy", 0, (), ()),
    ("multi-file fails when the last file is fine", "check -p examples/kubernetes/policy "
     "examples/kubernetes/deployment.yaml examples/kubernetes/service.yaml", 1, (), ()),
    ("data along with policies", "check -p examples/data/policy -d examples/data/exclusions "
     "examples/data/service.yaml", 1, ("Cannot expose port",), ()),
    ("data in unit tests", "verify -p examples/data/policy -d examples/data/exclusions", 0,
     ("1 test, 1 passed",), ()),
    ("docker-compose that does not conform", "check -p examples/compose/policy "
     "examples/compose/docker-compose.yml", 1,
     ("2 tests, 0 passed, 0 warnings, 2 failures, 0 exceptions",), ()),
    ("the number of tests is accurate", "check -p examples/kubernetes/policy "
     "examples/kubernetes/service.yaml", 0,
     ("5 tests, 4 passed, 1 warning, 0 failures, 0 exceptions",), ()),
    ("exceptions", "check -p examples/exceptions/policy examples/exceptions/deployments.yaml",
     1, ("2 tests, 0 passed, 0 warnings, 1 failure, 1 exception",), ()),
    ("combine yaml files", "check -p examples/combine/policy examples/combine/team.yaml "
     "examples/combine/user1.yaml examples/combine/user2.yaml --combine", 1,
     ("2 tests, 1 passed, 0 warnings, 1 failure",), ()),
)
_CHECK = ("--no-builtin", "--no-schema", "-o", "text")


def conftest(repo: Path, opa: Any = None) -> Score:
    passed, bad = 0, []
    for name, command, code, holds, lacks in CONFTEST_CASES:
        args = shlex.split(command)
        if args[0] == "check":
            args[1:1] = _CHECK
        got, out = _gg(args, repo)
        ok = got == code and all(t in out for t in holds) and not any(t in out for t in lacks)
        passed += ok
        if not ok:
            bad.append(f"{name}: exit {got} (want {code})\n    " + out.strip()[-400:])
    return Score(passed, len(CONFTEST_CASES), tuple(bad))


_BATS_TEST = re.compile(r'@test "(?P<name>[^"]+)" \{(?P<body>.*?)\n\}', re.S)
_NOT_OK = re.compile(r'"not ok \d+ - (?P<file>\S+) - (?P<ns>\S+) - (?P<msg>.*)" \]$', re.M)


def redhat(repo: Path, opa: Any = None) -> Score:
    bats = (repo / "_test" / "conftest-unittests.sh").read_text()
    passed, total, bad = 0, 0, []
    for case in _BATS_TEST.finditer(bats):
        body = case.group("body")
        where = re.search(r'split_files "([^"]+)"', body)
        cmd = re.search(r'cmd="conftest test \$\{tmp\} (.*)"', body)
        status = re.search(r'\[ "\$status" -eq (\d+) \]', body)
        if not (where and cmd and status):
            continue
        total += 1
        names = dict(re.findall(r'^\s*(\w+)="([^"]*)"', body, re.M))  # inventory="..."
        line = re.sub(r"\$\{(\w+)\}", lambda m, names=names: names.get(m.group(1),
                                                                        m.group(0)),
                      cmd.group(1))
        flags = [f for f in shlex.split(line) if f not in ("--output", "tap")]
        want = sorted(m.group("msg") for m in _NOT_OK.finditer(body))
        got_code, got = _redhat_run(repo, where.group(1), flags)
        if got_code == int(status.group(1)) and sorted(got) == want:
            passed += 1
        else:
            bad.append(f"{case.group('name')}: exit {got_code} (want {status.group(1)}); "
                       f"got {got} want {want}")
    return Score(passed, total, tuple(bad))


def _redhat_run(repo: Path, inputs: str, flags: list[str]) -> tuple[int, list[str]]:
    code, out = _gg(["check", "--no-builtin", "--no-schema", "-p", "policy", "-o", "json",
                     *flags, inputs], repo)
    try:
        findings = json.loads(out[out.index("{"):])["findings"]
    except (ValueError, KeyError):
        return code, [out.strip()[-300:]]
    return code, [f["message"] for f in findings if f.get("severity") == "error"]


# The libraries whose tests OPA itself can run (--opa-bridge): those scored by `verify`.
# conftest's and redhat-cop's cases go through `check` (inputs, conftest's conventions),
# which the bridge does not implement: no OPA number is printed for them.
OPA_RUNS = frozenset({"gatekeeper-library", "raspbernetes", "trivy-checks"})

LIBRARIES: dict[str, tuple[str, Callable[[Path, Any], Score]]] = {
    "gatekeeper-library": ("open-policy-agent/gatekeeper-library", gatekeeper),
    "conftest": ("open-policy-agent/conftest", conftest),
    "redhat-cop": ("redhat-cop/rego-policies", redhat),
    "raspbernetes": ("raspbernetes/k8s-security-policies", raspbernetes),
    "trivy-checks": ("aquasecurity/trivy-checks", trivy),
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, required=True)
    parser.add_argument("--only", action="append", choices=sorted(LIBRARIES))
    parser.add_argument("--show-failures", action="store_true")
    parser.add_argument("--opa-bridge", type=Path, help="the unpacked opa-golib-python-bindings "
                        "wheel: also run each library on OPA (see opa_reference.py)")
    args = parser.parse_args(argv)
    opa = load_bridge(args.opa_bridge) if args.opa_bridge else None
    with tempfile.TemporaryDirectory(prefix="gg-rego-libs-") as tmp:
        for name in args.only or LIBRARIES:
            repo, run = LIBRARIES[name]
            where = _clone(args.mirror, repo, Path(tmp))
            score = run(where, None)
            reference = run(where, opa) if opa is not None and name in OPA_RUNS else None
            beside = (f"   OPA: {reference}" if reference else
                      "   OPA: not run (check cases)" if opa is not None else "")
            print(f"{name:20} {score}{beside}", flush=True)
            if args.show_failures:
                for line in score.failures:
                    print(f"  {line}")
                for line in reference.failures if reference else ():
                    print(f"  OPA {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
