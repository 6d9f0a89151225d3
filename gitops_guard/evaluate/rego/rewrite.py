"""Source rewrites for valid Rego that regorus rejects, each keeping the meaning and every
line number (errors and findings still point at the user's file:line).

- An `import` after rules (OPA allows it; trivy-checks has them) moves up onto the
  `package` line (`package a import data.b` parses) and leaves a blank line behind.
- `sprintf(` calls go to HELPER_MODULE's `sprintf` (Go's fmt semantics, gofmt.py):
  regorus's own errors where OPA prints `%!d(float64=1.5)` or `%!v(MISSING)`. The
  call's line keeps its number; columns after it shift.
- `object.subset(` calls go to HELPER_MODULE's `object_subset`: regorus's own when the
  subset holds no empty array, else OPA's algorithm in Python (builtins_more.py), where
  regorus panics ("window size must be non-zero").
- `object.get(` calls go to HELPER_MODULE's `object_get`, undefined when the first
  argument is not an object: OPA's type error there leaves the expression undefined
  (conftest, `opa test`), where regorus's error dropped the whole rule (redhat-cop's
  `has_field(null, "podAntiAffinity")`).
- `regex.match(` calls go to `__gitops_guard_regex_match(` (builtins_regex.py): Go's
  RE2, without regorus's 100 KB compiled-size limit, with Go's ASCII character classes.
  Columns after the call shift.
- `parse_config_file(path)` (conftest) reads `path` relative to the calling policy's
  directory, as conftest does: the call gets that directory as a first argument.
- A line in a rule body that starts with `(` is a new expression, as in OPA (regorus
  reads it as a call of the previous line's last term): a `;` separates them.
- `x = s[x]` alone on a line (a member of set `s`; regorus calls `x` unsafe) becomes
  `x = s[_]`: the same for a set, the common case (for an object, OPA's meaning would be
  the keys equal to their values; docs/rego.md lists it).
- A body-less set rule whose member is a reference, `vols contains pod.spec.volumes[_]`
  or v0 `vols[pod.spec.volumes[_]]`, gets the reference in a body (`vols contains __gg_v if
  { __gg_v := pod.spec.volumes[_] }`): regorus raises "cannot be indexed" on a missing
  field in a head, OPA yields nothing.
- A v0 rule with several bodies, `p[x] { a } { b }`, is OPA's shorthand for two rules
  with the same head: the head is repeated before each further body on the same line
  (`p[x] { a } p[x] { b }`).

Only the text handed to regorus changes; source.py's own reading of the module (rule
names, lines, METADATA) is of the original.
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Callable

_IMPORT = re.compile(r"^[ \t]*import\s+\S.*$")
_PACKAGE = re.compile(r"^[ \t]*package\s+\S")
_RULE_START = re.compile(r"^[ \t]*[A-Za-z_]")


HELPER_PATH = "gitops-guard:helpers.rego"
HELPER_MODULE = """package __gitops_guard
import rego.v1
sprintf(f, args) := __gitops_guard_fmt(f, [_arg(a) | some a in args])
_arg(a) := a if is_string(a)
_arg(a) := a if is_number(a)
_arg(a) := ["__gg__", type_name(a), json.marshal(a)] if { not is_string(a); not is_number(a) }
object_get(o, key, fallback) := object.get(o, key, fallback) if is_object(o)
object_subset(sup, sub) := __gitops_guard_subset(sup, sub) if _holds_empty_array(sub)
else := object.subset(sup, sub)
_holds_empty_array(x) if {
    walk(x, [_, v])
    v == []
}
"""
_SPRINTF = re.compile(r"(?<![\w.])sprintf(?=\s*\()")
_SUBSET = re.compile(r"(?<![\w.])object\.subset(?=\s*\()")
_GET = re.compile(r"(?<![\w.])object\.get(?=\s*\()")
_REGEX_MATCH = re.compile(r"(?<![\w.])regex\.match(?=\s*\()")
# builtin calls sent elsewhere: (the call's name, what replaces it)
_REDIRECTS = ((_SPRINTF, "data.__gitops_guard.sprintf"),
              (_SUBSET, "data.__gitops_guard.object_subset"),
              (_GET, "data.__gitops_guard.object_get"),
              (_REGEX_MATCH, "__gitops_guard_regex_match"))


def _redirect_calls(code: str) -> str:
    for call, target in _REDIRECTS:
        code = call.sub(target, code)
    return code


_SELF_INDEX = re.compile(r"(?m)^(\s*(?P<var>[A-Za-z_]\w*)\s*=\s*)([A-Za-z_][\w.]*)"
                         r"\[\s*(?P=var)\s*\](?=\s*(?:#.*)?$)")
_REF = r"[A-Za-z_]\w*(?:\.\w+)*\[[^\[\]\n]*\](?:\.\w+|\[[^\[\]\n]*\])*"
_HEAD_REF = re.compile(r"(?m)^(?P<name>[A-Za-z_]\w*)(?:(?P<v1>\s+contains\s+)(?P<ref1>" + _REF
                       + r")|\[(?P<ref0>" + _REF + r")\])[ \t]*$")


def _ref_in_body(match: re.Match[str]) -> str:
    name = match.group("name")
    if match.group("v1"):
        return f"{name} contains __gg_v if {{ __gg_v := {match.group('ref1')} }}"
    return f"{name}[__gg_v] {{ __gg_v := {match.group('ref0')} }}"


_PARSE_FILE = re.compile(r"(?<![\w.])parse_config_file\s*\(")


def rewrite(text: str, rego_version: str = "v1", path: str = "") -> str:
    """`path` is the module's file (parse_config_file reads beside it)."""
    here = json.dumps(os.path.dirname(os.path.abspath(path)) if path else ".")
    text = _hoist_imports(text)
    text = _outside_strings(text, lambda code: _PARSE_FILE.sub(
        lambda _: f"__gitops_guard_parse_file({here}, ", _redirect_calls(code)))
    text = _separate_paren_lines(text)
    text = _outside_strings(text, lambda code: _SELF_INDEX.sub(r"\g<1>\g<3>[_]", code))
    text = _outside_strings(text, lambda code: _HEAD_REF.sub(_ref_in_body, code))
    if rego_version == "v0":
        text = _split_bodies(text)
    return text


