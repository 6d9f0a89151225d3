"""The subset of Go's text/template (with sprig functions) that ApplicationSets use.

The ApplicationSet controller renders every string of the template (map keys too)
with `text/template` plus sprig when `goTemplate: true`. Supported here: actions with
pipelines (`{{ .path.basename | lower }}`), field chains on `.` and `$`, parenthesised
sub-pipelines, string/number/bool literals, `{{- -}}` trimming, comments,
`if / else if / else / end` and `range` over a list or map (dot = the element);
the functions in FUNCTIONS (sprig semantics). `missingkey=error` is honoured; by
default a missing key prints `<no value>`, as Go does. Anything else (variables,
`with`, `define`, other functions) raises TemplateError naming it, so the caller
reports the ApplicationSet as not rendered instead of guessing.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from gitops_guard.errors import GuardError
from gitops_guard.render.argo.functions import FUNCTIONS, NO_VALUE, go_string, truthy


class TemplateError(GuardError):
    """A Go template this renderer cannot (or Go would not) execute."""


_ACTION = re.compile(r"\{\{(-\s)?(.*?)(\s-)?\}\}", re.S)
_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<str>"(?:[^"\\]|\\.)*")
  | (?P<raw>`[^`]*`)
  | (?P<num>-?\d+(?:\.\d+)?)
  | (?P<field>(?:\$[\w]*|\.)?(?:\.[\w-]+)+|\$\w*|\.)
  | (?P<ident>[A-Za-z_]\w*)
  | (?P<punct>[()|,]|:?=)
""", re.X)


@dataclass(frozen=True)
class Tok:
    kind: str
    text: str


def _tokens(source: str) -> list[Tok]:
    out: list[Tok] = []
    pos = 0
    while pos < len(source):
        m = _TOKEN.match(source, pos)
        if m is None:
            raise TemplateError(f"cannot parse {source[pos:pos + 20]!r} in a Go template")
        pos = m.end()
        kind = m.lastgroup or ""
        if kind != "ws":
            out.append(Tok(kind, m.group()))
    return out


# -- nodes -------------------------------------------------------------------------------
Pipeline = list[list[Any]]  # commands; each a list of operands (Tok or nested Pipeline)


@dataclass
class Branch:
    condition: Pipeline | None  # None: the else branch
    body: list[Any]


@dataclass
class IfNode:
    branches: list[Branch]


@dataclass
class RangeNode:
    over: Pipeline
    body: list[Any]
    otherwise: list[Any]


def _pipeline(tokens: list[Tok], pos: int = 0, closing: str = "") -> tuple[Pipeline, int]:
    commands: Pipeline = [[]]
    while pos < len(tokens):
        tok = tokens[pos]
        if tok.text == closing and tok.kind == "punct":
            return commands, pos + 1
        if tok.kind == "punct" and tok.text == "|":
            commands.append([])
        elif tok.kind == "punct" and tok.text == "(":
            inner, pos = _pipeline(tokens, pos + 1, ")")
            commands[-1].append(inner)
            continue
        elif tok.kind == "punct":
            raise TemplateError(f"Go template variables ({tok.text}) are not supported")
        else:
            commands[-1].append(tok)
        pos += 1
    if closing:
        raise TemplateError("unclosed ( in a Go template")
    if any(not c for c in commands):
        raise TemplateError("empty command in a Go template pipeline")
    return commands, pos


def parse(text: str) -> list[Any]:
    """The template as nodes: str, Pipeline, IfNode, RangeNode."""
    root: list[Any] = []
    stack: list[tuple[str, Any, list[Any]]] = []  # (keyword, node, list being filled)
    current = root
    pos = 0
    trim_next = False
    for m in _ACTION.finditer(text):
        chunk = text[pos:m.start()]
        if trim_next:
            chunk = chunk.lstrip()
        if m.group(1):
            chunk = chunk.rstrip()
        if chunk:
            current.append(chunk)
        pos, trim_next = m.end(), bool(m.group(3))
        body = m.group(2).strip()
        if body.startswith("/*"):
            continue
        word, _, rest = body.partition(" ")
        if word == "if":
            node = IfNode([Branch(_pipeline(_tokens(rest))[0], [])])
            current.append(node)
            stack.append(("if", node, current))
            current = node.branches[0].body
        elif word == "range":
            rnode = RangeNode(_pipeline(_tokens(rest))[0], [], [])
            current.append(rnode)
            stack.append(("range", rnode, current))
            current = rnode.body
        elif word == "else":
            if not stack:
                raise TemplateError("{{else}} without {{if}} in a Go template")
            keyword, node, _ = stack[-1]
            cond_text = rest.strip()
            if keyword == "range":
                current = node.otherwise
            elif cond_text.startswith("if "):
                node.branches.append(Branch(_pipeline(_tokens(cond_text[3:]))[0], []))
                current = node.branches[-1].body
            else:
                node.branches.append(Branch(None, []))
                current = node.branches[-1].body
        elif word == "end":
            if not stack:
                raise TemplateError("{{end}} without {{if}} or {{range}} in a Go template")
            _, _, current = stack.pop()
        elif word in ("with", "define", "template", "block", "break", "continue"):
            raise TemplateError(f"Go template {{{{{word}}}}} is not supported")
        else:
            current.append(_pipeline(_tokens(body))[0])
    tail = text[pos:]
    if trim_next:
        tail = tail.lstrip()
    if tail:
        current.append(tail)
    if stack:
        raise TemplateError(f"{{{{{stack[-1][0]}}}}} without {{{{end}}}} in a Go template")
    return root


