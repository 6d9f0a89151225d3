"""HTTP chart repository credentials, read from Helm's own repositories.yaml."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.render.charts.credentials import (
    Credentials,
    http_credentials,
    repository_config,
)

REPOSITORIES = """\
apiVersion: ""
repositories:
  - {name: public, url: https://charts.example.com/public}
  - {name: private, url: https://charts.example.com/private/, username: ci, password: s3cret}
  - {name: token, url: https://charts.example.com/token, username: bot}
"""


@pytest.mark.parametrize(("url", "found"), [
    ("https://charts.example.com/private", Credentials("ci", "s3cret")),  # trailing '/' aside
    ("https://charts.example.com/token/", Credentials("bot", "")),
    ("https://charts.example.com/public", None),  # listed without a user
    ("https://elsewhere.example.com", None),
])
def test_the_entry_for_the_repository_url_gives_its_credentials(
        tmp_path: Path, url: str, found: Credentials | None) -> None:
    config = tmp_path / "repositories.yaml"
    config.write_text(REPOSITORIES)
    assert http_credentials(url, config) == found


@pytest.mark.parametrize("text", ["repositories: [\n", "just text\n", "repositories: 3\n"])
def test_an_unreadable_config_gives_none(tmp_path: Path, text: str) -> None:
    config = tmp_path / "repositories.yaml"
    config.write_text(text)
    assert http_credentials("https://charts.example.com/private", config) is None
    assert http_credentials("https://x", tmp_path / "absent.yaml") is None


@pytest.mark.parametrize(("env", "expected"), [
    ({"HELM_REPOSITORY_CONFIG": "/etc/helm/repos.yaml", "HELM_CONFIG_HOME": "/h"},
     "/etc/helm/repos.yaml"),
    ({"HELM_CONFIG_HOME": "/h", "XDG_CONFIG_HOME": "/x"}, "/h/repositories.yaml"),
    ({"XDG_CONFIG_HOME": "/x"}, "/x/helm/repositories.yaml"),
])
def test_the_config_is_where_helm_looks(monkeypatch: pytest.MonkeyPatch,
                                        env: dict[str, str], expected: str) -> None:
    for name in ("HELM_REPOSITORY_CONFIG", "HELM_CONFIG_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert repository_config() == Path(expected)
