"""Field-level semantic diff of two Kubernetes objects (plain JSON values).

Paths read like `spec.template.spec.containers[name=web].image`. Lists whose
items all carry a unique `name` (or `key`, `mountPath`, `containerPort`, `port`)
are matched by that key, so moving an item is an order change, not a value
change. Scalar lists that only changed order are reported as `reordered` too.
Values are made public on the way out: a `Masked` secret never leaves as its value.
"""
from __future__ import annotations

import difflib
from collections import Counter
from typing import Any

from gitops_guard.plan.model import FieldChange, Masked

LIST_KEYS = ("name", "key", "mountPath", "containerPort", "port", "devicePath")
_SCALARS = (str, int, float, bool, type(None))


def public(value: Any) -> Any:
    """`value` with every Masked replaced by a placeholder that holds no secret."""
    if isinstance(value, Masked):
        return str(value)
    if isinstance(value, dict):
        return {k: public(v) for k, v in value.items()}
    if isinstance(value, list):
        return [public(v) for v in value]
    return value


def _contains_masked(value: Any) -> bool:
    if isinstance(value, Masked):
        return True
    if isinstance(value, dict):
        return any(_contains_masked(v) for v in value.values())
    if isinstance(value, list):
        return any(_contains_masked(v) for v in value)
    return False


def _child(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def list_key(items: list[Any]) -> str | None:
    """The field that names each item uniquely, if every item is a mapping that has one."""
    if not items or not all(isinstance(i, dict) for i in items):
        return None
    for key in LIST_KEYS:
        values = [i.get(key) for i in items]
        if all(isinstance(v, str | int) and not isinstance(v, bool) for v in values) and len(
                set(values)) == len(values):
            return key
    return None


def text_diff(before: str, after: str) -> tuple[str, ...]:
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=1)
    return tuple(line for line in lines if not line.startswith(("---", "+++")))


def _masked_len(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, Masked):
        return value.nbytes
    return len(str(value).encode())


def _scalar_change(path: str, before: Any, after: Any, out: list[FieldChange]) -> None:
    if isinstance(before, Masked) or isinstance(after, Masked):
        out.append(FieldChange(path, "masked", _masked_len(before), _masked_len(after)))
        return
    if isinstance(before, str) and isinstance(after, str) and ("\n" in before or "\n" in after):
        out.append(FieldChange(path, "changed", before, after, text_diff(before, after)))
        return
    out.append(FieldChange(path, "changed", public(before), public(after)))


def _one_sided(path: str, op: str, value: Any, out: list[FieldChange]) -> None:
    if isinstance(value, Masked):
        lens = (value.nbytes, None) if op == "removed" else (None, value.nbytes)
        out.append(FieldChange(path, "masked", *lens))
        return
    if isinstance(value, dict) and _contains_masked(value):
        for k, v in value.items():  # a secret map appears or goes: key by key, lengths only
            _one_sided(_child(path, str(k)), op, v, out)
        return
    if op == "removed":
        out.append(FieldChange(path, op, public(value), None))
    else:
        out.append(FieldChange(path, op, None, public(value)))


def diff_values(before: Any, after: Any, path: str = "",
                out: list[FieldChange] | None = None) -> list[FieldChange]:
    """Every semantic difference between `before` and `after`, in document order."""
    out = [] if out is None else out
    if before == after:
        return out
    if isinstance(before, dict) and isinstance(after, dict):
        for key in before:
            sub = _child(path, str(key))
            if key not in after:
                _one_sided(sub, "removed", before[key], out)
            else:
                diff_values(before[key], after[key], sub, out)
        for key in after:
            if key not in before:
                _one_sided(_child(path, str(key)), "added", after[key], out)
        return out
    if isinstance(before, list) and isinstance(after, list):
        _diff_lists(before, after, path, out)
        return out
    _scalar_change(path, before, after, out)
    return out


def _diff_lists(before: list[Any], after: list[Any], path: str,
                out: list[FieldChange]) -> None:
    bkey, akey = list_key(before), list_key(after)
    key = bkey if bkey and (bkey == akey or not after) else (akey if not before else None)
    if key:
        _diff_keyed(before, after, key, path, out)
        return
    if all(isinstance(v, _SCALARS) for v in (*before, *after)):
        try:
            same_items = Counter(before) == Counter(after)
        except TypeError:
            same_items = False
        if same_items:
            out.append(FieldChange(path, "reordered", list(before), list(after)))
        else:
            _scalar_change(path, before, after, out)
        return
    for i in range(max(len(before), len(after))):
        sub = f"{path}[{i}]"
        if i >= len(after):
            _one_sided(sub, "removed", before[i], out)
        elif i >= len(before):
            _one_sided(sub, "added", after[i], out)
        else:
            diff_values(before[i], after[i], sub, out)


def _diff_keyed(before: list[Any], after: list[Any], key: str, path: str,
                out: list[FieldChange]) -> None:
    bmap = {item[key]: item for item in before}
    amap = {item[key]: item for item in after}
    for name, item in bmap.items():
        sub = f"{path}[{key}={name}]"
        if name not in amap:
            _one_sided(sub, "removed", item, out)
        else:
            diff_values(item, amap[name], sub, out)
    for name, item in amap.items():
        if name not in bmap:
            _one_sided(f"{path}[{key}={name}]", "added", item, out)
    border = [n for n in bmap if n in amap]
    aorder = [n for n in amap if n in bmap]
    if border != aorder:
        out.append(FieldChange(path, "reordered", border, aorder))
