"""Running Python policy rules over documents.

A document-scope rule is called once per Kubernetes document whose kind it applies to
(`kinds=("*",)` also reaches non-Kubernetes documents: Terraform, plain YAML or JSON
data); a `scope="all"` rule is called once with every document. A rule that raises
while evaluating does not stop the run: it becomes one GG040 error finding per rule, at
the first document it failed on, naming the rule, its file and line, and how many
documents it failed on. Its exception text is kept for debugging, but any string value
of the documents it ran on is masked out of it (`*** (masked)`), since the exception
may quote a Secret. A rule that overruns its time (sandbox.py) is reported the same way
and not called again in this run.
"""
from __future__ import annotations

import base64
import contextlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gitops_guard.evaluate.api import RuleContext, Violation
from gitops_guard.evaluate.python import LoadedRule, describe_exception, line_in
from gitops_guard.evaluate.sandbox import DEFAULT_TIMEOUT, PolicyTimeout, Watchdog, silenced
from gitops_guard.model import Document, Finding, Location, Severity, format_path

POLICY_ERROR = "GG040"
MASK = "*** (masked)"


@dataclass
class _Failure:
    document: Document | None
    exc: BaseException
    count: int = 1


def _violations(result: Any) -> list[Violation]:
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


def _finding(loaded: LoadedRule, violation: Violation, doc: Document | None) -> Finding:
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


def _error_finding(loaded: LoadedRule, failure: _Failure,
                   documents: Sequence[Document]) -> Finding:
    rule, doc = loaded.rule, failure.document
    line = line_in(failure.exc, loaded.filename)
    where = f"{rule.source_file}:{line}" if line else rule.source_file
    more = f" (it failed on {failure.count} documents)" if failure.count > 1 else ""
    if isinstance(failure.exc, PolicyTimeout):
        what = f"timed out after {failure.exc.seconds:g}s (config timeouts.policy_seconds)"
        more = "; it was not run again"
    else:
        seen = [doc] if doc is not None else documents
        what = "raised " + mask_values(describe_exception(failure.exc), seen)
    return Finding(
        rule_id=POLICY_ERROR,
        severity=Severity.ERROR,
        message=f"policy {rule.id} ({where}) {what}{more}; this rule's results are incomplete",
        location=doc.locate() if doc is not None else Location(rule.source_file, line),
        resource=doc.resource if doc is not None else None,
        source=loaded.source,
        env=doc.env if doc is not None else None,
    )


def _dispatch(rules: Iterable[LoadedRule]) -> tuple[dict[str, list[LoadedRule]],
                                                    list[LoadedRule], list[LoadedRule]]:
    by_kind: dict[str, list[LoadedRule]] = {}
    any_kube: list[LoadedRule] = []  # kinds=(): every Kubernetes document
    everything: list[LoadedRule] = []  # "*" in kinds: every document at all
    for loaded in rules:
        kinds = loaded.rule.kinds
        if "*" in kinds:
            everything.append(loaded)
        elif not kinds:
            any_kube.append(loaded)
        else:
            for kind in kinds:
                by_kind.setdefault(kind, []).append(loaded)
    return by_kind, any_kube, everything


def run_rules(rules: Iterable[LoadedRule], documents: Sequence[Document],
              options: Mapping[str, Any], kubernetes_version: str,
              timeout: float = DEFAULT_TIMEOUT) -> list[Finding]:
    """Findings of `rules` over `documents`; exceptions and timeouts become GG040 findings."""
    watchdog = Watchdog(timeout)
    with silenced(), watchdog.installed():
        return _run_rules(list(rules), documents, options, kubernetes_version, watchdog)


def _run_rules(rules: list[LoadedRule], documents: Sequence[Document],
               options: Mapping[str, Any], kubernetes_version: str,
               watchdog: Watchdog) -> list[Finding]:
    ctx = RuleContext(options=options, kubernetes_version=kubernetes_version)
    findings: list[Finding] = []
    failures: dict[str, tuple[LoadedRule, _Failure]] = {}
    stopped: set[str] = set()  # rules that timed out: not called again

    def fail(loaded: LoadedRule, doc: Document | None, exc: BaseException) -> None:
        if isinstance(exc, PolicyTimeout):
            stopped.add(loaded.rule.id)
            failures[loaded.rule.id] = (loaded, _Failure(doc, exc))
            return
        known = failures.get(loaded.rule.id)
        if known is None:
            failures[loaded.rule.id] = (loaded, _Failure(doc, exc))
        else:
            known[1].count += 1

    def call(loaded: LoadedRule, arg: Any) -> list[Violation]:
        watchdog.call += 1
        watchdog.active = True
        try:
            return _violations(loaded.rule.func(arg, ctx))
        finally:
            watchdog.active = False

    by_kind, any_kube, everything = _dispatch(r for r in rules if r.rule.scope != "all")
    for doc in documents:
        if doc.is_kubernetes:
            applicable = [*by_kind.get(doc.data["kind"], ()), *any_kube, *everything]
        else:
            applicable = everything
        for loaded in applicable:
            if stopped and loaded.rule.id in stopped:
                continue
            try:
                findings.extend(_finding(loaded, v, doc) for v in call(loaded, doc.data))
            except (Exception, SystemExit, PolicyTimeout) as exc:  # a broken rule must not
                fail(loaded, doc, exc)  # stop the run
    every = list(documents)
    for loaded in (r for r in rules if r.rule.scope == "all"):
        try:
            findings.extend(_finding(loaded, v, v.document) for v in call(loaded, every))
        except (Exception, SystemExit, PolicyTimeout) as exc:
            fail(loaded, None, exc)
    findings.extend(_error_finding(loaded, failure, every)
                    for loaded, failure in failures.values())
    return findings
