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
import pickle
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gitops_guard.evaluate.api import RuleContext, Violation
from gitops_guard.evaluate.python import LoadedRule, describe_exception, line_in
from gitops_guard.evaluate.sandbox import DEFAULT_TIMEOUT, PolicyTimeout, Watchdog, silenced
from gitops_guard.model import Document, Finding, Location, Severity, format_path
from gitops_guard.parallel import share_work

POLICY_ERROR = "GG040"
# Worth forking for (rules are shared out past it): ~1,000 rule calls cost what a fork and
# sending the findings back do.
PARALLEL_DOCUMENTS = 400
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


class _Targets:
    """The documents each rule is called on, in input order, by its `kinds`, each with the
    context it is judged in (one per document, shared by every rule); patch files
    (`fragments`) only for rules that judge fragments; `units` for cross-resource rules."""

    def __init__(self, documents: Sequence[Document], ctx: RuleContext,
                 units: Sequence[Sequence[Document]] | None = None,
                 fragments: frozenset[str] = frozenset(),
                 namespaces: Mapping[str, str] | None = None) -> None:
        self.documents = documents
        self.ctx = ctx
        # (documents, their context) per unit: one list, handed to each rule as a copy.
        self.units = [(list(unit), ctx.for_unit(unit))
                      for unit in ([documents] if units is None else units)]
        self.fragments = fragments
        deployed = namespaces or {}
        self._pairs = [(d, ctx.for_document(d, deployed.get(d.path) if d.env is None else None))
                       for d in documents]
        self._by_kind: dict[str | None, list[int]] = {}  # kind (None: not Kubernetes) -> at
        for at, doc in enumerate(documents):
            self._by_kind.setdefault(doc.data["kind"] if doc.is_kubernetes else None,
                                     []).append(at)
        self._by_kinds: dict[tuple[tuple[str, ...], bool], list[tuple[Document, RuleContext]]] = {}

    def of(self, kinds: tuple[str, ...],
           fragments: bool = False) -> list[tuple[Document, RuleContext]]:
        found = self._by_kinds.get((kinds, fragments))
        if found is None:
            pairs = self._pairs
            if "*" in kinds:  # every document at all
                found = list(pairs)
            else:  # kinds given, or () for every Kubernetes document
                wanted = set(kinds) if kinds else set(self._by_kind).difference({None})
                at = [i for kind in wanted for i in self._by_kind.get(kind, ())]
                found = [pairs[i] for i in sorted(at)]
            if self.fragments and not fragments:
                found = [pair for pair in found if pair[0].path not in self.fragments]
            self._by_kinds[(kinds, fragments)] = found
        return found


def run_rules(rules: Iterable[LoadedRule], documents: Sequence[Document],
              options: Mapping[str, Any], kubernetes_version: str,
              timeout: float = DEFAULT_TIMEOUT, jobs: int = 1,
              units: Sequence[Sequence[Document]] | None = None,
              fragments: frozenset[str] = frozenset(),
              namespaces: Mapping[str, str] | None = None) -> list[Finding]:
    """Findings of `rules` over `documents`, rule by rule in the order given; exceptions
    and timeouts become GG040 findings. Past PARALLEL_DOCUMENTS documents the rules are
    shared out to `jobs` processes (parallel.py): the same findings in the same order.
    A cross-resource rule is called once per unit (default: `documents` as one); files
    in `fragments` reach only document rules declaring `fragments=True`; `namespaces`
    (repo path -> namespace its deployer sets) gives each repo file's documents their
    RuleContext.deployed_namespace (rendered documents' namespaces are in their data)."""
    rules = list(rules)
    ctx = RuleContext(options=options, kubernetes_version=kubernetes_version)
    targets = _Targets(documents, ctx, units, fragments, namespaces)

    def run(task: int) -> list[Finding]:
        return _run_rule(rules[task], targets, timeout)

    if len(documents) < PARALLEL_DOCUMENTS:
        jobs = 1
    parts = share_work(len(rules), run, jobs, _send_findings, pickle.loads)
    return [f for part in parts for f in part]


def _send_findings(findings: list[Finding]) -> bytes:
    return pickle.dumps(findings, pickle.HIGHEST_PROTOCOL)


def _run_rule(loaded: LoadedRule, targets: _Targets, timeout: float) -> list[Finding]:
    """One rule over its documents: its findings, then its GG040 finding if it failed."""
    watchdog = Watchdog(timeout)
    findings: list[Finding] = []
    failure: _Failure | None = None
    func = loaded.rule.func
    with silenced(), watchdog.installed():
        if loaded.rule.scope == "all":
            for unit, ctx in targets.units:
                try:
                    watchdog.call += 1
                    watchdog.active = True
                    try:
                        found = _violations(func(list(unit), ctx))
                    finally:
                        watchdog.active = False
                    findings.extend(_finding(loaded, v, v.document) for v in found)
                except (Exception, SystemExit, PolicyTimeout) as exc:  # a broken rule must
                    failure = _Failure(None, exc)  # not stop the run
                    break
        else:
            for doc, ctx in targets.of(loaded.rule.kinds, loaded.rule.fragments):
                try:  # inline: this loop runs once per rule and document
                    watchdog.call += 1
                    watchdog.active = True
                    try:
                        result = func(doc.data, ctx)
                        items = () if result is None else tuple(result)
                    finally:
                        watchdog.active = False
                    if items:
                        findings.extend(_finding(loaded, v, doc) for v in _violations(items))
                except (Exception, SystemExit, PolicyTimeout) as exc:
                    if failure is None:
                        failure = _Failure(doc, exc)
                    else:
                        failure.count += 1
                    if isinstance(exc, PolicyTimeout):  # not called again in this run
                        failure = _Failure(doc, exc)
                        break
    if failure is not None:
        findings.append(_error_finding(loaded, failure, targets.documents))
    return findings
