"""Object names a build step replaces before anything is applied.

kustomize's namespace transformer renames a Namespace called `_`, Flux's postBuild
substitutes `${VAR}`, Argo CD config management plugins and envsubst `$VAR`, templates fill
`{{ }}` and `<...>`. Checked as a file on its own,
such a name is not the name that deploys, so rules about names leave it alone.
"""
from __future__ import annotations

import re

PLACEHOLDER_NAME = re.compile(r"^_+$|\$\{|\$[A-Za-z_]\w*|\{\{|^<.+>$|"
                              r"^(PLACEHOLDER|REPLACE_?ME|CHANGEME)$", re.IGNORECASE)


def is_placeholder(name: str) -> bool:
    return PLACEHOLDER_NAME.search(name) is not None
