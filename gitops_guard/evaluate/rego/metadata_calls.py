"""`rego.metadata.rule()` and `rego.metadata.chain()` for the embedded engine, which has
neither: each call becomes the JSON value OPA gives, written in its place (one line, so
line numbers hold). OPA too computes them when it compiles (its compiler replaces each
call by a term), so a literal keeps the meaning.

- rule(): the rule-scope METADATA of the rule definition holding the call, as OPA writes
  annotations (`scope` always; `authors` as `{name, email}`; `related_resources` as
  `{ref, description}`); `{}` when it has none.
- chain(): from that rule outwards: `{"path": [...pkg, rule], "annotations": ...}` (no
  `annotations` when the rule has none), the document-scope METADATA of the rule's name
  (the default scope of an `entrypoint: true` block), the package's package-scope
  METADATA, then `subpackages` METADATA of the package and each ancestor (from every
  module of the run), nearest first. An `else` branch is a rule without annotations.

    index = MetadataIndex.build([(path, text), ...])
    text = index.rewrite(path, text)
"""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

_CALL = re.compile(r"(?<![\w.])rego\.metadata\.(?P<kind>rule|chain)\s*\(\s*\)")
_PACKAGE = re.compile(r"^package\s+(?P<name>\S+)")
_HEAD = re.compile(r"^(?:default\s+)?(?P<name>[A-Za-z_]\w*)")
_NOT_RULES = frozenset({"package", "import", "else", "not", "some", "every", "with", "if",
                        "contains", "default", "true", "false", "null"})
_AUTHOR = re.compile(r"^(?P<name>.*?)\s*<(?P<email>[^<>]+)>$")


