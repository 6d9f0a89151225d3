"""Running Python policy rules over documents.

A document-scope rule is called once per Kubernetes document whose kind it applies to
(`kinds=("*",)` also reaches non-Kubernetes documents: Terraform, plain YAML or JSON
data); a `scope="all"` rule is called once per deployable unit with its documents. What
a rule that raises or overruns its time yields is in python_findings.py (GG040).

Document rules run document by document, every applicable rule on one document before
the next: a document's dicts stay in the CPU caches while ~50 rules read them, which
halves their cost against running each rule over the whole input in turn (issue 13,
point 8). Each document is judged in one RuleContext shared by its rules (api.py), so
its pod spec and containers are found once. The work is cut into tasks, one per
cross-resource rule then one per chunk of consecutive documents, and past
PARALLEL_DOCUMENTS documents shared out to `jobs` processes (parallel.py); the results
are put back in rule order, each rule's findings in document order, so the findings are
those of a serial run, in the same order.
"""
from __future__ import annotations

import pickle
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from gitops_guard.evaluate.api import RuleContext
from gitops_guard.evaluate.python import LoadedRule
from gitops_guard.evaluate.python_findings import (
    POLICY_ERROR,
    Failed,
    error_finding,
    failed,
    finding,
    violations,
)
from gitops_guard.evaluate.sandbox import DEFAULT_TIMEOUT, PolicyTimeout, Watchdog, silenced
from gitops_guard.model import Document, Finding
from gitops_guard.parallel import share_work

__all__ = ["PARALLEL_DOCUMENTS", "POLICY_ERROR", "run_rules"]

# Worth forking for (rules are shared out past it): ~1,000 rule calls cost what a fork and
# sending the findings back do.
PARALLEL_DOCUMENTS = 400
# Documents per task: enough that a task's overhead is small, few enough that the
# processes finish together.
CHUNK = 2000


class _Outcome(NamedTuple):
    """One rule over one task's documents."""

    rule: int  # its index in the rules run
    findings: list[Finding]
    failure: Failed | None


class _Targets:
    """The documents, each with the context it is judged in (one per document, shared by
    every rule), the rules that apply to each, and the units for cross-resource rules."""

    def __init__(self, documents: Sequence[Document], ctx: RuleContext,
                 units: Sequence[Sequence[Document]] | None = None,
                 fragments: frozenset[str] = frozenset(),
                 namespaces: Mapping[str, str] | None = None) -> None:
        self.documents = documents
        self.fragments = fragments
        deployed = namespaces or {}
        self.contexts = [ctx.for_document(d, deployed.get(d.path) if d.env is None else None)
                         for d in documents]
        # (documents, their context) per unit: one list, handed to each rule as a copy.
        self.units = [(list(unit), ctx.for_unit(unit))
                      for unit in ([documents] if units is None else units)]

    def applicable(self, rules: Sequence[tuple[int, LoadedRule]], doc: Document,
                   memo: dict[tuple[str | None, bool], list[tuple[int, LoadedRule]]],
                   ) -> list[tuple[int, LoadedRule]]:
        """The document rules that judge `doc`: by kind (`*`: any document; none: any
        Kubernetes document), patch files only for rules that judge fragments."""
        kind = doc.data["kind"] if doc.is_kubernetes else None
        fragment = bool(self.fragments) and doc.path in self.fragments
        found = memo.get((kind, fragment))
        if found is None:
            found = memo[(kind, fragment)] = [
                (i, loaded) for i, loaded in rules
                if (loaded.rule.fragments or not fragment) and (
                    "*" in loaded.rule.kinds or (kind is not None and (
                        not loaded.rule.kinds or kind in loaded.rule.kinds)))]
        return found


