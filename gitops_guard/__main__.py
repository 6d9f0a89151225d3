from __future__ import annotations

from gitops_guard.cli import main_entry

if __name__ == "__main__":
    main_entry()
