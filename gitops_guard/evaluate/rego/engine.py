"""The engine interface: prepare once per run, then evaluate a batch of inputs.

Every engine answers the same question for each input: for each selected package,
the values of its conftest rules (deny*, violation*, warn*, exception), each as a
list. Results compare equal across engines, so findings are identical.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from gitops_guard.evaluate.rego.source import Module

# package -> rule -> values (a set or array rule's members; [] when undefined)
RawResult = dict[str, dict[str, list[Any]]]

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class PolicySet:
    """Everything an engine needs, read once per run."""

    modules: tuple[Module, ...]
    data: Mapping[str, Any] = field(default_factory=dict, hash=False)
    targets: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    rego_version: str = "v1"
    timeout_seconds: float = 30.0
    # name -> (argument count, function): builtins added to the embedded engine on top of
    # builtins.BUILTINS (a harness's stand-ins for another tool's custom builtins)
    extensions: Mapping[str, tuple[int, Callable[..., Any]]] = field(
        default_factory=dict, hash=False)


class RegoEngine(Protocol):
    """Created from a PolicySet (policies parsed and data loaded once)."""

    def evaluate(self, inputs: Sequence[Any],
                 files: Sequence[Mapping[str, str]] | None = None) -> list[RawResult]:
        """One RawResult per input, in order. `files[i]`, when given, is conftest's
        `data.conftest.file` ({"name", "dir"}) for input i."""
        ...


_USES_CONFTEST_DATA = re.compile(r"\bdata\.conftest\b")


def uses_conftest_file(policies: PolicySet) -> bool:
    """Whether any policy reads `data.conftest` (conftest's per-file data document)."""
    return any(_USES_CONFTEST_DATA.search(m.text) for m in policies.modules)


def data_ref(package: str, rule: str = "") -> str:
    """`data.a.b.rule`, quoting segments that are not identifiers."""
    parts = [*package.split("."), *([rule] if rule else [])]
    return "data" + "".join(f".{p}" if _IDENT.match(p) else f"[{json.dumps(p)}]"
                            for p in parts)


def targets_expression(targets: Mapping[str, Sequence[str]]) -> str:
    """A Rego object expression holding every target rule's members as arrays."""
    packages = []
    for package, rules in sorted(targets.items()):
        members = ", ".join(f"{json.dumps(rule)}: [v | v := {data_ref(package, rule)}[_]]"
                            for rule in rules)
        packages.append(f"{json.dumps(package)}: {{{members}}}")
    return "{" + ", ".join(packages) + "}"


def batch_query(targets: Mapping[str, Sequence[str]], with_files: bool = False) -> str:
    """One query over `input` = a JSON array of documents (used by `opa eval`); with
    `with_files`, an array of [document, data.conftest.file] pairs."""
    if with_files:
        return (f"[[i, r] | some i; pair := input[i]; "
                f"r := {targets_expression(targets)} with input as pair[0] "
                f"with data.conftest.file as pair[1]]")
    return (f"[[i, r] | some i; doc := input[i]; "
            f"r := {targets_expression(targets)} with input as doc]")


def members(value: Any) -> list[Any]:
    """A rule value as the list the query would build: set/array items, object values."""
    if isinstance(value, list):
        return list(value)
    if isinstance(value, dict):
        return list(value.values())
    return []


def from_package_documents(docs: Mapping[str, Any],
                           targets: Mapping[str, Sequence[str]]) -> RawResult:
    """RawResult from whole package documents (what OPA's Data API returns)."""
    out: RawResult = {}
    for package, rules in targets.items():
        doc = docs.get(package)
        doc = doc if isinstance(doc, dict) else {}
        out[package] = {rule: members(doc.get(rule)) for rule in rules}
    return out
