"""The repo-server's build environment and its Envsubst (Go's os.Expand)."""
from __future__ import annotations

import pytest

from gitops_guard.render.argo.env import app_env, envsubst

ENV = app_env("shop", "argocd", "default", "0123456789abcdef", "https://git.example.com/r",
              "apps/shop", "main")


def test_app_env_names_the_application_and_its_revision() -> None:
    assert ENV["ARGOCD_APP_NAME"] == "shop"
    assert ENV["ARGOCD_APP_REVISION_SHORT"] == "0123456"
    assert ENV["ARGOCD_APP_REVISION_SHORT_8"] == "01234567"
    assert ENV["ARGOCD_APP_SOURCE_PATH"] == "apps/shop"


@pytest.mark.parametrize(("text", "expected"), [
    ("$ARGOCD_APP_NAME", "shop"),
    ("${ARGOCD_APP_NAME}-x", "shop-x"),
    ("$ARGOCD_APP_NAME-x", "shop-x"),
    ("img:$ARGOCD_APP_REVISION_SHORT", "img:0123456"),
    ("$UNKNOWN|${UNKNOWN}|", "||"),  # unknown names are empty
    ("cost: $$5", "cost: $5"),
    ("no variables", "no variables"),
])
def test_envsubst_expands_as_go_os_expand(text: str, expected: str) -> None:
    assert envsubst(text, ENV) == expected
