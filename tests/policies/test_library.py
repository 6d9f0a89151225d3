"""The built-in policy library (policies/gg*.py): shape of every rule, and its fixtures.

Fixtures live in tests/data/policies/<ID>/: `pass*.yaml` must give no violation of that
rule, `fail*.yaml` at least one. A fail fixture pins the lines findings land on with
markers: a trailing `# expect: GG301` on the offending line, or a full-line
`# expect: GG301 12`. Optional header comments: `# options: {json}` (rule options) and
`# kubernetes-version: 1.24` (default 1.32).
"""
from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from gitops_guard.evaluate.api import Rule, RuleContext, Violation
from gitops_guard.evaluate.fixtures import expected_lines, header
from gitops_guard.evaluate.units import plan_units
from gitops_guard.load import load_bytes
from gitops_guard.model import Document

ROOT = Path(__file__).resolve().parents[2]
POLICIES = ROOT / "policies"
FIXTURES = ROOT / "tests" / "data" / "policies"
RULE_FILE = re.compile(r"^gg(\d{3})_[a-z0-9_]+\.py$")
# Values planted in secret fixtures: no message may ever repeat them.
PLANTED_SECRETS = ("hunter2", "c3VwZXJzZWNyZXQ", "sk_live_")
MIN_RULES = 40


def _import(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"gg_policy_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rules_in(module: ModuleType) -> list[Rule]:
    return [v for v in vars(module).values() if isinstance(v, Rule)]


RULE_FILES = sorted(p for p in POLICIES.glob("gg*.py"))
RULES: dict[str, Rule] = {}
for _path in RULE_FILES:
    for _rule in _rules_in(_import(_path)):
        RULES.setdefault(_rule.id, _rule)


def evaluate(rule: Rule, docs: Sequence[Document], ctx: RuleContext,
             deployed: Mapping[str, str] | None = None) -> list[tuple[Violation, Document]]:
    """Run one rule the way the engine does: per applicable document, in its own context
    (with the namespace `deployed` says its file's deployer sets), or over them all."""
    found: list[tuple[Violation, Document]] = []
    if rule.scope == "all":
        for v in rule.func(list(docs), ctx):
            assert v.document is not None, f"{rule.id}: scope=all violation without document"
            found.append((v, v.document))
        return found
    for doc in docs:
        if doc.is_kubernetes and rule.applies_to(doc.data["kind"]):
            judged = ctx.for_document(doc, (deployed or {}).get(doc.path))
            found.extend((v, doc) for v in rule.func(doc.data, judged))
    return found


def _header(text: str) -> RuleContext:
    """The fixture's header as `verify` reads it (evaluate/fixtures.py)."""
    options, version = header(text)
    return RuleContext(options=options, kubernetes_version=version)


def _fixture_cases() -> Iterator[Any]:
    for fixture in sorted(FIXTURES.glob("GG*/*.yaml")):
        yield pytest.param(fixture.parent.name, fixture, id=f"{fixture.parent.name}/{fixture.name}")


def test_library_size() -> None:
    assert len(RULE_FILES) >= MIN_RULES
    assert len(RULES) == len(RULE_FILES)


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_rule_shape(path: Path) -> None:
    rules = _rules_in(_import(path))
    assert len(rules) == 1, f"{path.name}: exactly one Rule per file"
    rule = rules[0]
    m = RULE_FILE.match(path.name)
    assert m, f"{path.name}: name must be ggNNN_short_name.py"
    assert rule.id == f"GG{m.group(1)}"
    assert 3 <= int(m.group(1)[0]) <= 6, "built-in policies are GG3xx-GG6xx"
    assert rule.title.strip() and rule.why.strip() and rule.fix.strip()
    assert not rule.title.endswith("."), "titles are labels, not sentences"
    assert rule.scope in ("document", "all")
    fixtures = FIXTURES / rule.id
    assert list(fixtures.glob("pass*.yaml")), f"{rule.id}: no pass fixture"
    assert list(fixtures.glob("fail*.yaml")), f"{rule.id}: no fail fixture"


@pytest.mark.parametrize(("rule_id", "fixture"), list(_fixture_cases()))
def test_fixture(rule_id: str, fixture: Path) -> None:
    rule = RULES.get(rule_id)
    assert rule is not None, f"fixture dir {rule_id} has no rule"
    raw = fixture.read_bytes()
    text = raw.decode()
    loaded = load_bytes(raw, f"tests/data/policies/{rule_id}/{fixture.name}")
    assert not loaded.findings, [f.message for f in loaded.findings]
    # As the engine does: a fixture's Argo CD Application may deploy the fixture's own
    # directory, and so set the namespace of what it holds (RuleContext.deployed_namespace).
    namespaces = plan_units(loaded.documents).namespaces
    found = evaluate(rule, loaded.documents, _header(text), namespaces)
    for v, _doc in found:
        assert v.path, f"{rule_id}: violation without a field path: {v.message}"
        assert not any(s in v.message for s in PLANTED_SECRETS), v.message
    lines = [doc.locate(v.path).line for v, doc in found]
    if fixture.name.startswith("pass"):
        assert not found, [(line, v.message) for line, (v, _) in zip(lines, found, strict=True)]
        return
    assert found, f"{rule_id}: {fixture.name} gave no violation"
    expected = expected_lines(text, rule_id)
    if expected:
        # Several findings may share a line (two verbs in one flow list): compare line sets.
        assert sorted(set(lines)) == expected, [v.message for v, _ in found]
