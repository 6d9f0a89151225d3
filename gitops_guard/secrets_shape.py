"""What looks secret by its name: one pattern for every stage that hides values.

A container env var (`DB_PASSWORD`), a field (`password:`), a variable of the runner's
environment (`GITHUB_TOKEN`): a name this matches has its value masked in the plan
(plan/masking.py), shown as <redacted> in schema messages (validate/errors.py) and
withheld from child processes (runner_env.py). And what a SOPS-encrypted file looks
like: its values are ciphertext and its metadata sits in a top-level `sops:` key, which
kustomize-controller removes when it decrypts (so no schema judges that key).
"""
from __future__ import annotations

import re
from typing import Any

SECRET_NAME = re.compile(
    r"PASSW(OR)?D|PASSPHRASE|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|"
    r"AUTH|DSN|CONN(ECTION)?_?STR", re.IGNORECASE)

SOPS_METADATA = "sops"


def is_sops_encrypted(resource: Any) -> bool:
    return isinstance(resource, dict) and isinstance(resource.get(SOPS_METADATA), dict)


def without_sops_metadata(resource: Any) -> Any:
    """The object as the controller applies it after decrypting: no `sops:` key."""
    if not is_sops_encrypted(resource):
        return resource
    return {k: v for k, v in resource.items() if k != SOPS_METADATA}
