"""Fixtures of the schema-stage tests."""
from __future__ import annotations

from tests.evaluate.conftest import repo  # noqa: F401 (a throwaway repo to run check in)
