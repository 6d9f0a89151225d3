"""GG510: Secret manifests in Git must be encrypted (SOPS) or sealed."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import RuleContext, Violation, rule
from gitops_guard.evaluate.secret_refs import decoded_reference_kind, reference_kind
from gitops_guard.secrets_shape import is_sops_encrypted


def _plain_keys(values: Mapping[str, Any], encoded: bool) -> list[str]:
    """Keys holding a literal value: not empty, not SOPS ciphertext, not a reference that
    a tool fills in at deploy time (op://, <path:...>, ref+..., ${VAR}: secret_refs.py)."""
    find = decoded_reference_kind if encoded else reference_kind
    return [str(k) for k, v in values.items()
            if v not in (None, "") and not (isinstance(v, str) and find(v))]


@rule(
    id="GG510",
    severity="error",
    title="Unencrypted Secret manifest",
    why="`data` is only base64, not encryption: anyone with read access to the repository (or "
        "its forks, CI caches and backups) has the credential, for ever, in Git history.",
    fix="Encrypt the file with SOPS (`sops -e`), or commit a SealedSecret / ExternalSecret "
        "instead; rotate any value that was already pushed.",
    kinds=("Secret",),
    example="kind: SealedSecret\nspec:\n  encryptedData:\n    password: AgBy3i...",
    doc_url="https://fluxcd.io/flux/guides/mozilla-sops/",
    fragments=True,
)
def unencrypted_secret(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    if is_sops_encrypted(resource):
        return
    meta = resource.get("metadata")
    name = meta.get("name", "?") if isinstance(meta, dict) else "?"
    for field in ("data", "stringData"):
        values = resource.get(field)
        if not isinstance(values, dict):
            continue
        keys = _plain_keys(values, encoded=field == "data")
        if keys:
            # Key names only: the values must never reach any output.
            shown = ", ".join(keys[:5]) + (", ..." if len(keys) > 5 else "")
            yield Violation(f'Secret "{name}" holds {len(keys)} unencrypted value(s) in {field} '
                            f"({shown})", (field, keys[0]))
