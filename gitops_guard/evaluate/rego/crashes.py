"""GG040 findings for the embedded engine's crashes and overruns (contained.py): each
names the policy file and line of the rule, the input it failed on and why."""
from __future__ import annotations

from collections.abc import Sequence

from gitops_guard.evaluate.python_run import POLICY_ERROR
from gitops_guard.evaluate.rego.contained import SetupFailed
from gitops_guard.evaluate.rego.embedded import RuleFailure
from gitops_guard.evaluate.rego.source import Module
from gitops_guard.model import Document, Finding, Location, Severity

EVAL_ERROR = "GG042"


def rule_location(modules: Sequence[Module], package: str, rule: str) -> Location:
    """Where the rule is first defined; the package's first file when it is not found."""
    in_package = [m for m in modules if m.package == package]
    for module in in_package:
        for definition in module.rules:
            if definition.name == rule:
                return Location(module.path, definition.line, 1)
    return Location(in_package[0].path if in_package else "", 0, 0)


def failure_findings(modules: Sequence[Module], failures: Sequence[RuleFailure],
                     groups: Sequence[Sequence[Document]]) -> list[Finding]:
    out: list[Finding] = []
    for failure in failures:
        docs = groups[failure.index] if 0 <= failure.index < len(groups) else []
        where = (f"{docs[0].path} (document {docs[0].index + 1})" if len(docs) == 1
                 else "the combined input" if docs else f"input #{failure.index + 1}")
        more = f"{failure.skipped} more input{'s' if failure.skipped != 1 else ''}"
        if failure.error:
            out.append(Finding(
                rule_id=EVAL_ERROR, severity=Severity.WARNING,
                message=f"rego rule data.{failure.package}.{failure.rule}: evaluation error "
                        f"on {where}{f' and {more}' if failure.skipped else ''}: "
                        f"{failure.reason}; it yields nothing there, as in OPA where the "
                        "expression is undefined",
                location=rule_location(modules, failure.package, failure.rule),
                source=f"rego:{failure.package}"))
            continue
        rest = f"; not evaluated on {more}" if failure.skipped else ""
        out.append(Finding(
            rule_id=POLICY_ERROR, severity=Severity.ERROR,
            message=f"rego rule data.{failure.package}.{failure.rule}: the engine "
                    f"{failure.reason} on {where}{rest}",
            location=rule_location(modules, failure.package, failure.rule),
            source=f"rego:{failure.package}"))
    return out


def setup_finding(modules: Sequence[Module], error: SetupFailed) -> Finding:
    """The engine died loading the policies: one finding at the file it was parsing."""
    paths = {m.path for m in modules}
    path = error.stage if error.stage in paths else (modules[0].path if modules else "")
    return Finding(
        rule_id=POLICY_ERROR, severity=Severity.ERROR,
        message=f"rego policies not evaluated: the engine {error.reason} while loading "
                f"{error.stage or 'the policies'}",
        location=Location(path, 0, 0), source="rego")
