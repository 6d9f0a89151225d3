"""Rewrites that need regorus's syntax tree, for valid Rego that regorus then mis-runs.

- A bare `some i, j` that is not the first statement of a query (a rule body, a
  comprehension's body, an `every` body) moves to the front of that query (its old place
  holds `true`): regorus re-declares it on each iteration of the statements before it
  and fails with "duplicated definition of local variable i", where OPA runs it
  (trivy-checks' docker library: `[idx | parts := cmds[idx]; some i, j; parts[i] == ...]`,
  `run := docker.run[_]; ...; some package_manager`). The meaning is kept: OPA
  rejects a body that uses a variable before its `some` ("var referenced above"), so
  the statements it jumps over cannot mention those names.

- A rule with `else` whose value is a reference or a call bound by its body,
  `allowed := matrix[v] if { ...; v := max(c) } else := default`, gets that value
  computed at the end of its first body (`allowed := __gg_value if { ...; v := max(c);
  __gg_value := matrix[v] } else := default`): regorus yields both the value and the
  `else` ("rules must not produce multiple outputs"). OPA's compiler makes the same
  move itself, so an undefined value still falls through to `else`.
- `with NAME as v`, NAME a rule of the module's package, targets `data.<package>.NAME`
  (what OPA's compiler resolves it to); regorus says "undefined rule".
- A `with ... as VALUE` whose value is not a constant is computed by a statement of its
  own just before (`__gg_w0 := VALUE; r := deny with input as __gg_w0`): regorus
  evaluated a rule referenced in the value (`{"v": check.allowed}`) under the new
  input and lost it. OPA evaluates the value in the enclosing context, as the new
  statement does. The statement is written on one line (comments dropped); the value's
  place keeps its line breaks.
- In `not f(input.x)` (any call or comparison but `==`, and `x in xs`), arguments that
  hold a reference or a call are computed before the `not`, as OPA's compiler does
  (rewriteDynamicTerms): an undefined argument makes the statement undefined, where
  regorus made `not` true (`not regex.match("A", out[0][1])` with `out == []`).

- In a comprehension, `name := ...` after `name` was used in it (the outer `name`)
  declares a new variable, as OPA reads it: from there on, and in the comprehension's
  head, it is renamed `__gg_name` (regorus: "var name used before definition below";
  conftest's examples/combine).

Positions come from the tree (byte offsets of the text handed to regorus), so strings
and comments are never touched; every line keeps its number. Text the tree cannot be
built for is returned unchanged: regorus reports the error when it loads it.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

# a bare `some a, b` (no `in`), or an `else`: worth a parse
_VALUE_KINDS = ("RefBrack", "RefDot", "Call")
_CONSTANTS = ("String", "RawString", "Number", "Bool", "Null")
_TOKENS = re.compile(r'("(?:[^"\\\n]|\\.)*"|`[^`]*`|#[^\n]*)')
_VALUE_VAR = b"__gg_value"
_BARE_SOME = re.compile(r"\bsome\s+[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*\s*(?:[;\]}\n#]|$)")

Edit = tuple[int, int, bytes]  # replace data[start:end] with the bytes


def rewrite_tree(text: str, rego_version: str, path: str, package: str = "",
                 rules: frozenset[str] = frozenset()) -> str:
    """`rules`: the names of the (non-function) rules of the module's `package`."""
    if not (_BARE_SOME.search(text) or "else" in text or "with" in text or "not" in text):
        return text
    tree = _syntax_tree(text, rego_version, path)
    if tree is None:
        return text
    data = text.encode("utf-8")
    edits = [edit for query in _queries(tree) for edit in _hoist_some(data, query)]
    edits += [edit for rule in tree.get("rules", []) for edit in _value_into_body(data, rule)]
    edits += [edit for node in _comprehensions(tree) for edit in _shadowing(data, node)]
    counter = iter(range(1 << 30))
    for query in _queries(tree):
        for stmt in query["stmts"]:
            for mod in stmt.get("with_mods") or []:
                edits += _with_target(mod, package, rules)
            edits += _with_values(data, stmt, counter)
            edits += _negated_arguments(data, stmt, counter)
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        data = data[:start] + new + data[end:]
    return data.decode("utf-8")


def _syntax_tree(text: str, rego_version: str, path: str) -> Any:
    import regorus

    engine = regorus.Engine()
    engine.set_rego_v0(rego_version == "v0")
    engine.set_policy_length_config(max_col=1 << 20, max_file_bytes=64 << 20,
                                    max_lines=1 << 22)
    try:
        engine.add_policy(path or "policy.rego", text)
        return json.loads(engine.get_ast_as_json())[0]["ast"]
    except (RuntimeError, ValueError, KeyError, IndexError):
        return None


