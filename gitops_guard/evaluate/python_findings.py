"""What running a Python rule yields: its violations as findings, and its failures as one
GG040 finding per rule.

A rule that raises does not stop the run: it becomes one GG040 error finding, at the first
document it failed on, naming the rule, its file and line, and how many documents it
failed on. Its exception text is kept for debugging, but any string value of the
documents it ran on is masked out of it (`*** (masked)`), since the exception may quote a
Secret. A rule that overruns its time (sandbox.py) is reported the same way and not
called again in this run. A failure is recorded as a `Failed` (plain values, so a worker
process can send it back) as soon as it happens, and merged across document chunks.
"""
from __future__ import annotations

import base64
import contextlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from gitops_guard.evaluate.api import Violation
from gitops_guard.evaluate.python import LoadedRule, describe_exception, line_in
from gitops_guard.evaluate.sandbox import PolicyTimeout
from gitops_guard.model import Document, Finding, Location, Severity, format_path

POLICY_ERROR = "GG040"
MASK = "*** (masked)"


class Failed(NamedTuple):
    """A rule's failure: at the document at `position` in the input (None: a cross-resource
    rule), on `times` documents in all, its line in the rule's file and what happened."""

    position: int | None
    times: int  # how many documents it failed on
    line: int
    what: str  # "raised ..." (masked) or "timed out after ..."
    timed_out: bool = False

    def and_again(self, other: Failed) -> Failed:
        """This failure followed by `other` (on later documents), as a serial run counts:
        a timeout replaces what came before, and nothing is counted after one."""
        if self.timed_out:
            return self
        return other if other.timed_out else self._replace(times=self.times + other.times)


def violations(result: Any) -> list[Violation]:
    if result is None:
        return []
    out: list[Violation] = []
    for item in result:
        if isinstance(item, Violation):
            out.append(item)
        elif isinstance(item, str):
            out.append(Violation(item))
        else:
            raise TypeError(f"a rule must yield Violation or str, not {type(item).__name__}")
    return out


def _severity(value: Any, default: Severity) -> Severity:
    if value is None:
        return default
    return value if isinstance(value, Severity) else Severity.parse(str(value))


def finding(loaded: LoadedRule, violation: Violation, doc: Document | None) -> Finding:
    rule = loaded.rule
    path = tuple(violation.path)
    for elem in path:
        if not isinstance(elem, (str, int)):
            raise TypeError(f"path elements must be str or int, not {type(elem).__name__}")
    location = doc.locate(path) if doc is not None else Location(rule.source_file)
    return Finding(
        rule_id=rule.id,
        severity=_severity(violation.severity, rule.severity),
        message=violation.message,
        location=location,
        resource=doc.resource if doc is not None else None,
        source=loaded.source,
        env=doc.env if doc is not None else None,
        field_path=format_path(path),
        doc_url=rule.doc_url,
    )


def _strings(value: Any, out: set[str], budget: list[int]) -> None:
    if budget[0] <= 0:
        return
    budget[0] -= 1
    if isinstance(value, str):
        if len(value) >= 4:
            out.add(value)
    elif isinstance(value, Mapping):
        for item in value.values():
            _strings(item, out, budget)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _strings(item, out, budget)


def mask_values(text: str, documents: Iterable[Document]) -> str:
    """`text` with every string value (4+ characters) of `documents` masked out, the
    decoded `data` of Secrets included."""
    values: set[str] = set()
    budget = [200_000]
    for doc in documents:
        _strings(doc.data, values, budget)
        data = doc.data.get("data") if isinstance(doc.data, Mapping) and doc.data.get(
            "kind") == "Secret" else None
        if isinstance(data, Mapping):
            for encoded in data.values():
                with contextlib.suppress(ValueError, TypeError):
                    plain = base64.b64decode(str(encoded), validate=True).decode(
                        "utf-8", "replace")
                    _strings(plain, values, budget)
    for value in sorted(values, key=len, reverse=True):
        if value in text:
            text = text.replace(value, MASK)
    return text


def failed(loaded: LoadedRule, exc: BaseException, position: int | None,
           seen: Sequence[Document]) -> Failed:
    """The record of `exc`, raised by `loaded` on the document at `position` (`seen`: the
    documents it was handed, whose values are masked out of the exception's text)."""
    line = line_in(exc, loaded.filename)
    if isinstance(exc, PolicyTimeout):
        return Failed(position, 1, line, f"timed out after {exc.seconds:g}s (config "
                      "timeouts.policy_seconds)", timed_out=True)
    return Failed(position, 1, line, "raised " + mask_values(describe_exception(exc), seen))


def error_finding(loaded: LoadedRule, failure: Failed, documents: Sequence[Document]) -> Finding:
    rule = loaded.rule
    doc = documents[failure.position] if failure.position is not None else None
    where = f"{rule.source_file}:{failure.line}" if failure.line else rule.source_file
    more = f" (it failed on {failure.times} documents)" if failure.times > 1 else ""
    if failure.timed_out:
        more = "; it was not run again"
    return Finding(
        rule_id=POLICY_ERROR,
        severity=Severity.ERROR,
        message=f"policy {rule.id} ({where}) {failure.what}{more}; this rule's results are "
                "incomplete",
        location=doc.locate() if doc is not None else Location(rule.source_file, failure.line),
        resource=doc.resource if doc is not None else None,
        source=loaded.source,
        env=doc.env if doc is not None else None,
    )
