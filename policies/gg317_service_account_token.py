"""GG317: pods on the default service account should not mount its token."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import POD_TEMPLATE_PATHS, RuleContext, Violation, rule


@rule(
    id="GG317",
    severity="info",
    title="Default service account token mounted",
    why="A pod on the namespace's default service account rarely needs the API, yet its token "
        "is mounted by default; a compromised container can then use whatever the default "
        "account was granted.",
    fix="Set `automountServiceAccountToken: false` on the pod, or give it a dedicated "
        "ServiceAccount when it does call the API.",
    kinds=tuple(POD_TEMPLATE_PATHS),
    example="spec:\n  automountServiceAccountToken: false",
    doc_url="https://kubernetes.io/docs/tasks/configure-pod-container/"
            "configure-service-account/#opt-out-of-api-credential-automounting",
)
def service_account_token(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    found = ctx.pod_spec(resource)
    if found is None:
        return
    path, spec = found
    account = spec.get("serviceAccountName") or spec.get("serviceAccount") or "default"
    if account != "default" or spec.get("automountServiceAccountToken") is False:
        return
    where = "automountServiceAccountToken" if "automountServiceAccountToken" in spec else (
        "serviceAccountName" if "serviceAccountName" in spec else None)
    yield Violation("pod uses the default service account and mounts its token",
                    (*path, where) if where else path)
