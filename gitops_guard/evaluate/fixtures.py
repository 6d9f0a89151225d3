"""Python policy fixtures for `gitops-guard verify`: each fixture file is one test.

Where fixtures live, next to a policy file `acme.py` that defines rule ACME001:

    acme_fixtures/pass*.yaml            (a file that defines one rule)
    acme_fixtures/ACME001/pass*.yaml    (a file that defines several rules)
    fixtures/ACME001/pass*.yaml         (one folder shared by every policy in the dir)

`pass*` fixtures (.yaml, .yml or .json) must give no finding of that rule; `fail*`
fixtures at least one. A fail fixture may pin the lines its findings land on: a
trailing `# expect: ACME001` on the offending line, or a full-line
`# expect: ACME001 12`; then the set of lines must match exactly. Optional header
comments: `# options: {"key": "value"}` (the rule's options, as JSON) and
`# kubernetes-version: 1.29` (default DEFAULT_KUBERNETES_VERSION).
"""
from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from gitops_guard.evaluate.python import LoadedRule, find_python_files, load_policy_file
from gitops_guard.evaluate.python_run import POLICY_ERROR, run_rules
from gitops_guard.evaluate.rego.testing import ERROR, FAIL, PASS, TestResult

DEFAULT_KUBERNETES_VERSION = "1.32"
FIXTURE_SUFFIXES = (".yaml", ".yml", ".json")
_OPTIONS = re.compile(r"^#\s*options:\s*(?P<json>\{.*\})\s*$")
_VERSION = re.compile(r"^#\s*kubernetes-version:\s*(?P<version>\S+)\s*$")


def collect_python_fixtures(paths: Sequence[str],
                            run: re.Pattern[str] | None = None) -> list[TestResult]:
    results: list[TestResult] = []
    for absolute, shown in find_python_files(paths):
        rules = _fixture_rules(absolute, shown)
        if not rules:
            continue
        for loaded, fixture, fixture_shown in rules:
            name = f"python.{loaded.rule.id}/{fixture.name}"
            if run is not None and not run.search(name):
                continue
            results.append(run_fixture(loaded, fixture, fixture_shown, name, shown))
    return results


def _fixture_rules(absolute: Path, shown: str) -> list[tuple[LoadedRule, Path, str]]:
    """(rule, fixture, shown fixture path) for every fixture of the rules in one file."""
    folder, stem = absolute.parent, absolute.stem
    own = folder / f"{stem}_fixtures"
    shared = folder / "fixtures"
    if not own.is_dir() and not shared.is_dir():
        return []  # a policy without fixtures is loaded by `check`, not here
    loaded = load_policy_file(absolute, shown)
    shown_folder = Path(shown).parent
    found: list[tuple[LoadedRule, Path, str]] = []
    for item in loaded:
        dirs = [own / item.rule.id, shared / item.rule.id]
        if len(loaded) == 1:
            dirs.insert(0, own)
        for where in dirs:
            for fixture in _fixtures_in(where):
                rel = fixture.relative_to(folder).as_posix()
                found.append((item, fixture, (shown_folder / rel).as_posix()))
    return found


def _fixtures_in(folder: Path) -> Iterator[Path]:
    if not folder.is_dir():
        return
    for path in sorted(folder.iterdir()):
        if (path.is_file() and path.suffix in FIXTURE_SUFFIXES
                and path.name.startswith(("pass", "fail"))):
            yield path


def header(text: str) -> tuple[dict[str, Any], str]:
    """Rule options and Kubernetes version from a fixture's header comments."""
    options: dict[str, Any] = {}
    version = DEFAULT_KUBERNETES_VERSION
    for line in text.splitlines():
        if m := _OPTIONS.match(line):
            value = json.loads(m.group("json"))
            if isinstance(value, dict):
                options.update(value)
        elif m := _VERSION.match(line):
            version = m.group("version")
    return options, version


def expected_lines(text: str, rule_id: str) -> list[int]:
    """Lines pinned by `# expect: ID` markers (trailing, or full-line with a number)."""
    rid = re.escape(rule_id)
    full = re.compile(rf"^\s*#\s*expect:\s*{rid}\s+(\d+)\s*$")
    trailing = re.compile(rf"\S.*#\s*expect:\s*{rid}(?![\w-])")
    lines: set[int] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if m := full.match(line):
            lines.add(int(m.group(1)))
        elif trailing.search(line):
            lines.add(number)
    return sorted(lines)


def run_fixture(loaded: LoadedRule, fixture: Path, shown: str, name: str,
                policy_file: str = "") -> TestResult:
    """One fixture file as one test: PASS, FAIL (with why) or ERROR.

    Results are grouped under the policy file; messages name the fixture (`shown`).
    """
    from gitops_guard.load import load_bytes

    start = time.perf_counter()

    def result(status: str, message: str = "") -> TestResult:
        where = f"{shown}: {message}" if message else ""
        return TestResult(name, policy_file or shown, status, time.perf_counter() - start,
                          where)

    try:
        raw = fixture.read_bytes()
        text = raw.decode("utf-8")
        options, version = header(text)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return result(ERROR, f"cannot read fixture: {exc}")
    parsed = load_bytes(raw, shown)
    if parsed.findings:
        return result(ERROR, "; ".join(f"{f.rule_id} line {f.location.line}: {f.message}"
                                       for f in parsed.findings))
    findings = run_rules([loaded], parsed.documents, options, version)
    broken = [f for f in findings if f.rule_id == POLICY_ERROR]
    if broken:
        return result(ERROR, broken[0].message)
    mine = [f for f in findings if f.rule_id == loaded.rule.id]
    got = sorted({f.location.line for f in mine})
    if fixture.name.startswith("pass"):
        if mine:
            return result(FAIL, "expected no finding, got: " + "; ".join(
                f"line {f.location.line}: {f.message}" for f in mine))
        return result(PASS)
    if not mine:
        return result(FAIL, f"expected at least one {loaded.rule.id} finding, got none")
    want = expected_lines(text, loaded.rule.id)
    if want and got != want:
        return result(FAIL, f"expected findings on lines {want}, got lines {got}")
    return result(PASS)
