"""OPA's own result on the same Rego tests, beside gitops-guard's (rego_libraries.py).

The reference is OPA itself (v1.20.2) as a Go c-shared library: the wheel
`opa-golib-python-bindings` ships it with a ctypes wrapper. The wheel is tagged for
Python >= 3.14 but its wrapper runs on 3.11, so it is unpacked, not installed:

    pip download --no-deps --python-version 3.14 --only-binary=:all: -d /tmp/opa \\
        opa-golib-python-bindings
    unzip /tmp/opa/opa_golib_python_bindings-*.whl -d /tmp/opa/w
    python benchmarks/rego_libraries.py --mirror /work/.mirror --opa-bridge /tmp/opa/w

That library parses Rego v1 only, so v0 libraries are first rewritten to v1 by
v0_to_v1() below (regorus parses the v0 module; `if` and `contains` are inserted at the
positions its syntax tree gives; OPA's removed v0 builtins are registered back).

A test is run the way `verify` runs it (testing.py: the same test list, the same
handling of repeated and parameterized tests); only the engine differs.
"""
from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from gitops_guard.evaluate.rego.builtins import BUILTINS
from gitops_guard.evaluate.rego.engine import PolicySet, data_ref
from gitops_guard.evaluate.rego.source import Module, RuleDef
from gitops_guard.evaluate.rego.testing import (
    ERROR,
    SKIPPED,
    TestResult,
    _display,
    _run_one,
    split_duplicate_tests,
)


class OpaAdapter:
    """The few regorus.Engine methods testing.py calls, answered by OPA.

    The library compiles every module again for each new query (seconds on a large
    library), so prefetch() asks for many rules in one query and eval_rule_as_json()
    answers from what it got; a query that errors is split in halves until the
    erroring rules are alone."""

    def __init__(self, bridge: Any, modules: Sequence[tuple[str, str]], data: Any,
                 functions: Mapping[str, tuple[int, Callable[..., Any]]]) -> None:
        self._bridge = bridge
        self._engine = bridge.OpaEngine()
        self._engine.print_handler = lambda message, location: None
        self._known: dict[str, str | RuntimeError] = {}
        for name, (nargs, func) in functions.items():
            self._engine.register_function(name, func, arity=nargs)
        for path, text in modules:
            self._engine.add_policy(path, text)
        if data:
            self._engine.add_data(data)

    def prefetch(self, refs: Sequence[str]) -> None:
        if not refs:
            return
        query = "x := [" + ", ".join(f"[v | v := {ref}]" for ref in refs) + "]"
        try:
            rows = self._engine.eval_query(query)
        except self._bridge.OpaError as exc:
            if len(refs) == 1:
                self._known[refs[0]] = RuntimeError(str(exc))
                return
            half = len(refs) // 2
            self.prefetch(refs[:half])
            self.prefetch(refs[half:])
            return
        values = rows[0]["x"] if rows else [[] for _ in refs]
        for ref, value in zip(refs, values, strict=True):
            self._known[ref] = json.dumps(value[0]) if value else "null"

    def eval_rule_as_json(self, ref: str) -> str:
        if ref not in self._known:
            self.prefetch([ref])
        known = self._known[ref]
        if isinstance(known, RuntimeError):
            raise known
        return known

    def clone(self) -> OpaAdapter:
        return self

    def add_policy(self, path: str, text: str) -> None:
        try:
            self._engine.add_policy(path, text)
        except self._bridge.OpaError as exc:
            raise RuntimeError(str(exc)) from None


def load_bridge(path: Path) -> Any:
    sys.path.insert(0, str(path))
    from opa_bindings import engine  # type: ignore[import-not-found]

    return engine