def _queries(node: Any) -> Iterator[Any]:
    """Every query (a dict with `stmts`) in the tree, nested ones too."""
    if isinstance(node, dict):
        if isinstance(node.get("stmts"), list):
            yield node
        for value in node.values():
            yield from _queries(value)
    elif isinstance(node, list):
        for item in node:
            yield from _queries(item)


def _hoist_some(data: bytes, query: Any) -> list[Edit]:
    stmts = query.get("stmts") if isinstance(query, dict) else None
    if not stmts:
        return []
    names: list[bytes] = []
    edits: list[Edit] = []
    for stmt in stmts[1:]:
        some = stmt.get("literal", {}).get("SomeVars")
        if not isinstance(some, dict):
            continue
        start, end = int(stmt["span"]["start"]), int(stmt["span"]["end"])
        names += [data[int(v["start"]):int(v["end"])] for v in some.get("vars", [])]
        # `true` in its place; newlines inside the statement stay (line numbers)
        edits.append((start, end, b"true" + b"\n" * data[start:end].count(b"\n")))
    if names:
        first = int(stmts[0]["span"]["start"])
        edits.append((first, first, b"some " + b", ".join(names) + b"; "))
    return edits


def _value_into_body(data: bytes, rule: Any) -> list[Edit]:
    spec = rule.get("Spec") if isinstance(rule, dict) else None
    if not isinstance(spec, dict) or len(spec.get("bodies", [])) < 2:
        return []
    head = next(iter(spec["head"].values()), None)
    assign = head.get("assign") if isinstance(head, dict) else None
    value = assign.get("value") if isinstance(assign, dict) else None
    kind = next(iter(value), "") if isinstance(value, dict) else ""
    first = spec["bodies"][0]
    if (not isinstance(value, dict) or kind not in _VALUE_KINDS or first.get("is_else")
            or not spec["bodies"][1].get("is_else")):
        return []
    start, end = _span(value)
    body_start, body_end = int(first["span"]["start"]), int(first["span"]["end"])
    text = data[start:end]
    stmts = first["query"].get("stmts") or []
    if data[body_start:body_start + 2] == b"if":  # v1: the span starts at `if`
        body_start += 2
        while data[body_start:body_start + 1] in (b" ", b"\t", b"\n", b"\r"):
            body_start += 1
    if (b"\n" in text or not stmts or data[body_start:body_start + 1] != b"{"
            or data[body_end - 1:body_end] != b"}"):
        return []
    last = int(stmts[-1]["span"]["end"])
    glue = b" " if b"\n" in data[last:body_end - 1] else b"; "
    return [(start, end, _VALUE_VAR),
            (body_end - 1, body_end - 1, glue + _VALUE_VAR + b" := " + text + b" ")]


def _with_target(mod: Any, package: str, rules: frozenset[str]) -> list[Edit]:
    base: Any = mod.get("refr") or {}
    while isinstance(base, dict) and ("RefDot" in base or "RefBrack" in base):
        base = next(iter(base.values()))["refr"]
    var = base.get("Var") if isinstance(base, dict) else None
    if not package or not isinstance(var, dict) or var.get("value") not in rules:
        return []
    from gitops_guard.evaluate.rego.engine import data_ref

    start, end = int(var["span"]["start"]), int(var["span"]["end"])
    return [(start, end, data_ref(package, str(var["value"])).encode())]


def _with_values(data: bytes, stmt: Any, counter: Iterator[int]) -> list[Edit]:
    values = [mod.get("as") for mod in stmt.get("with_mods") or []]
    return _hoist_terms(data, stmt, [v for v in values if _needs_hoist(v)], counter)


def _negated_arguments(data: bytes, stmt: Any, counter: Iterator[int]) -> list[Edit]:
    negated = (stmt.get("literal") or {}).get("NotExpr")
    if not isinstance(negated, dict) or stmt.get("with_mods"):
        return []
    kind, node = next(iter(negated["expr"].items()))
    terms: list[Any] = []
    if kind == "Call":
        terms = list(node.get("params") or [])
    elif kind == "BoolExpr" and node.get("op") != "Eq":
        terms = [node["lhs"], node["rhs"]]
    elif kind == "BoolExpr":  # `==`: only calls are taken out
        terms = [t for t in (node["lhs"], node["rhs"]) if next(iter(t), "") == "Call"]
    elif kind == "Membership" and node.get("key") is None:
        terms = [node["value"], node["collection"]]
    return _hoist_terms(data, stmt, [t for t in terms if _refers(t)], counter)


def _refers(term: Any) -> bool:
    """Whether a term holds a reference or a call (outside comprehensions)."""
    if isinstance(term, dict):
        kind = next(iter(term), "")
        if kind in _VALUE_KINDS:
            return True
        if kind.endswith("Compr"):
            return False
        return any(_refers(v) for v in term.values())
    if isinstance(term, list):
        return any(_refers(v) for v in term)
    return False