def _author(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        return {k: str(v) for k, v in value.items() if k in ("name", "email") and v}
    match = _AUTHOR.match(str(value).strip())
    if match is None:
        return {"name": str(value).strip()}
    return {k: v for k, v in (("name", match.group("name")),
                              ("email", match.group("email"))) if v}


def _resource(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        return {k: str(v) for k, v in value.items() if k in ("ref", "description") and v}
    return {"ref": str(value)}


def as_opa_writes(raw: dict[str, Any], scope: str) -> dict[str, Any]:
    """One METADATA block as OPA's annotations JSON."""
    out: dict[str, Any] = {"scope": scope}
    for key in ("title", "description"):
        if raw.get(key):
            out[key] = str(raw[key])
    if isinstance(raw.get("organizations"), list):
        out["organizations"] = [str(o) for o in raw["organizations"]]
    if isinstance(raw.get("related_resources"), list):
        out["related_resources"] = [_resource(r) for r in raw["related_resources"]]
    if isinstance(raw.get("authors"), list):
        out["authors"] = [_author(a) for a in raw["authors"]]
    if isinstance(raw.get("custom"), dict) and raw["custom"]:
        out["custom"] = raw["custom"]
    if raw.get("entrypoint") is True:
        out["entrypoint"] = True
    if isinstance(raw.get("schemas"), list):
        out["schemas"] = [_schema(k, v) for item in raw["schemas"] if isinstance(item, dict)
                          for k, v in item.items()]
    return out


def _schema(path: Any, value: Any) -> dict[str, Any]:
    """`- input.x: schema.k8s` is a reference; any other value an inline definition."""
    if isinstance(value, str) and value.split(".")[0] == "schema":
        return {"path": str(path).split("."), "schema": value.split(".")}
    return {"path": str(path).split("."), "definition": value}


@dataclass
class _Module:
    package: list[str] = field(default_factory=list)
    # (rule name, line of its head, its rule-scope annotation or None)
    rules: list[tuple[str, int, dict[str, Any] | None]] = field(default_factory=list)


def _blocks(lines: list[str], start: int) -> tuple[dict[str, Any] | None, int]:
    end = start
    while end < len(lines) and lines[end].lstrip().startswith("#"):
        end += 1
    body = "\n".join(_uncomment(line) for line in lines[start:end])
    try:
        raw = yaml.safe_load(body) if body.strip() else {}
    except yaml.YAMLError:  # source.py reports it with file:line
        raw = None
    return (raw if isinstance(raw, dict) else None), end


def _uncomment(text: str) -> str:
    text = text.lstrip()[1:]
    return text[1:] if text.startswith(" ") else text


@dataclass
class MetadataIndex:
    modules: dict[str, _Module] = field(default_factory=dict)
    package_scope: dict[tuple[str, ...], list[dict[str, Any]]] = field(default_factory=dict)
    subpackages: dict[tuple[str, ...], list[dict[str, Any]]] = field(default_factory=dict)
    document: dict[tuple[str, ...], list[dict[str, Any]]] = field(default_factory=dict)

    @classmethod
    def build(cls, sources: Sequence[tuple[str, str]]) -> MetadataIndex:
        index = cls()
        for path, text in sources:
            if "rego.metadata." in text:
                index._scan(path, text)
        if index.modules:  # chain() also reads the modules that do not call it
            for path, text in sources:
                if path not in index.modules and "METADATA" in text:
                    index._scan(path, text)
        return index

    def _scan(self, path: str, text: str) -> None:
        module = _Module()
        self.modules[path] = module
        lines = text.splitlines()
        pending: list[dict[str, Any]] = []
        i = 0
        while i < len(lines):
            stripped = lines[i].strip()
            if stripped == "# METADATA":
                raw, i = _blocks(lines, i + 1)
                if raw is not None:
                    pending.append(raw)
                continue
            line = lines[i]
            i += 1
            if not stripped or stripped.startswith("#") or line[:1].isspace() or \
                    line.startswith("}"):
                continue
            package = _PACKAGE.match(line)
            if package and not module.package:
                name = package.group("name").removeprefix("data.")
                module.package = re.sub(r'\["([^"]+)"\]', r".\1", name).split(".")
                for raw in pending:
                    scope = str(raw.get("scope") or "package")
                    where = self.subpackages if scope == "subpackages" else self.package_scope
                    where.setdefault(tuple(module.package), []).append(
                        as_opa_writes(raw, scope))
                pending = []
                continue
            head = _HEAD.match(line)
            if head is None or head.group("name") in _NOT_RULES:
                pending = []
                continue
            rule_scope = None
            for raw in pending:  # an entrypoint's default scope is the document
                scope = str(raw.get("scope") or (
                    "document" if raw.get("entrypoint") is True else "rule"))
                if scope == "document":
                    key = (*module.package, head.group("name"))
                    self.document.setdefault(key, []).append(as_opa_writes(raw, scope))
                elif scope == "rule":
                    rule_scope = as_opa_writes(raw, scope)
            module.rules.append((head.group("name"), i, rule_scope))
            pending = []

    def _chain(self, package: list[str], rule: str,
               own: dict[str, Any] | None) -> list[dict[str, Any]]:
        path = [*package, rule]
        chain: list[dict[str, Any]] = [{"path": path, **({"annotations": own} if own else {})}]
        chain += [{"path": path, "annotations": a} for a in self.document.get(tuple(path), [])]
        chain += [{"path": package, "annotations": a}
                  for a in self.package_scope.get(tuple(package), [])]
        for depth in range(len(package), 0, -1):
            prefix = package[:depth]
            chain += [{"path": prefix, "annotations": a}
                      for a in self.subpackages.get(tuple(prefix), [])]
        return chain

    def rewrite(self, path: str, text: str) -> str:
        module = self.modules.get(path)
        if module is None:
            return text
        from gitops_guard.evaluate.rego.rewrite import _TOKENS

        # strings and comments blanked (newlines kept), so offsets stay those of `text`
        masked = "".join(part if i % 2 == 0 else re.sub(r"[^\n]", " ", part)
                         for i, part in enumerate(_TOKENS.split(text)))
        starts = [0] + [m.end() for m in re.finditer("\n", masked)]
        out: list[str] = []
        last = 0
        for call in _CALL.finditer(masked):
            number = masked.count("\n", 0, call.start()) + 1
            active = [r for r in module.rules if r[1] <= number]
            if not active:
                continue
            name, head_line, own = active[-1]
            if _in_else(masked[starts[head_line - 1]:call.start()]):
                own = None  # OPA: an `else` is a rule of its own, without the annotation
            value = (own or {}) if call.group("kind") == "rule" else self._chain(
                module.package, name, own)
            out += [text[last:call.start()], json.dumps(value)]
            last = call.end()
        return "".join([*out, text[last:]])


def _in_else(code: str) -> bool:
    """Whether `code` (a rule from its head) has passed an `else` of the rule itself."""
    depth = 0
    for match in re.finditer(r"[{}()\[\]]|\belse\b", code):
        token = match.group()
        if token == "else":
            if depth == 0:
                return True
        elif token in "{([":
            depth += 1
        else:
            depth -= 1
    return False
