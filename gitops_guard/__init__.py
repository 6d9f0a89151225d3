"""gitops-guard: guard a GitOps repository before anything merges."""
from __future__ import annotations

__version__ = "0.1.0"