def _hoist_imports(text: str) -> str:
    """Imports that follow a rule go onto the package line, blank lines stay behind."""
    lines = text.split("\n")
    package = next((i for i, line in enumerate(lines) if _PACKAGE.match(line)), None)
    if package is None:
        return text
    seen_rule, moved = False, []
    depth = 0
    for i in range(package + 1, len(lines)):
        line = lines[i]
        if depth == 0 and _IMPORT.match(line):
            if seen_rule:
                moved.append(_strip_comment(line).strip())
                lines[i] = ""
        elif depth == 0 and _RULE_START.match(line):
            seen_rule = True
        depth = max(0, depth + _depth_change(line))
    if not moved:
        return text
    head = _strip_comment(lines[package]).rstrip()
    lines[package] = " ".join([head, *moved])
    return "\n".join(lines)


_TOKENS = re.compile(r'("(?:[^"\\\n]|\\.)*"|`[^`]*`|#[^\n]*)')


def _outside_strings(text: str, change: Callable[[str], str]) -> str:
    """Apply `change` to the code between strings and comments."""
    parts = _TOKENS.split(text)
    return "".join(part if i % 2 else change(part) for i, part in enumerate(parts))


_EXPR_END = re.compile(r"[\w\])\"}`]$")


def _separate_paren_lines(text: str) -> str:
    """`a\n(b) > 1` in a body -> `a\n;(b) > 1` (the `;` takes a space of the indent)."""
    lines = text.split("\n")
    stack: list[str] = []
    last = ""
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        if (stripped.startswith("(") and stack and stack[-1] == "{"
                and _EXPR_END.search(last)):
            indent = line[:len(line) - len(stripped)]
            lines[i] = (indent[:-1] + ";" if indent else ";") + stripped
        code = _strip_comment(line).rstrip()
        for ch in _TOKENS.sub('""', code):
            if ch in "{[(":
                stack.append(ch)
            elif ch in "}])" and stack:
                stack.pop()
        if code.strip():
            last = code.strip()
    return "\n".join(lines)


def _strip_comment(line: str) -> str:
    out, quote = [], ""
    for ch in line:
        if quote:
            out.append(ch)
            if ch == quote:
                quote = ""
            continue
        if ch == "#":
            break
        if ch in "\"`":
            quote = ch
        out.append(ch)
    return "".join(out)


def _depth_change(line: str) -> int:
    """Net brackets opened on a line, strings and comments skipped (escapes honoured)."""
    depth, quote, escaped = 0, "", False
    for ch in line:
        if quote:
            if escaped:
                escaped = False
            elif ch == "\\" and quote == '"':
                escaped = True
            elif ch == quote:
                quote = ""
            continue
        if ch == "#":
            break
        if ch in "\"`":
            quote = ch
        elif ch in "{[(":
            depth += 1
        elif ch in "}])":
            depth -= 1
    return depth


def _split_bodies(text: str) -> str:
    """`head { a } { b }` -> `head { a } head { b }`, on the same lines. A top-level `{`
    after `=`, `:=`, `,`, `(` or `[` opens a value (`f(x) = {"a": x} { ... }`), not a body."""
    out: list[str] = []
    depth, quote, escaped, comment = 0, "", False, False
    line_head = 0  # where the current top-level statement's first line starts in `out`
    head = ""
    body = False  # the open top-level `{` is a rule body
    closed = False  # a top-level body just closed; the next `{` repeats the head
    at_line_start = True
    last = ""  # the last significant character outside strings and comments
    for ch in text:
        if comment:
            out.append(ch)
            if ch == "\n":
                comment, at_line_start = False, True
            continue
        if quote:
            out.append(ch)
            if escaped:
                escaped = False
            elif ch == "\\" and quote == '"':
                escaped = True
            elif ch == quote:
                quote, last = "", '"'
            continue
        if at_line_start and depth == 0 and not ch.isspace() and ch != "#":
            if ch != "{":  # a new statement; `{` here continues `head { a }\n{ b }`
                line_head, closed = len(out), False
            at_line_start = False
        if ch == "\n":
            at_line_start = True
        elif ch == "#":
            comment = True
        elif ch in "\"`":
            quote = ch
            closed = False
        elif ch == "{" and depth == 0:
            body = last not in "=:,([" and last != ""
            if body and closed and head:
                out.append(head + " ")
            elif body:
                head = "".join(out[line_head:]).strip()
                head = "" if head.startswith(("else", "}")) else head
            depth, closed = 1, False
        elif ch in "{[(":
            depth += 1
            closed = False
        elif ch in "}])":
            depth = max(0, depth - 1)
            closed = ch == "}" and depth == 0 and body
        elif not ch.isspace():
            closed = False
        if not ch.isspace() and not comment and not quote:
            last = ch
        out.append(ch)
    return "".join(out)
