"""publish stage (see design.md §2)."""
