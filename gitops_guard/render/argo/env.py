"""The build environment the repo-server gives a source (ARGOCD_APP_*), and its
`Envsubst` (Go's os.Expand: `$VAR`, `${VAR}`, `$$` for a dollar; unknown names are
empty), applied to kustomize images and labels and to Helm parameters and paths."""
from __future__ import annotations

import re
from collections.abc import Mapping

_VAR = re.compile(r"\$(\{[^}]*\}|[A-Za-z0-9_]+|[*#$@!?\-])")


def app_env(name: str, namespace: str, project: str, revision: str, repo_url: str,
            path: str, target_revision: str) -> dict[str, str]:
    return {
        "ARGOCD_APP_NAME": name,
        "ARGOCD_APP_NAMESPACE": namespace,
        "ARGOCD_APP_PROJECT_NAME": project,
        "ARGOCD_APP_REVISION": revision,
        "ARGOCD_APP_REVISION_SHORT": revision[:7],
        "ARGOCD_APP_REVISION_SHORT_8": revision[:8],
        "ARGOCD_APP_SOURCE_REPO_URL": repo_url,
        "ARGOCD_APP_SOURCE_PATH": path,
        "ARGOCD_APP_SOURCE_TARGET_REVISION": target_revision,
    }


def envsubst(text: str, env: Mapping[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        name = name[1:-1] if name.startswith("{") else name
        return "$" if name == "$" else env.get(name, "")
    return _VAR.sub(one, text)
