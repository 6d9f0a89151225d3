"""plan stage (see design.md §2)."""
