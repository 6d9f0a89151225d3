"""JUnit XML: one testcase per checked file and rule family; failures carry file:line."""
from __future__ import annotations

from collections import defaultdict
from xml.etree import ElementTree as ET

from gitops_guard.model import CheckResult, Finding, Severity
from gitops_guard.report.escape import xml_text
from gitops_guard.report.options import ReportOptions
from gitops_guard.report.sarif import _family

FAMILIES = ("load", "schema", "policy")
_LABELS = {s: s.label for s in Severity}


def _failure_text(findings: list[Finding]) -> str:
    return xml_text("\n".join(
        f"{f.location}: {_LABELS[f.severity]} {f.rule_id} {f.message}"
        + (f" [{f.resource}]" if f.resource else "") for f in findings))


def render_junit(result: CheckResult, options: ReportOptions) -> str:
    by_case: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in result.findings:
        by_case[(f.location.path, _family(f.rule_id))].append(f)
    paths = sorted(set(result.checked_paths) | {path for path, _ in by_case})
    extra: dict[str, set[str]] = defaultdict(set)  # families beyond FAMILIES, per path
    for path, family in by_case:
        if family not in FAMILIES:
            extra[path].add(family)
    suites = ET.Element("testsuites", name="gitops-guard")
    suite = ET.SubElement(suites, "testsuite", name="gitops-guard check")
    tests = failures = 0
    for path in paths:
        families = [*FAMILIES, *sorted(extra.get(path, ()))]
        for family in families:
            tests += 1
            case = ET.SubElement(suite, "testcase", classname=xml_text(path), name=family)
            found = by_case.get((path, family), [])
            failing = [f for f in found if f.severity >= Severity.WARNING]
            if failing:
                failures += 1
                worst = max(f.severity for f in failing)
                first = failing[0]
                node = ET.SubElement(case, "failure", type=xml_text(first.rule_id),
                                     message=xml_text(f"{len(failing)} {worst.label} "
                                                      f"finding(s), first at {first.location}"))
                node.text = _failure_text(failing)
            notes = [f for f in found if f.severity < Severity.WARNING]
            if notes:
                ET.SubElement(case, "system-out").text = _failure_text(notes)
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suites.set("tests", str(tests))
    suites.set("failures", str(failures))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, "unicode") + "\n"
