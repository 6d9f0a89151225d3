"""render stage (see design.md §2)."""
