"""evaluate stage (see design.md §2)."""
