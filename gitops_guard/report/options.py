from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    kubernetes_version: str = ""
    tool_version: str = ""
