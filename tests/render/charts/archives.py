"""Chart archives written by hand with tarfile, shaped as `helm package` writes them (or
as a hostile archive would be)."""
from __future__ import annotations

import io
import tarfile
from pathlib import Path

CHART_YAML = b"apiVersion: v2\nname: web\nversion: 1.0.0\n"


def archive(path: Path, members: list[tuple[str, bytes | None]],
            links: dict[str, tuple[bytes, str]] | None = None) -> Path:
    """A .tgz of `members` (name, data; None = a directory) and `links` (name -> (type, target))."""
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            if data is None:
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        for name, (kind, target) in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type, info.linkname = kind, target
            tar.addfile(info)
    return path


def chart_archive(path: Path, name: str = "web", values: bytes = b"replicas: 1\n") -> Path:
    return archive(path, [(f"{name}/", None), (f"{name}/Chart.yaml", CHART_YAML),
                          (f"{name}/values.yaml", values),
                          (f"{name}/templates/cm.yaml", b"kind: ConfigMap\n")])
