"""Policy sources: find .rego files, read their package, rule heads and METADATA.

A light scanner over the text (rule heads start at column 0, as `opa fmt` writes
them) so that every engine, embedded or remote, sees the same rule inventory.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from gitops_guard.errors import UsageError
from gitops_guard.evaluate.rego.errors import RegoSyntaxError
from gitops_guard.evaluate.rego.metadata import Annotation, parse_annotation

_HEAD = re.compile(r"^(?:default\s+)?(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<rest>.*)$")
_PACKAGE = re.compile(r"^package\s+(?P<name>\S+)")
_NOT_RULES = frozenset({"package", "import", "else", "not", "some", "every", "with", "if",
                        "contains", "default", "true", "false", "null"})
SKIP_DIRS = frozenset({".git", "node_modules", ".venv", "__pycache__"})


@dataclass(frozen=True)
class RuleDef:
    name: str
    line: int
    annotation: Annotation | None = None
    is_function: bool = False
    has_key: bool = False  # `name[x]` / `name contains x`: a partial (multi-value) rule


@dataclass(frozen=True)
class Module:
    path: str  # as shown to the user
    package: str  # dotted, without `data.`
    text: str
    rules: tuple[RuleDef, ...] = ()
    package_annotation: Annotation | None = None

    def annotation_for(self, rule: str) -> Annotation | None:
        """The rule's own annotation (first definition that has one), else None."""
        for definition in self.rules:
            if definition.name == rule and definition.annotation is not None:
                return definition.annotation
        return None


def parse_module(path: str, text: str) -> Module:
    lines = text.splitlines()
    package = ""
    package_annotation: Annotation | None = None
    rules: list[RuleDef] = []
    pending: Annotation | None = None
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        if stripped == "# METADATA":
            start = i + 1
            j = start
            while j < len(lines) and lines[j].lstrip().startswith("#"):
                j += 1
            pending = parse_annotation(lines[start:j], path, i + 1)
            i = j
            continue
        line = lines[i]
        i += 1
        if not stripped or stripped.startswith("#"):
            continue
        pkg = _PACKAGE.match(line)
        if pkg and not package:
            package = _normalise_package(pkg.group("name"))
            package_annotation, pending = pending, None
            continue
        if line[:1].isspace() or line.startswith("}"):
            continue
        head = _HEAD.match(line)
        if head is None or head.group("name") in _NOT_RULES:
            pending = None
            continue
        rest = head.group("rest").lstrip()
        rules.append(RuleDef(
            name=head.group("name"), line=i, annotation=pending,
            is_function=rest.startswith("("),
            has_key=rest.startswith("[") or rest.startswith("contains"),
        ))
        pending = None
    if not package:
        raise RegoSyntaxError(path, 1, 1, "no `package` declaration")
    return Module(path, package, text, tuple(rules), package_annotation)


def _normalise_package(name: str) -> str:
    name = name.removeprefix("data.")
    return re.sub(r'\["([^"]+)"\]', r".\1", name)


def find_policy_files(paths: Sequence[str], suffix: str = ".rego") -> list[tuple[Path, str]]:
    """(absolute path, shown path) of every policy file under `paths`, sorted, deduplicated."""
    found: dict[Path, str] = {}
    for given in paths:
        root = Path(given)
        if root.is_file():
            if root.name.endswith(suffix):
                found.setdefault(root.resolve(), given)
            continue
        if not root.is_dir():
            raise UsageError(f"{given}: policy path not found")
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
            for name in sorted(files):
                if name.endswith(suffix):
                    full = Path(folder) / name
                    found.setdefault(full.resolve(), full.as_posix())
    return sorted(((p, shown) for p, shown in found.items()), key=lambda item: item[1])


def load_modules(paths: Sequence[str]) -> list[Module]:
    modules: list[Module] = []
    for absolute, shown in find_policy_files(paths):
        try:
            text = absolute.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{shown}: cannot read policy: {exc}") from None
        modules.append(parse_module(shown, text))
    return modules


def packages(modules: Iterable[Module]) -> list[str]:
    return sorted({m.package for m in modules})
