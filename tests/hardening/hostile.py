"""The hostile-input corpus: small files live in tests/data/hostile/, big ones are built
here at run time (a 9 MB scalar or a 100,000-deep JSON file does not belong in Git).

`python -m tests.hardening.hostile DIR` writes the whole corpus to DIR, for measuring
time and memory by hand (`/usr/bin/time -f "%e %M" gitops-guard check DIR/x`).
"""
from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path

HOSTILE = Path(__file__).parents[1] / "data" / "hostile"
REGRESSIONS = HOSTILE / "regressions"


def _alias_bomb(width: int, depth: int, tail: str) -> bytes:
    lines = ["l0: &l0 [" + ",".join(["lol"] * width) + "]"]
    for level in range(1, depth + 1):
        lines.append(f"l{level}: &l{level} [" + ",".join([f"*l{level - 1}"] * width) + "]")
    return ("\n".join(lines) + "\n" + tail.replace("TOP", f"*l{depth}")).encode()


GENERATED: dict[str, Callable[[], bytes]] = {
    "huge-scalar.yaml": lambda: b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\n"
                                b"data: {blob: \"" + b"x" * (9 * 1024 * 1024) + b"\"}\n",
    "deep-100k.json": lambda: b"[" * 100_000 + b"]" * 100_000,
    "deep-100k-object.json": lambda: b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    "deep-flow-100k.yaml": lambda: b"a: " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
    "deep-block-2000.yaml": lambda: "".join(
        " " * i + f"k{i}:\n" for i in range(2000)).encode(),
    "deep-block-seq-5000.yaml": lambda: b"- " * 5000 + b"x\n",  # `- - - x`: 5000 levels
    "billion-laughs-wide.yaml": lambda: _alias_bomb(10, 9, "bomb: TOP\n"),
    "billion-laughs-in-key.yaml": lambda: _alias_bomb(10, 9, "? TOP\n: 1\n"),
    "many-documents.yaml": lambda: b"---\na: 1\n" * 20_000,
    "over-size-limit.yaml": lambda: b"# pad\n" * (2 * 1024 * 1024),
    "deep-hcl.tf": lambda: b"a = " + b"[" * 3000 + b"]" * 3000 + b"\n",
}


def write_corpus(target: Path) -> list[Path]:
    """Every hostile file (committed and generated) copied or written into `target`."""
    target.mkdir(parents=True, exist_ok=True)
    out: list[Path] = []
    for src in sorted(HOSTILE.iterdir()):
        if src.is_file() and src.name != "README.md":
            out.append(Path(shutil.copy(src, target / src.name)))
    for name, build in GENERATED.items():
        (target / name).write_bytes(build())
        out.append(target / name)
    return out


if __name__ == "__main__":
    for path in write_corpus(Path(sys.argv[1])):
        print(path)
