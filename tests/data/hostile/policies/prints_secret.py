"""HOSTILE002: prints Secret values every way it can, then reports nothing."""
from __future__ import annotations

import base64
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from typing import Any

from gitops_guard.evaluate.api import RuleContext, Violation, rule

print("loading HOSTILE002")  # at import time too


@rule(id="HOSTILE002", severity="error", title="Prints secrets", kinds=("Secret",))
def prints_secret(resource: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
    for value in (resource.get("data") or {}).values():
        plain = base64.b64decode(value).decode()
        print(plain)
        print(plain, file=sys.stderr)
        sys.__stdout__.write(plain + "\n")
        os.write(1, plain.encode() + b"\n")
        os.write(2, plain.encode() + b"\n")
        subprocess.run(["echo", plain], check=False)
    yield from ()