# -- execution ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Scope:
    dot: Any
    root: Any
    missing_error: bool


def _field(value: Any, names: Sequence[str], scope: Scope) -> Any:
    for name in names:
        if isinstance(value, dict):
            if name in value:
                value = value[name]
            elif scope.missing_error:
                raise TemplateError(f"map has no entry for key {name!r}")
            else:
                value = NO_VALUE
        elif value is NO_VALUE or value is None:
            raise TemplateError(f"nil pointer evaluating .{name}")
        else:
            raise TemplateError(f"can't evaluate field {name} in {type(value).__name__}")
    return value


def _operand(op: Any, scope: Scope) -> Any:
    if isinstance(op, list):
        return _run(op, scope)
    tok: Tok = op
    if tok.kind == "str":
        return _unquote(tok.text)
    if tok.kind == "raw":
        return tok.text[1:-1]
    if tok.kind == "num":
        return float(tok.text) if "." in tok.text else int(tok.text)
    if tok.kind == "field":
        text = tok.text
        if text.startswith("$"):
            head, _, rest = text.partition(".")
            if head != "$":
                raise TemplateError(f"Go template variables ({head}) are not supported")
            return _field(scope.root, [p for p in rest.split(".") if p], scope)
        return _field(scope.dot, [p for p in text.split(".") if p], scope)
    if tok.text in ("true", "false"):
        return tok.text == "true"
    if tok.text == "nil":
        return None
    return _call(tok.text, [], scope)


def _call(name: str, args: list[Any], scope: Scope) -> Any:
    fn: Callable[..., Any] | None = FUNCTIONS.get(name)
    if fn is None:
        raise TemplateError(f"Go template function {name!r} is not supported")
    try:
        return fn(*args)
    except TemplateError:
        raise
    except (TypeError, ValueError, KeyError, IndexError) as exc:
        raise TemplateError(f"error calling {name}: {exc}") from None


def _run(pipeline: Pipeline, scope: Scope) -> Any:
    result: Any = NO_VALUE
    for i, command in enumerate(pipeline):
        first = command[0]
        is_call = isinstance(first, Tok) and first.kind == "ident" and first.text not in (
            "true", "false", "nil")
        piped = [result] if i > 0 else []
        if is_call:
            args = [_operand(op, scope) for op in command[1:]]
            result = _call(first.text, [*args, *piped], scope)
        elif len(command) > 1 or piped:
            raise TemplateError("can't give an argument to a non-function in a Go template")
        else:
            result = _operand(first, scope)
    return result


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "\\": "\\", '"': '"'}.get(
        m.group(1), m.group(0)), text[1:-1])


def _execute(nodes: list[Any], scope: Scope, out: list[str]) -> None:
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, IfNode):
            for branch in node.branches:
                if branch.condition is None or truthy(_run(branch.condition, scope)):
                    _execute(branch.body, scope, out)
                    break
        elif isinstance(node, RangeNode):
            over = _run(node.over, scope)
            # Go ranges over a map in sorted key order
            items = [over[k] for k in sorted(over)] if isinstance(over, dict) else (
                over if isinstance(over, list) else [])
            for item in items:
                _execute(node.body, Scope(item, scope.root, scope.missing_error), out)
            if not items:
                _execute(node.otherwise, scope, out)
        else:
            out.append(go_string(_run(node, scope)))


def render(text: str, data: dict[str, Any], options: Sequence[str] = ()) -> str:
    """`text` executed with `data` as dot; options as ApplicationSet `goTemplateOptions`."""
    missing_error = "missingkey=error" in options
    out: list[str] = []
    _execute(parse(text), Scope(data, data, missing_error), out)
    return "".join(out)
