"""Rego unit tests for `gitops-guard verify`: `test_*` rules pass when true, `todo_*`
rules are skipped, parameterized tests (`test_x[case] if { some case, tc in CASES ... }`)
report one result per case."""
from __future__ import annotations

import fnmatch
import json
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from gitops_guard.evaluate.rego.contained import Failed, run_contained
from gitops_guard.evaluate.rego.embedded import engine_failure, prepared_regorus
from gitops_guard.evaluate.rego.engine import PolicySet, data_ref
from gitops_guard.evaluate.rego.errors import clean_engine_message
from gitops_guard.evaluate.rego.source import Module, RuleDef

PASS, FAIL, ERROR, SKIPPED = "PASS", "FAIL", "ERROR", "SKIPPED"
_SOME_IN = re.compile(
    r"\bsome\s+(?P<vars>[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)?)\s+in\s+(?P<expr>.+?)\s*$")
_HEAD_VAR = re.compile(r"^\w+\[\s*(?P<var>[A-Za-z_]\w*)\s*\]")
_DUPLICATE = "__gitops_guard_dup"


@dataclass(frozen=True)
class TestResult:
    """One test's outcome; shared by every verify collector (Rego, Python fixtures)."""

    name: str  # data.pkg.test_x, or data.pkg.test_x[case] for a parameterized case
    file: str
    status: str  # PASS | FAIL | ERROR | SKIPPED
    duration: float = 0.0  # seconds
    message: str = ""
    line: int = 0


def split_duplicate_tests(modules: Sequence[Module]) -> list[Module]:
    """Give each repeated definition of a test its own rule, as `opa test` does.

    A test defined twice in one package (`test_x { a }` ... `test_x { b }`) is one rule
    to Rego, true when either body is, so a failing definition would hide behind a
    passing one. OPA runs each separately and reports the second as `test_x#01`; here
    the second head is renamed `test_x__gitops_guard_dup01` (same line, same file).
    """
    seen: Counter[tuple[str, str]] = Counter()
    out: list[Module] = []
    for module in modules:
        lines = module.text.splitlines(keepends=True)
        rules: list[RuleDef] = []
        changed = False
        for rule in module.rules:
            if rule.is_function or not rule.name.startswith(("test_", "todo_")):
                rules.append(rule)
                continue
            key = (module.package, rule.name)
            seen[key] += 1
            text = lines[rule.line - 1] if 0 < rule.line <= len(lines) else ""
            if seen[key] == 1 or not text.startswith(rule.name):
                rules.append(rule)
                continue
            new = f"{rule.name}{_DUPLICATE}{seen[key] - 1:02d}"
            lines[rule.line - 1] = new + text[len(rule.name):]
            rules.append(replace(rule, name=new))
            changed = True
        out.append(replace(module, text="".join(lines), rules=tuple(rules)) if changed
                   else module)
    return out


def _display(rule: str) -> str:
    base, _, number = rule.partition(_DUPLICATE)
    return f"{base}#{number}" if number else rule


def run_rego_tests(policies: PolicySet, run: re.Pattern[str] | None = None,
                   namespaces: Sequence[str] = ()) -> list[TestResult]:
    """Every test's result; the engine runs contained (contained.py), so a test that
    crashes it or overruns `policies.timeout_seconds` is an ERROR, not the end of the run."""
    policies = replace(policies, modules=tuple(split_duplicate_tests(policies.modules)))
    results: list[TestResult | _Test] = []
    seen: set[tuple[str, str]] = set()
    for module in policies.modules:
        for rule in module.rules:
            key = (module.package, rule.name)
            if rule.is_function or key in seen or (namespaces and not any(
                    fnmatch.fnmatchcase(module.package, ns) for ns in namespaces)):
                continue
            if not (rule.name.startswith("test_") or rule.name.startswith("todo_")):
                continue
            seen.add(key)
            name = f"data.{module.package}.{_display(rule.name)}"
            if run is not None and not run.search(name):
                continue
            if rule.name.startswith("todo_"):
                results.append(TestResult(name, module.path, SKIPPED, line=rule.line))
                continue
            results.append(_Test(module, rule.name, rule.line, rule.has_key, name))
    tests = [t for t in results if isinstance(t, _Test)]  # none: still parse (errors)
    outcomes = iter(run_contained(
        lambda stage: prepared_regorus(policies, stage), tests,
        lambda engine, t: _run_one(engine, t.module, t.rule, t.line, t.keyed, t.name),
        seconds=policies.timeout_seconds))
    out: list[TestResult] = []
    for item in results:
        if isinstance(item, TestResult):
            out.append(item)
            continue
        outcome = next(outcomes)
        if isinstance(outcome, list):
            out.extend(outcome)
        else:
            why = (outcome.reason if isinstance(outcome, Failed)
                   else clean_engine_message(str(outcome.error)))
            out.append(TestResult(item.name, item.module.path, ERROR,
                                  message=f"the rego engine {why}"
                                  if isinstance(outcome, Failed) else why, line=item.line))
    return out


