"""Secrets that are not in clear: references filled in at deploy time, and Secrets that
something other than a `kind: Secret` manifest provides.

    reference_kind("op://vault/item/field")  -> "1Password reference"
    provided_objects(doc)                    -> ("Secret", "db-credentials"), ...

Used by GG509 and GG510 (a value that names where the secret lives is not the secret)
and GG609 (a Secret made by a SealedSecret, an ExternalSecret or a kustomize
secretGenerator exists even though no `kind: Secret` is in the input).
"""
from __future__ import annotations

import base64
import binascii
import posixpath
import re
from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.load.datafiles import KUSTOMIZATION_FILES
from gitops_guard.model import Document

# What each reference syntax looks like, and the tool that resolves it. A value is a
# reference when the whole value is one (after surrounding blanks are stripped).
REFERENCES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("SOPS ciphertext", re.compile(r"^ENC\[[A-Z0-9_]+,")),
    ("1Password reference", re.compile(r"^op://[^/\s]+/[^/\s]+/\S+$")),
    ("argocd-vault-plugin placeholder", re.compile(r"^<path:[^>]+>$|^<[A-Za-z0-9_.\-|# ]+>$")),
    ("vals reference", re.compile(r"^ref\+[a-z0-9]+://\S+$")),
    ("variable substitution", re.compile(r"^\$\{[^}]+\}$|^\$\([A-Za-z0-9_]+\)$")),
    ("template expression", re.compile(r"^\{\{.*\}\}$", re.DOTALL)),
    ("Vault agent reference", re.compile(r"^vault:[A-Za-z0-9_/\-.]+#\S+$")),
)


def reference_kind(value: str) -> str | None:
    """Which reference syntax `value` is written in (None: a literal value)."""
    text = value.strip()
    for name, pattern in REFERENCES:
        if pattern.match(text):
            return name
    return None


def decoded_reference_kind(encoded: str) -> str | None:
    """reference_kind of a Secret `data` value: the base64 text itself (a placeholder
    written before encoding is filled in) or what it decodes to."""
    found = reference_kind(encoded)
    if found is not None:
        return found
    try:
        plain = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    return reference_kind(plain)


# (kind, field holding the name of the Secret it writes) for controllers that make Secrets.
_SECRET_MAKERS: dict[str, tuple[tuple[str, ...], ...]] = {
    "SealedSecret": (("spec", "template", "metadata", "name"),),
    "ExternalSecret": (("spec", "target", "name"),),
    "ClusterExternalSecret": (("spec", "externalSecretSpec", "target", "name"),),
    "Certificate": (("spec", "secretName"),),
    "OnePasswordItem": (),  # the Secret takes the item's own name
    "VaultStaticSecret": (("spec", "destination", "name"),),
    "VaultDynamicSecret": (("spec", "destination", "name"),),
    "VaultPKISecret": (("spec", "destination", "name"),),
    "InfisicalSecret": (("spec", "managedSecretReference", "secretName"),),
    "DopplerSecret": (("spec", "managedSecret", "name"),),
}
# These take the maker's own name when the field above is not set.
_DEFAULT_TO_OWN_NAME = frozenset({"SealedSecret", "ExternalSecret", "ClusterExternalSecret",
                                  "OnePasswordItem"})


def _at(data: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    node: Any = data
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node


def _generated(data: Mapping[str, Any], field: str, kind: str) -> Iterator[tuple[str, str]]:
    for entry in data.get(field) or ():
        if isinstance(entry, dict) and entry.get("name"):
            yield kind, str(entry["name"])


def provided_objects(resource: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """("ConfigMap" | "Secret", name) that this document makes exist: the object itself,
    or a Secret a controller writes from it (kustomize generators: kustomization_outputs)."""
    kind = resource.get("kind")
    meta = resource.get("metadata")
    name = str(meta.get("name", "")) if isinstance(meta, dict) else ""
    if kind in ("ConfigMap", "Secret"):
        yield str(kind), name
    elif kind == "SecretProviderClass":  # CSI secrets store: secretObjects are synced
        for item in _at(resource, ("spec", "secretObjects")) or ():
            if isinstance(item, dict) and item.get("secretName"):
                yield "Secret", str(item["secretName"])
    elif isinstance(kind, str) and kind in _SECRET_MAKERS:
        named = [str(v) for path in _SECRET_MAKERS[kind] if (v := _at(resource, path))]
        if kind in _DEFAULT_TO_OWN_NAME or not named:
            named.append(name)
        for item in named:
            yield "Secret", item


def kustomization_outputs(doc: Document) -> list[tuple[str, str]] | None:
    """What a kustomization file's generators make (None: `doc` is no kustomization).
    Their names have no namespace of their own until the build sets one."""
    data = doc.data
    if not isinstance(data, dict):
        return None
    named = posixpath.basename(doc.path) in KUSTOMIZATION_FILES
    if not named and not (data.get("kind") == "Kustomization" and str(
            data.get("apiVersion", "")).startswith("kustomize.config.k8s.io/")):
        return None
    return [*_generated(data, "secretGenerator", "Secret"),
            *_generated(data, "configMapGenerator", "ConfigMap")]
