"""conftest's conventions: which rules count, how exceptions exempt them, and how
each result becomes a Finding with an id, a severity and a field location."""
from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gitops_guard.evaluate.rego.engine import RawResult
from gitops_guard.evaluate.rego.errors import RegoError
from gitops_guard.evaluate.rego.locate import result_location
from gitops_guard.evaluate.rego.metadata import Annotation
from gitops_guard.evaluate.rego.source import Module
from gitops_guard.model import (
    Document,
    Finding,
    Location,
    PolicyTally,
    Severity,
    format_path,
)

UNKNOWN_SEVERITY = "GG041"
FAILURE = re.compile(r"^(deny|violation)(_[a-zA-Z0-9]+)*$")
WARNING = re.compile(r"^warn(_[a-zA-Z0-9]+)*$")
EXCEPTION = "exception"


def is_check_rule(name: str) -> bool:
    return bool(FAILURE.match(name) or WARNING.match(name))


def exception_name(rule: str) -> str:
    """The name an `exception` rule lists to exempt `rule` (conftest's removeRulePrefix)."""
    if rule in ("deny", "violation", "warn"):
        return ""
    for prefix in ("violation_", "deny_", "warn_"):
        if rule.startswith(prefix):
            return rule[len(prefix):]
    return rule


def select_packages(modules: Iterable[Module], namespaces: Sequence[str],
                    all_namespaces: bool) -> list[str]:
    found = sorted({m.package for m in modules})
    if all_namespaces:
        return found
    return [p for p in found if any(fnmatch.fnmatchcase(p, ns) for ns in namespaces)]


def rule_targets(modules: Iterable[Module], packages: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """package -> the deny/violation/warn rules it defines, plus `exception` if defined."""
    wanted = set(packages)
    names: dict[str, set[str]] = {p: set() for p in packages}
    for module in modules:
        if module.package not in wanted:
            continue
        for rule in module.rules:
            if not rule.is_function and (is_check_rule(rule.name) or rule.name == EXCEPTION):
                names[module.package].add(rule.name)
    return {p: tuple(sorted(n)) for p, n in names.items() if n - {EXCEPTION}}


@dataclass(frozen=True)
class RuleIdentity:
    rule_id: str
    severity: Severity
    doc_url: str = ""
    title: str = ""


def identities(modules: Iterable[Module], targets: Mapping[str, Sequence[str]],
               severities: Mapping[str, str] | None = None,
               unknown: list[Finding] | None = None) -> dict[tuple[str, str], RuleIdentity]:
    """(package, rule) -> id, severity, docs link; METADATA first, conftest defaults after.

    The severity is conftest's (deny/violation error, warn warning) unless `severities`
    (config rego_severities) maps the METADATA custom.severity word; a word it does not
    map is a GG041 finding in `unknown`, and the rule keeps its default."""
    by_package: dict[str, list[Module]] = {}
    for module in modules:
        by_package.setdefault(module.package, []).append(module)
    out: dict[tuple[str, str], RuleIdentity] = {}
    for package, rules in targets.items():
        for rule in rules:
            if rule == EXCEPTION:
                continue
            own: Annotation | None = None
            pkg_note: Annotation | None = None
            where: Module | None = None
            for module in by_package.get(package, []):
                own = own or module.annotation_for(rule)
                pkg_note = pkg_note or module.package_annotation
                where = where or (module if own or pkg_note else None)
            default = Severity.ERROR if FAILURE.match(rule) else Severity.WARNING
            note = own if own and own.severity else pkg_note if pkg_note and \
                pkg_note.severity else None
            mapped = _mapped(note, where, severities, unknown)
            out[(package, rule)] = RuleIdentity(
                rule_id=(own.rule_id if own and own.rule_id else f"{package}/{rule}"),
                severity=default if mapped is None else mapped,
                doc_url=(own.doc_url if own and own.doc_url else
                         pkg_note.doc_url if pkg_note else ""),
                title=own.title if own else "",
            )
    return out


def _mapped(note: Annotation | None, module: Module | None,
            severities: Mapping[str, str] | None,
            unknown: list[Finding] | None) -> Severity | None:
    if note is None or not severities:
        return None
    word = severities.get(note.severity.lower())
    if word is not None:
        return Severity.parse(word)
    if unknown is not None and module is not None:
        unknown.append(Finding(
            rule_id=UNKNOWN_SEVERITY, severity=Severity.ERROR,
            message=f"METADATA custom.severity {note.severity!r} is not in config "
                    f"rego_severities ({', '.join(sorted(severities))}); the rule keeps "
                    "conftest's severity",
            location=Location(module.path, note.line, 1), source="rego"))
    return None


def definition_counts(modules: Iterable[Module], package: str) -> int:
    """How many deny/violation/warn rule definitions the package has (conftest's tally)."""
    return sum(1 for m in modules if m.package == package
               for r in m.rules if not r.is_function and is_check_rule(r.name))


@dataclass
class Tally:
    """conftest's summary counts as build_findings adds them up (model.PolicyTally, frozen,
    is what a check result carries and prints)."""

    tests: int = 0
    passed: int = 0
    warnings: int = 0
    failures: int = 0
    exceptions: int = 0

    def frozen(self) -> PolicyTally:
        return PolicyTally(self.tests, self.passed, self.warnings, self.failures,
                           self.exceptions)

    def __str__(self) -> str:
        return str(self.frozen())


def plural(count: int, word: str) -> str:
    """`1 test`, `2 tests`: conftest's wording."""
    return f"{count} {word}{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class ExceptionHit:
    """An input exempted from a rule by an `exception` rule."""

    location_path: str
    package: str
    rule: str
    resource: str = ""


@dataclass
class Outcome:
    findings: list[Finding] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)
    exceptions: list[ExceptionHit] = field(default_factory=list)


