"""docs/security.md: "No subprocess runs without a time limit, none through a shell."

Read from the source, so a new call site that forgets either fails here: every
`subprocess.run` / `check_output` passes `timeout=`, `Popen` lives only in
render/tools.py (whose `communicate` has the limit), nothing passes `shell=True`, and
nothing uses os.system / os.popen / the exec family.
"""
from __future__ import annotations

import ast
from pathlib import Path

import gitops_guard

PACKAGE = Path(gitops_guard.__file__).parent
TIMED = {"run", "check_output", "check_call", "call"}
POPEN_HOME = {"render/tools.py"}
FORBIDDEN = {("os", "system"), ("os", "popen"), ("os", "execv"), ("os", "execvp"),
             ("os", "execl"), ("os", "execlp"), ("os", "spawnv"), ("os", "spawnl")}


def _calls() -> list[tuple[str, int, str, str, ast.Call]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "subprocess":
                out.append((rel, node.lineno, "subprocess", "import-from", ast.Call(
                    func=ast.Name("x"), args=[], keywords=[])))
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name)):
                out.append((rel, node.lineno, node.func.value.id, node.func.attr, node))
    return out


def _keywords(call: ast.Call) -> dict[str, ast.expr]:
    return {k.arg: k.value for k in call.keywords if k.arg}


def test_every_subprocess_has_a_time_limit_and_no_shell() -> None:
    bad: list[str] = []
    for rel, line, owner, name, call in _calls():
        where = f"gitops_guard/{rel}:{line}"
        keywords = _keywords(call)
        shell = keywords.get("shell")
        if isinstance(shell, ast.Constant) and shell.value is not False:
            bad.append(f"{where}: shell=")
        if owner == "subprocess" and name == "import-from":
            bad.append(f"{where}: `from subprocess import`: call it as subprocess.X")
        elif owner == "subprocess" and name in TIMED and "timeout" not in keywords:
            bad.append(f"{where}: subprocess.{name} without timeout=")
        elif owner == "subprocess" and name == "Popen" and rel not in POPEN_HOME:
            bad.append(f"{where}: Popen outside render/tools.py (use run_tool)")
        elif (owner, name) in FORBIDDEN:
            bad.append(f"{where}: {owner}.{name}")
        elif rel in POPEN_HOME and name == "communicate" and "timeout" not in keywords:
            bad.append(f"{where}: communicate without timeout=")
    assert bad == []


def test_the_scan_sees_the_call_sites_it_rules_on() -> None:
    seen = {(rel, f"{owner}.{name}") for rel, _, owner, name, _ in _calls()}
    assert ("render/tools.py", "subprocess.Popen") in seen
    assert ("plan/gittree.py", "subprocess.run") in seen
