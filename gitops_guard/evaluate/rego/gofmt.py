"""Go's fmt semantics for Rego's sprintf, as OPA gives them, and the small part of Go's
text/template that strings.render_template needs.

OPA hands sprintf's arguments to Go's fmt.Sprintf after one conversion: an integer
number becomes an int, another number a float64, a string stays a string, and every
other value (object, array, set, boolean, null) becomes its Rego text (`{"a": 1}`,
`{1, 2}`, `true`), a string. So `%v` of an object prints Rego, `%d` of a float prints
`%!d(float64=1.5)`, a missing argument `%!v(MISSING)`, a spare one `%!(EXTRA int=1)`.
"""
from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

_VERB = re.compile(r"%(?P<flags>[-+# 0]*)(?P<width>\d+)?(?:\.(?P<prec>\d*))?(?P<verb>.|$)",
                   re.S)


def rego_text(value: Any) -> str:
    """A value as OPA prints a term: Rego syntax, object keys and sets sorted."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return _number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        items = sorted(value.items(), key=lambda kv: _order(kv[0]))
        return "{" + ", ".join(f"{rego_text(k)}: {rego_text(v)}" for k, v in items) + "}"
    if isinstance(value, (set, frozenset, RegoSet)):
        if not value:
            return "set()"
        return "{" + ", ".join(rego_text(v) for v in sorted(value, key=_order)) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(rego_text(v) for v in value) + "]"
    return str(value)


def _order(value: Any) -> tuple[int, Any]:
    """OPA's term order: null < boolean < number < string < array < object < set."""
    if value is None:
        return (0, 0)
    if isinstance(value, bool):
        return (1, value)
    if isinstance(value, (int, float)):
        return (2, value)
    if isinstance(value, str):
        return (3, value)
    return (4, rego_text(value))


def _number(value: float) -> str:
    if isinstance(value, int) or (value.is_integer() and abs(value) < 1e21):
        return str(int(value))
    return repr(value)


def _go_float_v(value: float) -> str:
    """Go's %v of a float64: strconv 'g' with the shortest digits (exponent past 21)."""
    if value != value or value in (float("inf"), float("-inf")):
        return {"nan": "NaN", "inf": "+Inf", "-inf": "-Inf"}[repr(value)]
    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    text = "".join(map(str, digits)) or "0"
    exp = len(text) + int(exponent) - 1
    neg = "-" if sign else ""
    if exp < -4 or exp >= 21:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        return f"{neg}{mantissa}e{'+' if exp >= 0 else '-'}{abs(exp):02d}"
    return neg + format(Decimal(repr(abs(value))).normalize(), "f")


def _go_type(value: Any) -> str:
    return "int" if isinstance(value, int) else "float64" if isinstance(value, float) \
        else "string"


def _spec(flags: str, width: str | None, prec: str | None, verb: str) -> str:
    spec = ""
    if "-" in flags:
        spec += "<"
    elif "0" in flags and verb not in "sqv":
        spec += "0"
    spec += "+" if "+" in flags else " " if " " in flags else ""
    spec += "#" if "#" in flags else ""
    spec += width or ""
    return spec + (f".{prec or 0}" if prec is not None else "")


def _pad(text: str, flags: str, width: str | None) -> str:
    if not width:
        return text
    return text.ljust(int(width)) if "-" in flags else text.rjust(int(width))


def _format(arg: Any, flags: str, width: str | None, prec: str | None, verb: str) -> str:
    bad = f"%!{verb}({_go_type(arg)}={_go_float_v(arg) if isinstance(arg, float) else arg})"
    if isinstance(arg, int):
        if verb in "dv":
            return format(arg, _spec(flags, width, None, "d") + "d")
        if verb in "xXob":
            return format(arg, _spec(flags, width, None, verb) + verb)
        if verb == "c":
            return _pad(chr(arg), flags, width)
        if verb in "eEfFgG":
            return bad
        return bad
    if isinstance(arg, float):
        if verb == "v" or (verb in "gG" and prec is None):
            return _pad(_go_float_v(arg), flags, width)
        if verb in "eEfFgG":
            spec = _spec(flags, width, prec if prec is not None else
                         ("6" if verb in "eEfF" else None), verb)
            return format(arg, spec + verb)
        return bad
    if verb in "sv":
        text = arg if prec is None else arg[:int(prec or 0)]
        return _pad(text, flags, width)
    if verb == "q":
        return _pad(json.dumps(arg, ensure_ascii=False), flags, width)
    if verb in "xX":
        hexed = arg.encode().hex()
        return _pad(hexed.upper() if verb == "X" else hexed, flags, width)
    return bad


class RegoSet(list[Any]):
    """A Rego set whose members may be unhashable (objects): printed `{a, b}`, sorted."""


def untag(value: Any) -> Any:
    """An argument from rewrite.HELPER_MODULE: composite values arrive as
    ["__gg__", type_name, JSON text] (regorus cannot hand a set of objects to Python)."""
    if isinstance(value, list) and len(value) == 3 and value[0] == "__gg__":
        decoded = json.loads(value[2])
        return RegoSet(decoded) if value[1] == "set" else decoded
    return value


def _go_value(value: Any) -> Any:
    """The Go value OPA hands to fmt: int, float64 or string."""
    value = untag(value)
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return rego_text(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        return int(value)  # regorus computes 6 / 2 as 3.0; OPA's number is 3
    return value


def go_sprintf(fmt: str, args: Any) -> str:
    """OPA's sprintf(fmt, args)."""
    values = [_go_value(a) for a in (args if isinstance(args, list) else [args])]
    out: list[str] = []
    used, pos = 0, 0
    for match in _VERB.finditer(fmt):
        out.append(fmt[pos:match.start()])
        pos = match.end()
        verb = match.group("verb")
        if verb == "%":
            out.append("%")
            continue
        if not verb:
            out.append("%!(NOVERB)")
            continue
        if used >= len(values):
            out.append(f"%!{verb}(MISSING)")
            continue
        out.append(_format(values[used], match.group("flags"), match.group("width"),
                           match.group("prec"), verb))
        used += 1
    out.append(fmt[pos:])
    if used < len(values):
        extra = ", ".join(f"{_go_type(v)}={v}" for v in values[used:])
        out.append(f"%!(EXTRA {extra})")
    return "".join(out)


_ACTION = re.compile(r"\{\{-?\s*(?P<expr>.*?)\s*-?\}\}", re.S)


def go_template(template: str, variables: Any) -> str:
    """strings.render_template for `{{.field}}` and `{{.a.b}}` actions (Go's text/template
    prints a missing field as `<no value>`)."""
    def action(match: re.Match[str]) -> str:
        expr = match.group("expr")
        if not expr.startswith("."):
            raise ValueError(f"strings.render_template: unsupported action {{{{{expr}}}}}")
        value: Any = variables
        for part in expr[1:].split(".") if expr != "." else []:
            if not isinstance(value, dict) or part not in value:
                return "<no value>"
            value = value[part]
        if isinstance(value, str):
            return value
        return rego_text(value) if not isinstance(value, (int, float)) else _number(value)
    return _ACTION.sub(action, template)
