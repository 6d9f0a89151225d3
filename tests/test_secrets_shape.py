"""The one pattern that says a name is secret (gitops_guard/secrets_shape.py)."""
from __future__ import annotations

import pytest

from gitops_guard.secrets_shape import SECRET_NAME

SECRET = ["password", "DB_PASSWORD", "db_passwd", "PASSPHRASE", "clientSecret",
          "GITHUB_TOKEN", "apiKey", "API_KEY", "AWS_ACCESS_KEY_ID", "privateKey",
          "PRIVATE_KEY", "GOOGLE_CREDENTIALS", "BASIC_AUTH", "SENTRY_DSN",
          "DB_CONNECTION_STRING", "redis_conn_str"]
PLAIN = ["username", "LOG_LEVEL", "replicas", "image", "HOST", "PORT", "publicKey",
         "DATABASE_URL", "KEYCLOAK_REALM"]


@pytest.mark.parametrize("name", SECRET)
def test_a_secret_name_matches(name: str) -> None:
    assert SECRET_NAME.search(name)


@pytest.mark.parametrize("name", PLAIN)
def test_a_plain_name_does_not(name: str) -> None:
    assert not SECRET_NAME.search(name)
