"""The hardening tests' shared set-up."""
from __future__ import annotations

import pytest

from gitops_guard.load import load_bytes

# One valid sample per loader. Parsing each once before any property test imports the
# parser libraries and builds their grammars (python-hcl2's Lark parser takes about a
# second to build), so a Hypothesis deadline measures parsing, not a cold import.
WARM_UP = {
    "x.yaml": b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
    "x.json": b'{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}',
    "main.tf": b'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n',
    "prod.tfvars": b'region = "eu-west-1"\n',
    "plan.json": b'{"format_version": "1.2", "terraform_version": "1.9.0"}',
}


@pytest.fixture(autouse=True, scope="session")
def _warm_loaders() -> None:
    for name, data in WARM_UP.items():
        load_bytes(data, name)
