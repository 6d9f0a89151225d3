"""GG509: credentials passed as literal env values end up in Git and `kubectl describe`."""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule
from gitops_guard.evaluate.secret_refs import reference_kind

SECRET_NAME = re.compile(
    r"PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|CREDENTIAL|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY"
    r"|(?:^|_)KEY$", re.IGNORECASE)
# Names that carry *about* a secret (where it is, how long it lives), not the secret.
NOT_SECRET = re.compile(
    r"_(FILE|PATH|DIR|NAME|REF|KEY_ID|ID|TTL|EXPIRY|EXPIRES|TIMEOUT|LENGTH|SIZE|ENABLED|"
    r"HEADER|TYPE|URL|ENDPOINT|ISSUER|AUDIENCE|VERSION|FORMAT|MOUNT)$", re.IGNORECASE)
PLACEHOLDER = re.compile(r"^\$\(.+\)$|^\$\{.+\}$|^<.+>$|^(true|false|yes|no|changeme|none)$",
                         re.IGNORECASE)


@rule(
    id="GG509",
    severity="error",
    title="Secret in a plain env value",
    why="An env var with a literal value is stored in the manifest (Git history, rendered "
        "charts, CI logs) and shown by `kubectl describe`; rotating it means a commit.",
    fix="Move the value into a Secret (encrypted with SOPS, a SealedSecret or an "
        "ExternalSecret) and use `valueFrom.secretKeyRef`.",
    kinds=tuple(POD_TEMPLATE_PATHS),
    example="env:\n  - name: DB_PASSWORD\n    valueFrom:\n"
            "      secretKeyRef: {name: db, key: password}",
    doc_url="https://kubernetes.io/docs/concepts/configuration/secret/"
            "#using-secrets-as-environment-variables",
    fragments=True,
)
def secret_in_env(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    for path, container in ctx.containers(resource):
        env = container.get("env")
        if not isinstance(env, list):
            continue
        for i, var in enumerate(env):
            if not isinstance(var, dict):
                continue
            name, value = str(var.get("name", "")), var.get("value")
            if not isinstance(value, str) or not value.strip() or PLACEHOLDER.match(value) \
                    or reference_kind(value) or _named_placeholder(name, value):
                continue
            if SECRET_NAME.search(name) and not NOT_SECRET.search(name):
                # Never echo the value: only the variable's name and where it is.
                yield Violation(f'container "{container.get("name", "?")}" sets {name} from a '
                                "literal value; use a secretKeyRef", (*path, "env", i, "value"))


def _named_placeholder(name: str, value: str) -> bool:
    """`GOOGLE_API_KEY: GOOGLE_API_KEY_VAL`: a token spelling the variable's own name, left
    for a setup script to replace (GoogleCloudPlatform/microservices-demo), not a secret."""
    return bool(name) and value.isupper() and name.upper() in value and \
        all(c.isalnum() or c == "_" for c in value)