def build_findings(
    modules: Sequence[Module], targets: Mapping[str, Sequence[str]],
    inputs: Sequence[Sequence[Document]], results: Sequence[RawResult],
    severities: Mapping[str, str] | None = None,
) -> Outcome:
    """`inputs[i]` are the documents behind input i: one, or all of them with --combine."""
    unknown: list[Finding] = []
    ids = identities(modules, targets, severities, unknown)
    counts = {p: definition_counts(modules, p) for p in targets}
    outcome = Outcome()
    for docs, raw in zip(inputs, results, strict=True):
        for package, rules in targets.items():
            got = raw.get(package, {})
            exempt = _exempted(got.get(EXCEPTION, []))
            before = (outcome.tally.failures, outcome.tally.warnings, outcome.tally.exceptions)
            passed = 0
            for rule in rules:
                if rule == EXCEPTION:
                    continue
                hits = exempt.count(exception_name(rule))
                if hits:
                    outcome.tally.exceptions += hits
                    outcome.exceptions.extend(
                        ExceptionHit(docs[0].path if docs else "", package, rule,
                                     str(docs[0].resource or "") if len(docs) == 1 else "")
                        for _ in range(hits))
                    continue
                values = got.get(rule, [])
                if not values:
                    passed += 1
                for value in values:
                    finding = _finding(value, ids[(package, rule)], package, rule, docs)
                    if finding is None:
                        continue
                    outcome.findings.append(finding)
                    if FAILURE.match(rule):
                        outcome.tally.failures += 1
                    else:
                        outcome.tally.warnings += 1
            seen = (outcome.tally.failures - before[0] + outcome.tally.warnings - before[1]
                    + outcome.tally.exceptions - before[2] + passed)
            outcome.tally.passed += passed + max(0, counts[package] - seen)
    outcome.tally.tests = (outcome.tally.passed + outcome.tally.failures
                           + outcome.tally.warnings + outcome.tally.exceptions)
    outcome.findings.extend(dict.fromkeys(unknown))  # once per annotation
    outcome.findings.sort(key=Finding.sort_key)
    return outcome


def _exempted(values: list[Any]) -> list[str]:
    out: list[str] = []
    for value in values:
        items = value if isinstance(value, list) else [value]
        out.extend(item for item in items if isinstance(item, str))
    return out


def _finding(value: Any, identity: RuleIdentity, package: str, rule: str,
             docs: Sequence[Document]) -> Finding | None:
    if isinstance(value, str):
        message, extra = value, {}
    elif isinstance(value, dict):
        if "msg" not in value:
            raise RegoError(f"rule {package}.{rule} returned an object without `msg`: "
                            f"{_short(value)}")
        if not isinstance(value["msg"], str):
            raise RegoError(f"rule {package}.{rule}: `msg` must be a string: {_short(value)}")
        message, extra = value["msg"], {k: v for k, v in value.items() if k != "msg"}
    else:
        return None  # conftest ignores results that are neither strings nor objects
    where = result_location(extra, docs)
    return Finding(
        rule_id=identity.rule_id, severity=identity.severity, message=message,
        location=where.location, resource=where.document.resource if where.document else None,
        source=f"rego:{package}", env=where.document.env if where.document else None,
        field_path=format_path(where.path) if where.path else "", doc_url=identity.doc_url,
        metadata=extra,
    )


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 200 else text[:197] + "..."