def _hoist_terms(data: bytes, stmt: Any, terms: list[Any],
                 counter: Iterator[int]) -> list[Edit]:
    """`__gg_wN := TERM; ` before the statement, each term's place holding its name."""
    edits: list[Edit] = []
    hoisted: list[bytes] = []
    for term in terms:
        try:
            start, end = _span(term, data)
        except ValueError:
            return []
        flat = _one_line(data[start:end].decode("utf-8"))
        if flat is None:
            continue
        name = b"__gg_w%d" % next(counter)
        hoisted.append(name + b" := " + flat.encode("utf-8") + b"; ")
        edits.append((start, end, name + b"\n" * data[start:end].count(b"\n")))
    at = int(stmt["span"]["start"])
    if not hoisted or not _may_precede(data, at):
        return []
    return [*edits, (at, at, b"".join(hoisted))]


def _may_precede(data: bytes, at: int) -> bool:
    """Whether a statement may be put before the one at `at` (not `p if expr`)."""
    i = at - 1
    while i >= 0 and data[i:i + 1] in b" \t\r":
        i -= 1
    return i < 0 or data[i:i + 1] in b"{|;\n"


def _needs_hoist(value: Any) -> bool:
    """Whether a `with` value refers to anything (a variable, a rule, a call)."""
    if isinstance(value, dict):
        if "Var" in value:
            return True
        kind = next(iter(value), "")
        if kind in _VALUE_KINDS:
            return True
        return any(_needs_hoist(v) for k, v in value.items() if k not in _CONSTANTS)
    if isinstance(value, list):
        return any(_needs_hoist(v) for v in value)
    return False


def _one_line(text: str) -> str | None:
    """The expression on one line, comments dropped; None for a multi-line raw string."""
    parts = _TOKENS.split(text)
    out: list[str] = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(part.replace("\n", " "))
        elif part.startswith("`") and "\n" in part:
            return None
        elif not part.startswith("#"):
            out.append(part)
    return "".join(out)


def _span(node: Any, data: bytes = b"") -> tuple[int, int]:
    """A term's byte range. regorus's `start` of an object with several fields is off
    (it points into the last key); its line and column are right (a tab counts 4)."""
    kind, inner = next(iter(node.items()))
    start, end = int(inner["span"]["start"]), int(inner["span"]["end"])
    if kind == "Object" and data:
        start = _offset(data, int(inner["span"]["line"]), int(inner["span"]["col"]))
        if data[start:start + 1] != b"{":
            raise ValueError("object span")
    return start, end


def _offset(data: bytes, line: int, col: int) -> int:
    """The byte offset of a 1-based (line, column), tabs counting 4 columns."""
    begin = 0
    for _ in range(line - 1):
        begin = data.index(b"\n", begin) + 1
    text = data[begin:data.find(b"\n", begin) if b"\n" in data[begin:] else len(data)]
    column, chars = 1, text.decode("utf-8")
    for i, ch in enumerate(chars):
        if column >= col:
            return begin + len(chars[:i].encode("utf-8"))
        column += 4 if ch == "\t" else 1
    return begin + len(text)


def _comprehensions(node: Any) -> Iterator[Any]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("ArrayCompr", "SetCompr", "ObjectCompr") and isinstance(value, dict):
                yield value
            yield from _comprehensions(value)
    elif isinstance(node, list):
        for item in node:
            yield from _comprehensions(item)


def _vars(node: Any, name: str) -> Iterator[tuple[int, int]]:
    """The spans of every variable `name` in a subtree."""
    if isinstance(node, dict):
        var = node.get("Var")
        if isinstance(var, dict) and var.get("value") == name:
            yield int(var["span"]["start"]), int(var["span"]["end"])
        for value in node.values():
            yield from _vars(value, name)
    elif isinstance(node, list):
        for item in node:
            yield from _vars(item, name)


def _shadowing(data: bytes, compr: Any) -> list[Edit]:
    stmts = (compr.get("query") or {}).get("stmts") or []
    heads = [compr.get(k) for k in ("term", "key", "value") if compr.get(k) is not None]
    for k, stmt in enumerate(stmts):
        assign = ((stmt.get("literal") or {}).get("Expr") or {}).get("expr", {}).get(
            "AssignExpr")
        lhs = assign.get("lhs") if isinstance(assign, dict) else None
        if not (isinstance(lhs, dict) and "Var" in lhs and assign.get("op") == "ColEq"):
            continue
        name = str(lhs["Var"]["value"])
        if name == "_" or not any(True for _ in _vars(stmts[:k], name)):
            continue
        new = b"__gg_" + name.encode()
        spans = {*_vars(lhs, name), *_vars(stmts[k + 1:], name), *_vars(heads, name)}
        return [(start, end, new) for start, end in spans if data[start:end] == name.encode()]
    return []
