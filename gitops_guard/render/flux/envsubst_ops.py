"""The operations of Flux's envsubst (fluxcd/pkg/envsubst, funcs.go): what each `${var<op>args}`
does to the variable's value, Go's path.Match globs for the trimming ones."""
from __future__ import annotations

import re


def _glob(pattern: str) -> re.Pattern[str] | None:
    """Go's path.Match pattern as a regex (`*` and `?` stop at `/`); None when malformed."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "\\":
            if i + 1 >= len(pattern):
                return None
            i += 1
            out.append(re.escape(pattern[i]))
        elif c == "[":
            end = pattern.find("]", i + 2 if pattern[i + 1:i + 2] in ("^", "]") else i + 1)
            if end < 0:
                return None
            body = pattern[i + 1:end]
            out.append("[^/" + body[1:] + "]" if body.startswith("^") else f"[{body}]")
            i = end
        else:
            out.append(re.escape(c))
        i += 1
    try:
        return re.compile("".join(out), re.DOTALL)
    except re.error:
        return None


def _trim(s: str, pattern: str, longest: bool) -> str:
    glob = _glob(pattern)
    if glob is None:
        return s
    found = ""
    for i in range(len(s)):
        if glob.fullmatch(s[: len(s) - i]):
            found = s[: len(s) - i]
            if longest:
                break
    return s[len(found):] if found else s


def _substr(s: str, args: list[str]) -> str:
    try:
        pos = int(args[0])
    except ValueError:
        return s
    pos = max(len(s) + pos, 0) if pos < 0 else pos
    if len(args) == 1:
        return s[pos:]
    try:
        length = int(args[1])
    except ValueError:
        return s
    return s[pos:] if pos + length >= len(s) else s[pos:pos + length]


def apply(name: str, v: str, args: list[str]) -> str:
    first = args[0] if args else ""
    if name == "" and not args:
        return v
    if name == "#":
        return str(len(v.encode())) if not args else _trim(v, first, False)
    if name in ("##", "%", "%%"):
        if name == "##":
            return _trim(v, first, True)
        return _trim(v[::-1], first[::-1], name == "%%")[::-1]
    if name in (",", ",,", "^", "^^"):
        change = str.lower if name[0] == "," else str.upper
        return change(v) if len(name) == 2 else change(v[:1]) + v[1:]
    if name[:1] in (",", "^"):  # "^," and the like parse, and act as a plain ${var}
        return v
    if name == ":":
        return _substr(v, args)
    if name in ("/", "//"):
        return v.replace(first, args[1] if len(args) > 1 else "", 1 if name == "/" else -1)
    if name == "/#":
        return args[1] + v[len(first):] if len(args) == 2 and v.startswith(first) else v
    if name == "/%":
        return v[: len(v) - len(first)] + args[1] if len(args) == 2 and v.endswith(first) else v
    return v if v or not args else "".join(args)  # every default operator
