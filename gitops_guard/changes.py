"""Files a change touches: since the merge base of a ref, in the working tree."""
from __future__ import annotations

from pathlib import Path

from gitops_guard.plan.gittree import git, resolve_ref


def merge_base(base: str, head: str, root: Path) -> str:
    return git(["merge-base", resolve_ref(base, root), resolve_ref(head, root)],
               root).decode().strip()


def changed_files(root: Path, base: str, head: str = "HEAD") -> list[str]:
    """Paths under `root` (relative to it) changed between merge-base(base, head) and the
    working tree, untracked files included; deleted files too (they change environments)."""
    toplevel = Path(git(["rev-parse", "--show-toplevel"], root).decode().strip()).resolve()
    start = merge_base(base, head, root)
    listed = git(["diff", "--name-only", "-z", "--no-renames", start, "--"], toplevel)
    untracked = git(["ls-files", "-z", "--others", "--exclude-standard"], toplevel)
    out: set[str] = set()
    resolved_root = root.resolve()
    for raw in (listed + b"\0" + untracked).split(b"\0"):
        if not raw:
            continue
        absolute = toplevel / raw.decode("utf-8", "surrogateescape")
        try:
            out.add(absolute.relative_to(resolved_root).as_posix())
        except ValueError:
            continue  # outside the checked repository (a monorepo sibling)
    return sorted(out)
