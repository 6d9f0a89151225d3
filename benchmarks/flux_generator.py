"""What a Flux Kustomization over a directory without a kustomization file costs to render.

    python benchmarks/flux_generator.py [--files 2000] [--dirs 50] [--repeat 5]

Writes a bootstrapped fleet (clusters/prod/flux-system + one Kustomization over ./apps)
with `--files` ConfigMaps spread over `--dirs` subdirectories in a temp git repo, then
times, in-process, the generator's walk alone (render/flux/generator.scan_manifests)
and the whole environment render without the cache (walk + kustomize build + load).
Prints the medians and the per-file cost.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import yaml

from gitops_guard.render import render_environment
from gitops_guard.render.flux.generator import scan_manifests
from gitops_guard.render.flux.sourceignore import SourceIgnore
from gitops_guard.render.model import Environment

SYNC = """\
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: flux-system}
spec: {interval: 1m, url: https://github.com/example/fleet.git}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: flux-system, namespace: flux-system}
spec: {interval: 10m, path: ./clusters/prod, prune: true,
       sourceRef: {kind: GitRepository, name: flux-system}}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: flux-system}
spec: {interval: 10m, path: ./apps, prune: true, targetNamespace: apps,
       sourceRef: {kind: GitRepository, name: flux-system}}
"""


def fleet(root: Path, files: int, dirs: int) -> None:
    (root / "clusters/prod/flux-system").mkdir(parents=True)
    (root / "clusters/prod/flux-system/gotk-sync.yaml").write_text(SYNC)
    for i in range(files):
        folder = root / "apps" / f"app{i % dirs:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        doc = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"cm-{i}"},
               "data": {f"key{j}": "v" * 40 for j in range(30)}}
        (folder / f"cm-{i}.yaml").write_text(yaml.safe_dump(doc))
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "remote", "add", "origin",
                    "https://github.com/example/fleet.git"], check=True)


def median_seconds(run: object, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--dirs", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="flux-generator-") as tmp:
        root = Path(tmp) / "fleet"
        fleet(root, args.files, args.dirs)
        apps = root / "apps"
        walk = median_seconds(lambda: scan_manifests(apps, root, SourceIgnore(root)),
                              args.repeat)
        env = Environment("prod", "clusters/prod", "")
        result = render_environment(env, root, use_cache=False)
        rendered = sum(1 for d in result.documents if d.data.get("kind") == "ConfigMap")
        if rendered != args.files:
            raise SystemExit(f"rendered {rendered} ConfigMaps, expected {args.files}")
        whole = median_seconds(lambda: render_environment(env, root, use_cache=False),
                               args.repeat)
    print(f"{args.files} files in {args.dirs} dirs, median of {args.repeat}:")
    print(f"  generator walk   {walk:.3f} s  ({walk / args.files * 1000:.3f} ms/file)")
    print(f"  render, no cache {whole:.3f} s  ({whole / args.files * 1000:.3f} ms/file)")


if __name__ == "__main__":
    main()
