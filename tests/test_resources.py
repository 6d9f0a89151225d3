"""Where the data shipped with the package lives (resources.py): the wheel's bundled copy
when there is one, else the source checkout's top level."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard import resources


@pytest.mark.parametrize(("name", "member"), [
    ("schemas", "config.schema.json"), ("policies", "gg505_namespace_missing_or_default.py"),
])
def test_checkout_data(name: str, member: str) -> None:
    assert (resources.data_dir(name) / member).is_file()


def test_bundled_data_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    package = tmp_path / "site-packages" / "gitops_guard"
    (package / "_data" / "schemas").mkdir(parents=True)
    monkeypatch.setattr(resources, "_PACKAGE", package)
    assert resources.data_dir("schemas") == package / "_data" / "schemas"
    assert resources.data_dir("policies") == tmp_path / "site-packages" / "policies"
