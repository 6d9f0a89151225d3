"""Unpack a chart archive without letting it write outside its directory.

Refused: absolute names, `..` parts, links (symbolic or hard) and device files, more
than MAX_MEMBERS entries, a member over MAX_MEMBER_BYTES or more than MAX_TOTAL_BYTES
in all (a gzip bomb stops there). Only regular files and directories are written,
0600 / 0700. The archive must hold one top directory with a Chart.yaml, as `helm
package` writes it.
"""
from __future__ import annotations

import os
import posixpath
import tarfile
from pathlib import Path

MAX_MEMBERS = 20_000
MAX_MEMBER_BYTES = 16 << 20
MAX_TOTAL_BYTES = 128 << 20


class UnsafeArchiveError(ValueError):
    """The chart archive tries to escape its directory or is too large."""


def _check_name(name: str) -> str:
    clean = posixpath.normpath(name)
    if name.startswith("/") or clean.startswith("..") or "/../" in f"/{name}/" or \
            "\\" in name or "\0" in name or clean == ".":
        raise UnsafeArchiveError(f"archive member {name!r} escapes the chart directory")
    return clean


def extract_chart(archive: Path, destination: Path) -> Path:
    """Unpack into `destination/<top>/`; returns that chart dir."""
    destination.mkdir(mode=0o700, parents=True, exist_ok=True)
    total = members = 0
    tops: set[str] = set()
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                members += 1
                if members > MAX_MEMBERS:
                    raise UnsafeArchiveError(f"archive has more than {MAX_MEMBERS} members")
                name = _check_name(member.name)
                if not (member.isfile() or member.isdir()):
                    raise UnsafeArchiveError(f"archive member {member.name!r} is a link or "
                                             "special file")
                if member.size > MAX_MEMBER_BYTES:
                    raise UnsafeArchiveError(f"archive member {member.name!r} is larger than "
                                             f"{MAX_MEMBER_BYTES} bytes")
                total += member.size
                if total > MAX_TOTAL_BYTES:
                    raise UnsafeArchiveError(f"archive unpacks to more than {MAX_TOTAL_BYTES} "
                                             "bytes")
                tops.add(name.split("/", 1)[0])
                target = destination / name
                if member.isdir():
                    target.mkdir(mode=0o700, parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                source = tar.extractfile(member)
                if source is None:
                    raise UnsafeArchiveError(f"archive member {member.name!r} has no data")
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW,
                             0o600)
                with os.fdopen(fd, "wb") as out:
                    remaining = member.size
                    while remaining > 0:
                        block = source.read(min(remaining, 1 << 20))
                        if not block:
                            break
                        out.write(block)
                        remaining -= len(block)
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise UnsafeArchiveError(f"chart archive cannot be read: {exc}") from None
    if len(tops) != 1 or not (destination / next(iter(tops)) / "Chart.yaml").is_file():
        raise UnsafeArchiveError("chart archive must hold one directory with a Chart.yaml")
    return destination / next(iter(tops))
