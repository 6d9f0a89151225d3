"""The package's import graph: no cycles, and no stage imports a later one (issue 18)."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "gitops_guard"
# Each early stage, with what it must never import (design.md §2: data flows one way).
LATER = {
    "load": ("render", "validate", "evaluate", "plan", "commands", "report", "publish"),
    "render": ("validate", "evaluate", "plan", "commands", "report", "publish"),
    "validate": ("evaluate", "plan", "commands", "report", "publish"),
    "evaluate": ("plan", "commands", "report", "publish"),
    "plan": ("commands", "report", "publish"),  # its formats are in report/, downstream
    "report": ("commands", "publish"),  # every output format lives here, none in commands/
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name in modules)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] \
                if node.level else []
            target = ".".join([*base, node.module] if node.module else base)
            subs = {f"{target}.{a.name}" for a in node.names} & modules.keys()
            out.update(subs)
            if len(subs) < len(node.names) and target in modules:
                out.add(target)  # a name from the package itself, not a submodule
    out.discard(name)
    return out


GRAPH = {name: _imports(name, path, _modules()) for name, path in _modules().items()}


def _cycles() -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    return found


def test_no_module_takes_part_in_an_import_cycle() -> None:
    assert _cycles() == []


@pytest.mark.parametrize("stage", sorted(LATER))
def test_a_stage_imports_nothing_from_a_later_one(stage: str) -> None:
    prefix = f"gitops_guard.{stage}"
    wrong = sorted(
        f"{name} -> {dep}" for name, deps in GRAPH.items()
        if name == prefix or name.startswith(prefix + ".")
        for dep in deps if dep.split(".")[1:2] and dep.split(".")[1] in LATER[stage])
    assert wrong == []


def test_the_checker_sees_a_cycle() -> None:
    # The graph walk is not vacuous: the package has edges, and a planted cycle is found.
    assert sum(len(deps) for deps in GRAPH.values()) > 300
    GRAPH["gitops_guard.kinds"].add("gitops_guard.model")
    GRAPH["gitops_guard.model"].add("gitops_guard.kinds")
    try:
        assert ["gitops_guard.kinds", "gitops_guard.model"] in _cycles()
    finally:
        GRAPH["gitops_guard.kinds"].discard("gitops_guard.model")
        GRAPH["gitops_guard.model"].discard("gitops_guard.kinds")


@pytest.mark.parametrize("config", ["", "environments:\n  prod: {path: clusters/prod}\n"])
def test_checking_one_file_imports_neither_render_nor_the_plan_builder(
        tmp_path: Path, config: str) -> None:
    """The pre-commit hook's start-up is a product feature: `check FILE` renders nothing,
    with environments configured or not, so render/ and plan.build (which pulls render/)
    stay unimported (they were ~100 ms of a 260 ms hook run in a repo with environments)."""
    manifest = tmp_path / "cm.yaml"
    manifest.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n")
    (tmp_path / "clusters/prod").mkdir(parents=True)
    (tmp_path / ".gitops-guard.yaml").write_text(config)
    probe = ("import sys\nfrom gitops_guard.cli import main\ncode = main(['check', sys.argv[1]])\n"
             "print(code, *sorted(m for m in sys.modules if m.startswith("
             "('gitops_guard.render', 'gitops_guard.plan.build'))))")
    result = subprocess.run([sys.executable, "-c", probe, str(manifest)], capture_output=True,
                            text=True, timeout=120, cwd=tmp_path, check=True)
    assert result.stdout.split()[-1:] == ["0"], result.stdout
