"""`gitops-guard policies [list|show ID]`: what each rule checks, why, and how to fix it.

    gitops-guard policies list [-p PATH]... [-o text|json]
    gitops-guard policies show ID [-p PATH]... [-o text|json]

Lists the built-in library, the Python policies from the config's `policies:` and
`-p`, and the core rule ids (load, schema, suppression findings). An unknown ID exits 2.
"""
from __future__ import annotations

import argparse
import ast
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gitops_guard.catalog import CORE_RULES, RuleDoc
from gitops_guard.commands import add_command
from gitops_guard.commands.common import add_config_flag, add_output_flags
from gitops_guard.config import Config, resolve_config
from gitops_guard.errors import UsageError
from gitops_guard.evaluate.builtin import builtin_rules
from gitops_guard.evaluate.python import LoadedRule, load_python_policies


@dataclass(frozen=True)
class Entry:
    id: str
    severity: str
    title: str
    origin: str  # builtin | python | core
    enabled: bool = True
    why: str = ""
    fix: str = ""
    example: str = ""
    kinds: tuple[str, ...] = ()
    scope: str = ""
    doc_url: str = ""
    source_file: str = ""
    options: tuple[tuple[str, str], ...] = ()  # (name, default) read via ctx.option

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "severity": self.severity, "title": self.title,
            "origin": self.origin, "enabled": self.enabled, "why": self.why, "fix": self.fix,
            "example": self.example or None, "kinds": list(self.kinds), "scope": self.scope,
            "doc_url": self.doc_url or None, "source_file": self.source_file or None,
            "options": [{"name": n, "default": d} for n, d in self.options],
        }


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(sub, "policies")
    p.add_argument("action", nargs="?", choices=("list", "show"), default="list",
                   help="list every rule (default), or show one: what it checks, why, the fix")
    p.add_argument("rule_id", nargs="?", metavar="ID", help="the rule to show")
    p.add_argument("-p", "--policy", action="append", default=[], metavar="DIR|FILE",
                   help="also list the Python policies here")
    add_output_flags(p, ("text", "json"), "the list", to_file=False)
    add_config_flag(p)
    p.set_defaults(func=cmd_policies)




def option_names(path: Path) -> tuple[tuple[str, str], ...]:
    """`ctx.option("name", default)` calls in a policy file: the options it reads."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return ()
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "option" and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)):
            default = ast.unparse(node.args[1]) if len(node.args) > 1 else ""
            found.setdefault(node.args[0].value, default)
    return tuple(sorted(found.items()))


def _entry(loaded: LoadedRule, enabled: bool, absolute: Path | None) -> Entry:
    rule = loaded.rule
    return Entry(
        id=rule.id, severity=rule.severity.label, title=rule.title, origin=loaded.origin,
        enabled=enabled, why=rule.why, fix=rule.fix, example=rule.example, kinds=rule.kinds,
        scope=rule.scope, doc_url=rule.doc_url, source_file=rule.source_file,
        options=option_names(absolute) if absolute is not None else (),
    )


def _core(doc: RuleDoc, enabled: bool) -> Entry:
    return Entry(id=doc.id, severity=doc.severity.label, title=doc.title, origin="core",
                 enabled=enabled, why=doc.why, fix=doc.fix, doc_url=doc.doc_url)


def collect(config: Config, extra_paths: Sequence[str], with_options: bool) -> list[Entry]:
    builtin = config.policy.builtin
    disabled = set(builtin.disable)
    library_on = builtin.enabled
    entries = [_core(doc, doc.id not in disabled) for doc in CORE_RULES.values()]
    for rule_id, loaded in builtin_rules().items():
        entries.append(_entry(loaded, library_on and rule_id not in disabled,
                              Path(loaded.filename) if with_options else None))
    from gitops_guard.commands.policy_flags import config_paths

    paths = (*config_paths(config, config.policy.paths), *extra_paths)
    if paths:
        for loaded in load_python_policies(paths, config.root).values():
            entries.append(_entry(loaded, True,
                                  Path(loaded.filename) if with_options else None))
    return sorted(entries, key=lambda e: e.id)


def format_table(entries: Sequence[Entry]) -> str:
    rows = [("ID", "SEVERITY", "SOURCE", "TITLE")]
    rows.extend((e.id, e.severity, e.origin + ("" if e.enabled else " (off)"), e.title)
                for e in entries)
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = ["  ".join([*(r[i].ljust(widths[i]) for i in range(3)), r[3]]).rstrip()
             for r in rows]
    return "\n".join(lines) + f"\n\n{len(entries)} rules\n"


def _indent(text: str) -> list[str]:
    return ["  " + line if line else "" for line in text.strip("\n").splitlines()]


def format_entry(e: Entry) -> str:
    out = [f"{e.id}  {e.title}", "",
           f"severity: {e.severity}",
           f"source:   {e.source_file or 'gitops-guard core'} ({e.origin}"
           f"{'' if e.enabled else ', disabled in config'})"]
    if e.kinds:
        out.append(f"kinds:    {', '.join(e.kinds)}")
    if e.scope == "all":
        out.append("scope:    one deployable unit at a time (cross-resource)")
    if e.doc_url:
        out.append(f"docs:     {e.doc_url}")
    from gitops_guard.evaluate.foreign_suppress import equivalents

    others = equivalents(e.id)
    if others:
        out.append(f"also:     suppressed by the annotations of {', '.join(others)}")
    for heading, body in (("Why", e.why), ("Fix", e.fix), ("Example", e.example)):
        if body.strip():
            out.extend(["", heading, *_indent(body)])
    if e.options:
        out.extend(["", "Options (.gitops-guard.yaml builtin.options)"])
        out.extend(f"  {name}" + (f" (default {default})" if default else "")
                   for name, default in e.options)
    return "\n".join(out) + "\n"


def cmd_policies(args: argparse.Namespace) -> int:
    config = resolve_config(args.config)
    if args.action == "list":
        if args.rule_id:
            raise UsageError("`policies list` takes no ID (did you mean `policies show ID`?)")
        entries = collect(config, args.policy, with_options=args.output == "json")
        if args.output == "json":
            text = json.dumps([e.as_dict() for e in entries], indent=2) + "\n"
        else:
            text = format_table(entries)
        sys.stdout.write(text)
        return 0
    if not args.rule_id:
        raise UsageError("`policies show` needs a rule ID, e.g. `policies show GG301`")
    wanted = args.rule_id.strip().upper() if args.rule_id.upper().startswith("GG") else (
        args.rule_id.strip())
    entries = collect(config, args.policy, with_options=True)
    match = next((e for e in entries if e.id == wanted), None)
    if match is None:
        raise UsageError(f"no rule {args.rule_id!r} (see `gitops-guard policies list`)")
    sys.stdout.write(json.dumps(match.as_dict(), indent=2) + "\n" if args.output == "json"
                     else format_entry(match))
    return 0
