"""One error hierarchy. Each class carries the exit code the CLI maps it to."""
from __future__ import annotations


class GuardError(Exception):
    """Base of every error gitops-guard raises on purpose."""

    exit_code = 2


class UsageError(GuardError):
    """A bad flag or argument combination."""


class ConfigError(GuardError):
    """`.gitops-guard.yaml` is missing a key, has a bad value, or cannot be parsed."""


class ToolMissingError(GuardError):
    """A program (on PATH) or a Python package (importable) the input needs is absent."""

    def __init__(self, tool: str, hint: str, *, package: bool = False) -> None:
        where = "is not installed" if package else "was not found on PATH"
        super().__init__(f"{tool} is required but {where}; {hint}")
        self.tool = tool


class SchemaError(GuardError):
    """A schema source (CRD, JSON Schema, schema dir) cannot be used."""
