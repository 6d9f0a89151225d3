"""Table-driven checks: a manifest whose lines carry `# expect GG2xx:COL` markers."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.conftest import RunCli

_MARK = re.compile(r"#\s*expect\s+((?:GG\d{3}:\d+\s*)+)")


def expected(source: str) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for number, line in enumerate(source.splitlines(), 1):
        match = _MARK.search(line)
        for item in match.group(1).split() if match else ():
            rule, col = item.split(":")
            out.append((number, int(col), rule))
    return sorted(out)


def apiserver_findings(tmp_path: Path, run_cli: RunCli, source: str,
                       *extra: str, name: str = "m.yaml") -> tuple[int, list[dict[str, Any]]]:
    path = tmp_path / name
    path.write_text(source)
    result = run_cli("check", str(path), "--no-builtin", "-o", "json", *extra)
    assert result.code in (0, 1), result.err
    return result.code, [f for f in result.json()["findings"] if f["source"] == "apiserver"]


def check(tmp_path: Path, run_cli: RunCli, source: str, *extra: str) -> list[dict[str, Any]]:
    """Runs `check` and asserts the apiserver findings are exactly the marked ones."""
    _, found = apiserver_findings(tmp_path, run_cli, source, *extra)
    got = sorted((f["line"], f["column"], f["rule_id"]) for f in found)
    assert got == expected(source), "\n".join(
        f"{f['line']}:{f['column']} {f['rule_id']} {f['message']}" for f in found)
    return found
