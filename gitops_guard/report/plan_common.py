"""What every plan format (text, markdown, json, the PR comment) shares: value formatting,
field lines, summaries."""
from __future__ import annotations

import json
from typing import Any

from gitops_guard.plan.model import ADDED, CHANGED, REMOVED, RENAMED, EnvPlan, FieldChange, Plan

SYMBOLS = {ADDED: "+", CHANGED: "~", RENAMED: ">", REMOVED: "-"}


def value(v: Any) -> str:
    if isinstance(v, str):
        return v if v else '""'
    return json.dumps(v, ensure_ascii=False, separators=(", ", ": "))


def masked_text(f: FieldChange) -> str:
    if f.before is None:
        return f"added ({f.after} bytes)"
    if f.after is None:
        return f"removed ({f.before} bytes)"
    return f"changed ({f.before} → {f.after} bytes)"


def field_line(f: FieldChange) -> str:
    """One line describing a field change (multi-line text changes: see text_diff)."""
    if f.op == "masked":
        return f"{f.path}: {masked_text(f)}"
    if f.op == "reordered":
        return f"{f.path}: order changed: {', '.join(map(str, f.before))} → " \
               f"{', '.join(map(str, f.after))}"
    if f.op == "added":
        return f"{f.path}: added {value(f.after)}"
    if f.op == "removed":
        return f"{f.path}: removed (was {value(f.before)})"
    if f.text_diff:
        return f"{f.path}: text changed"
    return f"{f.path}: {value(f.before)} → {value(f.after)}"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def counts(env: EnvPlan) -> str:
    parts = [f"{env.count(ADDED)} added", f"{env.count(CHANGED)} changed"]
    if env.count(RENAMED):
        parts.append(f"{env.count(RENAMED)} renamed")
    parts += [f"{env.count(REMOVED)} removed", f"{env.unchanged} unchanged"]
    return ", ".join(parts)


def hidden_lines(env: EnvPlan) -> list[str]:
    return [f"{plural(n, 'field')} hidden by rule {rule}" for rule, n in sorted(
        env.hidden.items())]


def risk_summary(env: EnvPlan) -> str:
    codes: dict[str, int] = {}
    for c in env.changes:
        for r in c.risks:
            codes[r.code] = codes.get(r.code, 0) + 1
    return ", ".join(f"{n} {code}" for code, n in codes.items())


def unrendered_heading(env: EnvPlan) -> str:
    return f"{plural(len(env.unrendered), 'source')} not rendered (changes there are not shown)"


def no_changes_line(plan: Plan) -> str:
    """The closing line of a plan without changes: never a bare "No changes." when
    sources could not be rendered."""
    if not plan.unrendered:
        return "No changes."
    where = ", ".join(f"{e.name}: {len(e.unrendered)}" for e in plan.environments
                      if e.unrendered)
    return (f"No changes in what was rendered; {plural(plan.unrendered, 'source')} not "
            f"rendered ({where}), listed above with the reason.")