@dataclass(frozen=True)
class _Test:
    module: Module
    rule: str
    line: int
    keyed: bool
    name: str


def _run_one(engine: Any, module: Module, rule: str, line: int, keyed: bool,
             name: str) -> list[TestResult]:
    start = time.perf_counter()
    try:
        value = json.loads(engine.eval_rule_as_json(data_ref(module.package, rule)))
    except RuntimeError as exc:
        error = engine_failure(exc, 0)
        message = str(error) if "-->" in str(exc) else clean_engine_message(str(exc))
        return [TestResult(name, module.path, ERROR, time.perf_counter() - start, message,
                           line)]
    elapsed = time.perf_counter() - start
    if keyed or isinstance(value, dict):
        return _cases(engine, module, rule, line, name, value, elapsed)
    status = PASS if value is True else FAIL
    return [TestResult(name, module.path, status, elapsed, line=line)]


def _cases(engine: Any, module: Module, rule: str, line: int, name: str, value: Any,
           elapsed: float) -> list[TestResult]:
    """Parameterized test: cases in the result passed; cases of its domain not in it failed."""
    if isinstance(value, dict):
        passed = {json.dumps(k) if not isinstance(k, str) else k
                  for k, v in value.items() if v is True}
    elif isinstance(value, list):
        passed = {v if isinstance(v, str) else json.dumps(v) for v in value}
    else:
        passed = set()
    domain = _domain(engine, module, rule, line)
    cases = sorted(set(domain) | passed) if domain is not None else sorted(passed)
    if not cases:
        return [TestResult(name, module.path, FAIL, elapsed,
                           "parameterized test produced no cases", line)]
    share = elapsed / len(cases)
    return [TestResult(f"{name}[{case}]", module.path, PASS if case in passed else FAIL,
                       share, line=line) for case in cases]


def _domain(engine: Any, module: Module, rule: str, line: int) -> list[str] | None:
    """The case keys of `some case[, tc] in EXPR` in the test's body, when found on one line."""
    lines = module.text.splitlines()
    head = _HEAD_VAR.match(lines[line - 1]) if 0 < line <= len(lines) else None
    if head is None:
        return None
    var = head.group("var")
    for text in lines[line - 1:]:
        found = _SOME_IN.search(text)
        if found:
            names = [v.strip() for v in found.group("vars").split(",")]
            if var not in names:
                continue
            comp = ("[k | some k, _ in __x]" if len(names) == 2 and names[0] == var
                    else "[v | some v in __x]")
            imports = "\n".join(t for t in lines if t.startswith("import "))
            cases = comp.replace("__x", found.group("expr"))
            helper = (f"package {module.package}\n{imports}\n"
                      f"__gitops_guard_cases_{rule} := {cases}\n")
            try:
                probe = engine.clone()
                probe.add_policy(f"{module.path}#cases", helper)
                keys = json.loads(probe.eval_rule_as_json(
                    data_ref(module.package, f"__gitops_guard_cases_{rule}")))
            except (RuntimeError, ValueError):
                return None
            if not isinstance(keys, list):
                return None
            return [k if isinstance(k, str) else json.dumps(k) for k in keys]
        if text.startswith("}") and text is not lines[line - 1]:
            break
    return None