def run_rules(rules: Iterable[LoadedRule], documents: Sequence[Document],
              options: Mapping[str, Any], kubernetes_version: str,
              timeout: float = DEFAULT_TIMEOUT, jobs: int = 1,
              units: Sequence[Sequence[Document]] | None = None,
              fragments: frozenset[str] = frozenset(),
              namespaces: Mapping[str, str] | None = None) -> list[Finding]:
    """Findings of `rules` over `documents`, rule by rule in the order given, each rule's
    GG040 finding after its findings. A cross-resource rule is called once per unit
    (default: `documents` as one); files in `fragments` reach only document rules
    declaring `fragments=True`; `namespaces` (repo path -> namespace its deployer sets)
    gives each repo file's documents their RuleContext.deployed_namespace (rendered
    documents' namespaces are in their data)."""
    rules = list(rules)
    ctx = RuleContext(options=options, kubernetes_version=kubernetes_version)
    targets = _Targets(documents, ctx, units, fragments, namespaces)
    whole = [i for i, loaded in enumerate(rules) if loaded.rule.scope == "all"]
    each = [(i, loaded) for i, loaded in enumerate(rules) if loaded.rule.scope != "all"]
    chunks = range(0, len(documents), CHUNK) if each else range(0)
    stopped: set[int] = set()  # rules that timed out in this process: not called again

    def run(task: int) -> list[_Outcome]:
        if task < len(whole):
            return [_run_whole(whole[task], rules[whole[task]], targets, timeout)]
        start = chunks[task - len(whole)]
        return _run_documents(each, targets, start, min(start + CHUNK, len(documents)),
                              timeout, stopped)

    if len(documents) < PARALLEL_DOCUMENTS:
        jobs = 1
    parts = share_work(len(whole) + len(chunks), run, jobs, _send, pickle.loads)
    return _merge(rules, parts, documents)


def _send(outcomes: list[_Outcome]) -> bytes:
    return pickle.dumps(outcomes, pickle.HIGHEST_PROTOCOL)


def _merge(rules: Sequence[LoadedRule], parts: Iterable[list[_Outcome]],
           documents: Sequence[Document]) -> list[Finding]:
    """The tasks' outcomes (chunks in document order) as one serial run's findings."""
    found: list[list[Finding]] = [[] for _ in rules]
    failures: list[Failed | None] = [None] * len(rules)
    for part in parts:
        for index, findings, failure in part:
            before = failures[index]
            if before is not None and before.timed_out:
                continue  # a serial run would not have called it on these documents
            found[index].extend(findings)
            if failure is not None:
                failures[index] = failure if before is None else before.and_again(failure)
    out: list[Finding] = []
    for index, loaded in enumerate(rules):
        out.extend(found[index])
        failure = failures[index]
        if failure is not None:
            out.append(error_finding(loaded, failure, documents))
    return out


def _run_whole(index: int, loaded: LoadedRule, targets: _Targets,
               timeout: float) -> _Outcome:
    """A cross-resource rule over each unit; a failure ends it."""
    watchdog = Watchdog(timeout)
    findings: list[Finding] = []
    func = loaded.rule.func
    with silenced(), watchdog.installed():
        for unit, ctx in targets.units:
            try:
                watchdog.call += 1
                watchdog.active = True
                try:
                    found = violations(func(list(unit), ctx))
                finally:
                    watchdog.active = False
                findings.extend(finding(loaded, v, v.document) for v in found)
            except (Exception, SystemExit, PolicyTimeout) as exc:  # a broken rule must not
                return _Outcome(index, findings,  # stop the run
                                failed(loaded, exc, None, targets.documents))
    return _Outcome(index, findings, None)


def _run_documents(rules: Sequence[tuple[int, LoadedRule]], targets: _Targets, start: int,
                   stop: int, timeout: float, stopped: set[int]) -> list[_Outcome]:
    """Every document rule over documents[start:stop], document by document."""
    watchdog = Watchdog(timeout)
    found: dict[int, list[Finding]] = {i: [] for i, _ in rules}
    failures: dict[int, Failed] = {}
    memo: dict[tuple[str | None, bool], list[tuple[int, LoadedRule]]] = {}
    documents, contexts = targets.documents, targets.contexts
    with silenced(), watchdog.installed():
        for position in range(start, stop):
            doc, ctx = documents[position], contexts[position]
            data = doc.data
            for index, loaded in targets.applicable(rules, doc, memo):
                if index in stopped:
                    continue
                try:  # inline: this runs once per rule and document
                    watchdog.call += 1
                    watchdog.active = True
                    try:
                        result = loaded.rule.func(data, ctx)
                        items = () if result is None else tuple(result)
                    finally:
                        watchdog.active = False
                    if items:
                        found[index].extend(finding(loaded, v, doc) for v in violations(items))
                except (Exception, SystemExit, PolicyTimeout) as exc:
                    before = failures.get(index)
                    if before is None or isinstance(exc, PolicyTimeout):  # as in a serial
                        failures[index] = failed(loaded, exc, position, [doc])  # run
                    else:
                        failures[index] = before._replace(times=before.times + 1)
                    if isinstance(exc, PolicyTimeout):
                        stopped.add(index)
    return [_Outcome(i, found[i], failures.get(i)) for i, _ in rules]
