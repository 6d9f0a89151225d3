"""Fleet scale: one PR check split across the CI's own job matrix, merged into one verdict.

    partition.py  the work units (affected environments, the changed files) and their groups
    bundle.py     one shard's result file: versioned JSON, validated before a merge
    codec.py      findings and plans to and from JSON, losslessly
    merge.py      bundles -> exactly what one unsharded `ci` run computes

The commands are in commands/ci_fleet.py; docs/fleet.md is the user's guide.
"""
