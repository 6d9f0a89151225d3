"""The built-in policy library (policies/gg*.py): shape of every rule, and its fixtures.

Fixtures live in tests/data/policies/<ID>/: `pass*.yaml` must give no violation of that
rule, `fail*.yaml` at least one. A fail fixture pins the lines findings land on with
markers: a trailing `# expect: GG301` on the offending line, or a full-line
`# expect: GG301 12`. Optional header comments: `# options: {json}` (rule options) and
`# kubernetes-version: 1.24` (default 1.32).
"""
from __future__ import annotations

import importlib.util
import json
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from gitops_guard.evaluate.api import Rule, RuleContext, Violation
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
    options: dict[str, Any] = {}
    version = "1.32"
    for line in text.splitlines():
        if m := re.match(r"^#\s*options:\s*(\{.*\})\s*$", line):
            options.update(json.loads(m.group(1)))
        elif m := re.match(r"^#\s*kubernetes-version:\s*(\S+)\s*$", line):
            version = m.group(1)
    return RuleContext(options=options, kubernetes_version=version)


def _expected_lines(text: str, rule_id: str) -> list[int]:
    lines: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if m := re.match(rf"^\s*#\s*expect:\s*{rule_id}\s+(\d+)\s*$", line):
            lines.append(int(m.group(1)))
        elif re.search(rf"\S.*#\s*expect:\s*{rule_id}\b", line):
            lines.append(number)
    return sorted(set(lines))


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
    expected = _expected_lines(text, rule_id)
    if expected:
        # Several findings may share a line (two verbs in one flow list): compare line sets.
        assert sorted(set(lines)) == expected, [v.message for v, _ in found]


def _synthetic_corpus(count: int) -> list[Document]:
    """A realistic mix: Deployments with Services, PDBs, HPAs, ConfigMaps, RBAC, Ingress."""
    from gitops_guard.model import FixedPositions

    docs: list[Document] = []
    for i in range(count // 5):
        ns, app = f"team-{i % 20}", f"app-{i}"
        labels = {"app.kubernetes.io/name": app}
        container = {
            "name": app, "image": f"ghcr.io/acme/{app}:1.{i}",
            "ports": [{"name": "http", "containerPort": 8080}],
            "env": [{"name": "DB_PASSWORD", "value": "x"}, {"name": "LOG", "value": "info"}],
            "resources": {"requests": {"cpu": "100m", "memory": "128Mi"},
                          "limits": {"memory": "256Mi"}},
            "securityContext": {"allowPrivilegeEscalation": False,
                                "capabilities": {"drop": ["ALL"]}},
            "livenessProbe": {"httpGet": {"path": "/", "port": "http"}},
        }
        meta = {"name": app, "namespace": ns, "labels": labels}
        items: list[dict[str, Any]] = [
            {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta,
             "spec": {"replicas": 2, "selector": {"matchLabels": labels},
                      "template": {"metadata": {"labels": labels},
                                   "spec": {"containers": [container]}}}},
            {"apiVersion": "v1", "kind": "Service", "metadata": meta,
             "spec": {"selector": labels, "ports": [{"port": 80, "targetPort": "http"}]}},
            {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": meta,
             "spec": {"minAvailable": 1, "selector": {"matchLabels": labels}}},
            {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": meta,
             "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment",
                                         "name": app}, "maxReplicas": 5}},
            {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": meta,
             "rules": [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"]}]},
        ]
        docs.extend(Document(f"corpus/{app}.yaml", j, item, FixedPositions())
                    for j, item in enumerate(items))
    return docs


def test_library_speed() -> None:
    """Every rule over 2,000 resources; the budget is 0.3 s, asserted loosely for CI noise."""
    docs = _synthetic_corpus(2000)
    ctx = RuleContext(options={"allowed_registries": ["ghcr.io/acme"]},
                      kubernetes_version="1.32")
    start = time.perf_counter()
    total = sum(len(evaluate(rule, docs, ctx)) for rule in RULES.values())
    elapsed = time.perf_counter() - start
    print(f"\n{len(RULES)} rules over {len(docs)} resources: {elapsed:.3f} s, {total} findings")
    assert elapsed < 1.5
