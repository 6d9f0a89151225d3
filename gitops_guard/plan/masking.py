"""Secret masking: values that must never reach any output are replaced before diffing.

Masked values keep their length in bytes (decoded, for base64 `data`) and a
digest salted per process, so a change is still seen (`changed (12 → 16 bytes)`)
while neither the value nor a reusable hash of it is ever printed.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from collections.abc import Sequence
from fnmatch import translate
from typing import Any, cast

from gitops_guard.plan.model import Masked
from gitops_guard.secrets_shape import SECRET_NAME

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
# Container env vars whose *name* says secret: their literal `value:` is masked.
SECRET_ENV_NAME = SECRET_NAME
_SALT = os.urandom(16)


def mask(raw: str | bytes, nbytes: int | None = None) -> Masked:
    data = raw.encode() if isinstance(raw, str) else raw
    digest = hmac.new(_SALT, data, hashlib.sha256).hexdigest()[:16]
    return Masked(len(data) if nbytes is None else nbytes, digest)


def _decoded_len(value: str) -> int:
    try:
        return len(base64.b64decode(value, validate=True))
    except (binascii.Error, ValueError):
        return len(value.encode())


def _mask_env(value: Any) -> Any:
    """Every `env: [{name: DB_PASSWORD, value: ...}]` list anywhere in the object (pods,
    templates, CronJobs, CRDs embedding pod specs) with secret-named values masked."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == "env" and isinstance(item, list):
                out[key] = [_mask_env_var(v) for v in item]
            else:
                out[key] = _mask_env(item)
        return out
    if isinstance(value, list):
        return [_mask_env(v) for v in value]
    return value


def _mask_env_var(var: Any) -> Any:
    if isinstance(var, dict) and isinstance(var.get("name"), str) and \
            SECRET_ENV_NAME.search(var["name"]) and var.get("value") is not None and \
            not isinstance(var["value"], Masked):
        return {**var, "value": mask(str(var["value"]))}
    return _mask_env(var)


class SecretMasker:
    """Masks Secret data, last-applied-configuration and fields matching configured globs."""

    def __init__(self, patterns: Sequence[str] = ()) -> None:
        self.patterns = tuple(patterns)
        self._regex = (re.compile("|".join(translate(p) for p in patterns), re.IGNORECASE)
                       if patterns else None)

    def __call__(self, obj: dict[str, Any]) -> dict[str, Any]:
        out = dict(obj)
        if obj.get("kind") == "Secret" and obj.get("apiVersion") == "v1":
            for section in ("data", "stringData"):
                values = obj.get(section)
                if isinstance(values, dict):
                    out[section] = {k: self._mask_secret(section, v) for k, v in values.items()}
        meta = obj.get("metadata")
        if isinstance(meta, dict):
            annotations = meta.get("annotations")
            if isinstance(annotations, dict) and LAST_APPLIED in annotations:
                value = annotations[LAST_APPLIED]
                out["metadata"] = {**meta, "annotations": {
                    **annotations, LAST_APPLIED: mask(str(value))}}
        out = cast(dict[str, Any], _mask_env(out))
        if self._regex is not None:
            out = self._mask_paths(out, "")
        return out

    @staticmethod
    def _mask_secret(section: str, value: Any) -> Any:
        if isinstance(value, Masked) or value is None:
            return value
        text = value if isinstance(value, str) else str(value)
        if section == "data":
            return mask(text, _decoded_len(text))
        return mask(text)

    def _mask_paths(self, value: Any, path: str) -> Any:
        assert self._regex is not None
        if isinstance(value, dict):
            result = {}
            for k, v in value.items():
                sub = f"{path}.{k}" if path else str(k)
                if not isinstance(v, dict | list | Masked) and v is not None and \
                        self._regex.match(sub):
                    result[k] = mask(str(v))
                else:
                    result[k] = self._mask_paths(v, sub)
            return result
        if isinstance(value, list):
            return [self._mask_paths(v, f"{path}[{i}]") for i, v in enumerate(value)]
        return value
