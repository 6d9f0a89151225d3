"""A HelmRelease's values, merged as helm-controller does (fluxcd/pkg chartutil
ChartValuesFromReferences): each `valuesFrom` in order, then `spec.values` on top.

A reference reads a ConfigMap (`data`) or Secret (`data` base64-decoded, `stringData`)
found among the resources rendered so far, as the controller finds it in the cluster;
`valuesKey` defaults to `values.yaml`. Without `targetPath` the text is YAML merged
into the result; with it, the text is set at that path as Helm's `--set` would (quoted
text as a string, `--set-string`). A missing object or key is an error unless
`optional`. A SOPS-encrypted Secret cannot be read offline: a GG104 note.
"""
from __future__ import annotations

import base64
import binascii
from typing import Any

from gitops_guard.render.helm import deep_merge
from gitops_guard.render.resolve import Resolver
from gitops_guard.render.sources import Rendered, as_dict
from gitops_guard.render.values import set_value, yaml_values

DEFAULT_KEY = "values.yaml"


def release_values(resolver: Resolver, item: Rendered, spec: dict[str, Any], namespace: str,
                   values: dict[str, Any]) -> dict[str, Any]:
    """`values` (the chart-side files) + valuesFrom in order + spec.values."""
    for ref in spec.get("valuesFrom") or ():
        if isinstance(ref, dict):
            values = _one(resolver, item, ref, namespace, values)
    if isinstance(spec.get("values"), dict):
        values = deep_merge(values, spec["values"])
    return values


def _text(resolver: Resolver, item: Rendered, kind: str, name: str, namespace: str,
          key: str) -> str | None:
    found = resolver.find(kind, name, namespace)
    if found is None:
        return None
    if kind == "ConfigMap":
        text = as_dict(found.get("data")).get(key)
        return None if text is None else str(text)
    if "sops" in found:
        resolver.note(item, f"valuesFrom Secret {name} is SOPS-encrypted: its values are not "
                      "read offline")
        return ""
    if key in as_dict(found.get("stringData")):
        return str(found["stringData"][key])
    raw = as_dict(found.get("data")).get(key)
    if raw is None:
        return None
    try:
        return base64.b64decode(str(raw), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None


def _one(resolver: Resolver, item: Rendered, ref: dict[str, Any], namespace: str,
         values: dict[str, Any]) -> dict[str, Any]:
    kind, name = str(ref.get("kind", "")), str(ref.get("name", ""))
    key = str(ref.get("valuesKey") or DEFAULT_KEY)
    if kind not in ("ConfigMap", "Secret"):
        resolver.missing(item, f"valuesFrom {kind}/{name}: kind must be ConfigMap or Secret")
        return values
    text = _text(resolver, item, kind, name, namespace, key)
    if text is None:
        if not ref.get("optional"):
            resolver.missing(item, f"valuesFrom {kind} {namespace}/{name} (key {key}) is not "
                             "in the rendered resources")
        return values
    if not text:
        return values
    target = str(ref.get("targetPath") or "")
    if target:
        quoted = len(text) >= 2 and text[0] == text[-1] and text[0] in "'\""
        return deep_merge(values, set_value(target, text.strip("'\"") if quoted else text,
                                            quoted))
    loaded, findings = yaml_values(text)
    resolver.findings.extend(findings)
    return deep_merge(values, loaded)
