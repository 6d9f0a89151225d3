"""Render cost of HelmReleases from remote charts: warm chart cache and cold fetch.

    .venv/bin/python benchmarks/render.py [--releases 50] [--charts 5] [--runs 5]

Builds `--charts` tiny charts, serves them from a loopback HTTP chart repository
(`index.yaml` written by Helm), and a repository with `--releases` HelmReleases spread
over them (each with its own values). Prints:

- cold: one fetch per chart into an empty cache (the Helm client in a child process:
  index, pull, digest check, unpack), median and max per chart;
- warm: the whole environment rendered from the warm cache (no network), `--runs`
  times; the median per release (total / releases). Budget: under 0.15 s per release
  (design.md §8).

Needs the extra `gitops-guard[helm]` (helm-python-sdk) or `helm` on PATH.
"""
from __future__ import annotations

import argparse
import functools
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from gitops_guard.render import render_environment  # noqa: E402
from gitops_guard.render.charts import ChartOptions, ChartSource, locate_chart  # noqa: E402
from gitops_guard.render.model import Environment  # noqa: E402

BUDGET = 0.15
TEMPLATE = """apiVersion: apps/v1
kind: Deployment
metadata: {name: "{{ .Release.Name }}"}
spec:
  replicas: {{ .Values.replicas }}
  selector: {matchLabels: {app: "{{ .Release.Name }}"}}
  template:
    metadata: {labels: {app: "{{ .Release.Name }}"}}
    spec:
      containers:
        - {name: app, image: "{{ .Values.image }}"}
---
apiVersion: v1
kind: Service
metadata: {name: "{{ .Release.Name }}"}
spec:
  selector: {app: "{{ .Release.Name }}"}
  ports: [{port: 80}]
"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


def _charts(work: Path, count: int) -> Path:
    import helm_python
    served = work / "served"
    served.mkdir()
    for i in range(count):
        chart = work / "src" / f"app{i}"
        (chart / "templates").mkdir(parents=True)
        (chart / "Chart.yaml").write_text(f"apiVersion: v2\nname: app{i}\nversion: 1.0.{i}\n")
        (chart / "values.yaml").write_text("replicas: 1\nimage: example/app:1\n")
        (chart / "templates" / "app.yaml").write_text(TEMPLATE)
        helm_python.package(chart, destination=served)
    return served


def _fleet(work: Path, url: str, releases: int, charts: int) -> Path:
    root = work / "fleet"
    (root / "clusters" / "bench").mkdir(parents=True)
    docs = [f"apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata: "
            f"{{name: bench, namespace: flux-system}}\nspec: {{url: \"{url}\"}}\n"]
    for i in range(releases):
        docs.append(
            f"apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: "
            f"{{name: rel{i}, namespace: apps}}\nspec:\n  chart:\n    spec:\n"
            f"      chart: app{i % charts}\n      version: \"1.x\"\n      sourceRef: "
            f"{{kind: HelmRepository, name: bench, namespace: flux-system}}\n"
            f"  values: {{replicas: {1 + i % 3}, image: \"example/rel{i}:1\"}}\n")
    (root / "clusters" / "bench" / "releases.yaml").write_text("---\n".join(docs))
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--releases", type=int, default=50)
    parser.add_argument("--charts", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    import helm_python
    with tempfile.TemporaryDirectory(prefix="gg-render-bench-") as tmp:
        work = Path(tmp)
        served = _charts(work, args.charts)
        handler = functools.partial(_Quiet, directory=str(served))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}"
        helm_python.repo_index_generate(served, base_url=url)
        cache = work / "cache"
        cold = []
        for i in range(args.charts):
            started = time.perf_counter()
            located = locate_chart(ChartSource(url, f"app{i}", "1.x", "bench"),
                                   ChartOptions(cache, fetch=True))
            cold.append(time.perf_counter() - started)
            assert located.path is not None, located.reason
        root = _fleet(work, url, args.releases, args.charts)
        env = Environment("bench", "clusters/bench", kind="plain",
                          charts=ChartOptions(cache, fetch=False))
        warm = []
        for _ in range(args.runs + 1):
            started = time.perf_counter()
            result = render_environment(env, root, use_cache=False)
            warm.append(time.perf_counter() - started)
        server.shutdown()
    deployments = sum(1 for d in result.documents if d.data.get("kind") == "Deployment")
    assert deployments == args.releases, (deployments, result.findings[:3])
    per_release = [t / args.releases for t in warm[1:]]  # the first run warms imports
    median = statistics.median(per_release)
    print(f"cold fetch (loopback HTTP repository, {args.charts} charts): median "
          f"{statistics.median(cold):.3f} s, max {max(cold):.3f} s per chart")
    print(f"warm render ({args.releases} HelmReleases, {args.runs} runs): median "
          f"{statistics.median(warm[1:]):.2f} s per environment, {median:.3f} s per release "
          f"(budget {BUDGET} s): {'ok' if median < BUDGET else 'OVER BUDGET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
