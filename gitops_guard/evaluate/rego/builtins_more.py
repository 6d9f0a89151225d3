"""More OPA builtins in Python (builtins.py registers them): ones regorus lacks, and
stand-ins for regorus builtins that crash where OPA answers.

- `__gitops_guard_subset`: OPA's object.subset, called by rewrite.HELPER_MODULE's
  object_subset when the subset holds an empty array (regorus panics there: "window
  size must be non-zero"; OPA: an empty array is a subset of any array).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

_SET_TYPES = (set, frozenset)


def _canon(value: Any) -> Any:
    """A hashable form under which two values are equal exactly when OPA's are
    (`1 == 1.0`, but `true != 1`)."""
    if isinstance(value, bool) or value is None:
        return ("b", value)
    if isinstance(value, (int, float)):
        return ("n", float(value))
    if isinstance(value, str):
        return ("s", value)
    if isinstance(value, list):
        return ("a", tuple(_canon(v) for v in value))
    if isinstance(value, dict):
        return ("o", frozenset((_canon(k), _canon(v)) for k, v in value.items()))
    if isinstance(value, _SET_TYPES):
        return ("S", frozenset(_canon(v) for v in value))
    return ("?", repr(value))


def _contiguous(array: list[Any], sub: list[Any]) -> bool:
    want = [_canon(v) for v in sub]
    have = [_canon(v) for v in array]
    return any(have[i:i + len(want)] == want for i in range(len(have) - len(want) + 1))


def _object_subset(sup: dict[Any, Any], sub: dict[Any, Any]) -> bool:
    for key, want in sub.items():
        if key not in sup:
            return False
        have = sup[key]
        if isinstance(have, dict) and isinstance(want, dict):
            ok = _object_subset(have, want)
        elif isinstance(have, _SET_TYPES) and isinstance(want, _SET_TYPES):
            ok = _set_subset(have, want)
        elif isinstance(have, list) and isinstance(want, list):
            ok = _contiguous(have, want)
        else:
            ok = _canon(have) == _canon(want)
        if not ok:
            return False
    return True


def _set_subset(sup: Any, sub: Any) -> bool:
    have = {_canon(v) for v in sup}
    return all(_canon(v) in have for v in sub)


def object_subset(sup: Any, sub: Any) -> bool:
    """OPA's object.subset(super, sub), as its topdown implementation decides it."""
    if isinstance(sup, dict) and isinstance(sub, dict):
        return _object_subset(sup, sub)
    if isinstance(sup, _SET_TYPES) and isinstance(sub, _SET_TYPES):
        return _set_subset(sup, sub)
    if isinstance(sup, list) and isinstance(sub, list):
        return _contiguous(sup, sub)
    if isinstance(sup, list) and isinstance(sub, _SET_TYPES):
        return _set_subset(sup, sub)
    raise ValueError("object.subset: both arguments object.subset must be of the same type "
                     "or array and set")


MORE: dict[str, tuple[int, Callable[..., Any]]] = {
    "__gitops_guard_subset": (2, object_subset),
}
