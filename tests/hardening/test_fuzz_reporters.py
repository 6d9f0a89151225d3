"""Property tests for the reporters: whatever a finding says, the report stays well-formed.

Messages carry PR content (a schema error quotes the offending value), so they get
Markdown, HTML, control characters and newlines. The regression tests at the bottom pin
the bugs these properties found (carriage returns and `|` breaking Markdown rows, control
characters making JUnit invalid XML).
"""
from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import jsonschema
from hypothesis import given
from hypothesis import strategies as st

from gitops_guard.model import CheckResult, Finding, Location, ResourceKey, Severity
from gitops_guard.report import REPORTERS, ReportOptions
from gitops_guard.report.escape import terminal_text
from tests.hardening.fuzz import FAST

SARIF_VALIDATOR = jsonschema.Draft4Validator(json.loads(
    (Path(__file__).parents[1] / "data" / "sarif" / "sarif-2.1.0-rtm.5.json").read_text()))

NASTY = st.sampled_from(["|", "\\|", "\\", "\n", "`", "```", "<details>",
                         "</details>", "<img src=x>", "**", "&amp;", "\x00", "\x1b[31m",
                         "\u2028", "#", "- ", "[x](javascript:alert(1))", "%0A", "::"])
MESSAGES = st.lists(st.text(max_size=20) | NASTY | st.just("\r"),
                    min_size=1, max_size=8).map("".join).filter(str.strip)
IDS = st.from_regex(r"GG[0-9]{3}|[a-z.|]{1,12}/[a-z_]{1,12}", fullmatch=True)
PATHS = st.from_regex(r"[a-z0-9_./|-]{1,30}\.ya?ml", fullmatch=True)
NAMES = st.text(max_size=15)


@st.composite
def findings(draw: st.DrawFn) -> Finding:
    resource = draw(st.none() | st.builds(ResourceKey, NAMES, NAMES, NAMES, NAMES))
    return Finding(
        draw(IDS), draw(st.sampled_from(list(Severity))), draw(MESSAGES),
        Location(draw(PATHS), draw(st.integers(0, 10**6)), draw(st.integers(0, 500))),
        resource=resource, source="fuzz", env=draw(st.none() | NAMES),
        field_path=draw(st.sampled_from(["", "spec.replicas", "data['a|b']"])))


RESULTS = st.lists(findings(), max_size=6).map(
    lambda fs: CheckResult(fs, len({f.location.path for f in fs}), len(fs),
                           tuple(sorted({f.location.path for f in fs}))))


def _render(fmt: str, result: CheckResult) -> str:
    return REPORTERS[fmt](result, ReportOptions(kubernetes_version="1.32", tool_version="0.1.0"))


def table_rows(markdown: str) -> list[str]:
    lines = re.split(r"\r\n|\r|\n", markdown)  # CommonMark's line endings
    start = lines.index("|---|---|---|---|---|") + 1
    rows = []
    for line in lines[start:]:
        if not line:
            break
        rows.append(line)
    return rows


def cells(row: str) -> list[str]:
    # GitHub's table scanner (cmark-gfm) splits on every `|` not directly after a `\`.
    return re.split(r"(?<!\\)\|", row)


@FAST
@given(result=RESULTS)
def test_fuzz_markdown_keeps_one_table_row_per_finding(result: CheckResult) -> None:
    markdown = _render("markdown", result)
    if not result.findings:
        assert "|---|" not in markdown
        return
    rows = table_rows(markdown)
    assert len(rows) == len(result.findings), rows
    for row in rows:
        # 5 columns: the text before the first pipe and after the last one is empty.
        assert len(cells(row)) == 7, row
        assert cells(row)[0] == "" and cells(row)[-1] == "", row


@FAST
@given(result=RESULTS)
def test_fuzz_json_report_is_valid_and_lossless(result: CheckResult) -> None:
    payload = json.loads(_render("json", result))
    assert [f["message"] for f in payload["findings"]] == [f.message for f in result.findings]
    assert [(f["path"], f["line"]) for f in payload["findings"]] == [
        (f.location.path, f.location.line) for f in result.findings]


@FAST
@given(result=RESULTS)
def test_fuzz_sarif_is_valid_sarif(result: CheckResult) -> None:
    log: dict[str, Any] = json.loads(_render("sarif", result))
    errors = [e.message for e in SARIF_VALIDATOR.iter_errors(log)]
    assert errors == []
    results = log["runs"][0]["results"]
    assert [r["message"]["text"] for r in results] == [f.message for f in result.findings]


@FAST
@given(result=RESULTS)
def test_fuzz_text_report_renders_every_finding(result: CheckResult) -> None:
    text = _render("text", result)
    assert re.search(r"(\A|\n)\d+ files?, \d+ resources?, .*\n\Z", text), text[-200:]
    for f in result.findings:
        assert terminal_text(f.message) in text
    assert "\x1b[31m" not in text.replace("\x1b[0m", "")


@FAST
@given(result=RESULTS)
def test_fuzz_github_annotations_one_line_each(result: CheckResult) -> None:
    out = _render("github", result)
    lines = [line for line in out.split("\n") if line]
    # \r and \n are %-escaped, so every annotation is one workflow command line.
    assert all(line.startswith("::") for line in lines), lines
    assert "\r" not in out


def _one(message: str, rule: str = "GG201", path: str = "a.yaml") -> CheckResult:
    return CheckResult([Finding(rule, Severity.ERROR, message, Location(path, 1, 1))], 1, 0,
                       (path,))


def test_markdown_carriage_return_in_message_keeps_the_row() -> None:
    assert len(table_rows(_render("markdown", _one("value was 'a\rb'")))) == 1


def test_markdown_pipe_in_rule_id_keeps_the_row() -> None:
    # User Rego rules take their id from METADATA custom.id: any string.
    (row,) = table_rows(_render("markdown", _one("m", rule="team|x")))
    assert len(cells(row)) == 7


def test_markdown_pipe_in_path_keeps_the_row() -> None:
    (row,) = table_rows(_render("markdown", _one("m", path="apps/a|b.yaml")))
    assert len(cells(row)) == 7


def test_junit_with_a_control_character_is_well_formed_xml() -> None:
    ET.fromstring(_render("junit", _one("value 'a\x1bb'")).encode())


ODD_PATHS = st.text(alphabet=st.sampled_from('a/."&<>\t\n\r\x1b '), min_size=1, max_size=12)


def _with_paths(pairs: list[tuple[Finding, str]]) -> CheckResult:
    fs = [dataclasses.replace(f, location=f.location._replace(path=p)) for f, p in pairs]
    paths = tuple(sorted({f.location.path for f in fs}))
    return CheckResult(fs, len(paths), len(fs), paths)


@FAST
@given(RESULTS | st.lists(st.tuples(findings(), ODD_PATHS), max_size=6).map(_with_paths))
def test_junit_is_byte_for_byte_what_elementtree_writes(result: CheckResult) -> None:
    """JUnit is written as text (report/junit.py): parsed and written again by
    ElementTree it does not change by a byte, whatever the findings hold (quotes, tabs,
    line breaks and `&<>` in attributes and text), so it is the XML it claims to be.
    (A CR in element text is written as it is, as ElementTree writes it, and a parser
    reads it as a line feed: compared as read.)"""
    out = _render("junit", result)
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    assert out.startswith(head)
    tree = ET.fromstring(out[len(head):])
    ET.indent(tree)
    read = out.replace("\r\n", "\n").replace("\r", "\n")
    assert read == head + ET.tostring(tree, "unicode") + "\n"