def opa_tests(bridge: Any, policies: PolicySet,
              functions: Mapping[str, tuple[int, Callable[..., Any]]]) -> list[TestResult]:
    """`verify`'s test list and counting, every test evaluated by OPA."""
    modules = split_duplicate_tests(policies.modules)
    sources = [(m.path, v0_to_v1(m.text, m.path) if policies.rego_version == "v0" else m.text)
               for m in modules]
    extra = dict(functions)
    if policies.rego_version == "v0":  # removed from OPA 1.x; v0 policies still call them
        extra.update({n: (b.nargs, b.func) for n, b in BUILTINS.items() if b.v0_only})
    try:
        engine = OpaAdapter(bridge, sources, dict(policies.data), extra)
    except bridge.OpaError as exc:
        return [TestResult(f"<load {modules[0].path}>", modules[0].path, ERROR,
                           message=str(exc))]
    tests: list[tuple[Module, RuleDef]] = []
    seen: set[tuple[str, str]] = set()
    for module in modules:
        for rule in module.rules:
            key = (module.package, rule.name)
            if rule.is_function or key in seen or not rule.name.startswith(("test_", "todo_")):
                continue
            seen.add(key)
            tests.append((module, rule))
    engine.prefetch([data_ref(m.package, r.name) for m, r in tests
                     if r.name.startswith("test_")])
    out: list[TestResult] = []
    for module, rule in tests:
        name = f"data.{module.package}.{_display(rule.name)}"
        if rule.name.startswith("todo_"):
            out.append(TestResult(name, module.path, SKIPPED, line=rule.line))
            continue
        out.extend(_run_one(engine, module, rule.name, rule.line, rule.has_key, name))
    return out


def v0_to_v1(text: str, path: str) -> str:
    """A v0 module in v1 syntax: `if` before every rule body, `p contains x` for the v0
    set rule `p[x]`, `import rego.v1` dropped (v1 needs none). Positions come from
    regorus's syntax tree of the v0 text, so strings and comments are never touched."""
    import regorus

    from gitops_guard.evaluate.rego import rewrite

    # only the rewrites regorus needs to parse valid v0 (each keeps the meaning)
    text = rewrite._split_bodies(rewrite._separate_paren_lines(rewrite._hoist_imports(text)))
    engine = regorus.Engine()
    engine.set_rego_v0(True)
    engine.set_policy_length_config(max_col=1 << 20, max_file_bytes=64 << 20,
                                    max_lines=1 << 22)
    engine.add_policy(path, text)
    tree = json.loads(engine.get_ast_as_json())[0]["ast"]
    data = text.encode("utf-8")
    edits: list[tuple[int, int, bytes]] = []  # (start, end, replacement)
    for rule in tree["rules"]:
        spec = rule.get("Spec")
        if spec is None:
            continue
        head = spec["head"]
        kind, fields = next(iter(head.items()))
        if kind == "Set" and fields.get("key") is not None:
            # `p[x]` -> `p contains x`: the `[` after the name, the `]` ending the head
            # (regorus's span start of an object key is past its fields; its end is right)
            open_at = data.index(b"[", _span(fields["refr"])[1])
            close_at = data.rindex(b"]", 0, int(fields["span"]["end"]))
            edits.append((open_at, open_at + 1, b" contains "))
            edits.append((close_at, close_at + 1, b""))
        for body in spec["bodies"]:
            start = body["span"]["start"]
            if body.get("is_else"):  # `else [= value] { ... }`: the `{` after the value
                after = (int(body["assign"]["span"]["end"]) if body.get("assign")
                         else start + len(b"else"))
                brace = data.find(b"{", after, body["span"]["end"])
                if brace >= 0:
                    edits.append((brace, brace, b" if "))
            elif data[start:start + 1] == b"{":  # `test_x{` too: a space before `if`
                edits.append((start, start, b" if "))
    for start, end, new in sorted(edits, reverse=True):
        data = data[:start] + new + data[end:]
    return re.sub(r"(?m)^import\s+rego\.v1\s*$", "", data.decode("utf-8"))


def _span(node: Mapping[str, Any]) -> tuple[int, int]:
    inner = next(iter(node.values()))
    return int(inner["span"]["start"]), int(inner["span"]["end"])

