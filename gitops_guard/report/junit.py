"""JUnit XML: one testcase per checked file and rule family; failures carry file:line."""
from __future__ import annotations

from collections import defaultdict

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


def _text(text: str) -> str:
    """Element text as ElementTree writes it (xml.etree's _escape_cdata)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _attr(text: str) -> str:
    """An attribute value as ElementTree writes it (xml.etree's _escape_attrib): element
    text's escapes, then quotes and the whitespace an attribute would normalise."""
    text = _text(text)
    for char, entity in _ATTR_ENTITIES:
        if char in text:
            text = text.replace(char, entity)
    return text


_ATTR_ENTITIES = (('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;"))


def render_junit(result: CheckResult, options: ReportOptions) -> str:
    """Written directly, byte for byte what ElementTree writes after ET.indent (a fleet's
    merge lists tens of thousands of test cases: building the tree took most of it)."""
    by_case: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in result.findings:
        by_case[(f.location.path, _family(f.rule_id))].append(f)
    paths = sorted(set(result.checked_paths) | {path for path, _ in by_case})
    extra: dict[str, set[str]] = defaultdict(set)  # families beyond FAMILIES, per path
    for path, family in by_case:
        if family not in FAMILIES:
            extra[path].add(family)
    cases: list[str] = []
    tests = failures = 0
    for path in paths:
        families = [*FAMILIES, *sorted(extra.get(path, ()))]
        classname = _attr(xml_text(path))
        for family in families:
            tests += 1
            head = f'    <testcase classname="{classname}" name="{_attr(family)}"'
            found = by_case.get((path, family))
            if not found:
                cases.append(f"{head} />")
                continue
            inner: list[str] = []
            failing = [f for f in found if f.severity >= Severity.WARNING]
            if failing:
                failures += 1
                worst = max(f.severity for f in failing)
                first = failing[0]
                message = xml_text(f"{len(failing)} {worst.label} finding(s), first at "
                                   f"{first.location}")
                inner.append(f'      <failure type="{_attr(xml_text(first.rule_id))}" '
                             f'message="{_attr(message)}">'
                             f"{_text(_failure_text(failing))}</failure>")
            notes = [f for f in found if f.severity < Severity.WARNING]
            if notes:
                inner.append(f"      <system-out>{_text(_failure_text(notes))}</system-out>")
            if inner:
                cases.append(f"{head}>\n" + "\n".join(inner) + "\n    </testcase>")
            else:
                cases.append(f"{head} />")
    counts = f'tests="{tests}" failures="{failures}"'
    body = (f'  <testsuite name="gitops-guard check" {counts} errors="0">\n'
            + "".join(f"{c}\n" for c in cases) + "  </testsuite>") if cases else \
        f'  <testsuite name="gitops-guard check" {counts} errors="0" />'
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<testsuites name="gitops-guard" {counts}>\n{body}\n</testsuites>\n')
