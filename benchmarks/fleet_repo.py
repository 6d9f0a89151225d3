"""Fleet benchmark: one PR check over many environments, unsharded and as N shards.

    python benchmarks/fleet_repo.py [--envs 100] [--resources 500] [--charts 8]
                                    [--shards 1,2,4,8] [--out DIR]

Generates a Git repository of `--envs` clusters (benchmarks/generate.py corpus per
cluster, sizes varied from 0.5x to 1.5x `--resources` so the partition has to balance;
every fifth cluster a kustomize overlay, the rest plain directories), each with
`--charts` Flux HelmReleases of two charts served by the loopback chart repository
(benchmarks/fleet_charts.py; counted in the cluster's resources), commits it on
`main`, then a PR commit touching every cluster (a ConfigMap added, the `service` chart
bumped to 1.1.0 in every release of it). Then, for each N, runs every shard
`gitops-guard ci --base main --shard K/N --bundle` one after another (as the CI's
matrix would in parallel; each job cold, with empty caches) and `ci merge`, and prints
each shard's wall time, the longest, the balance (longest / mean shard, target <= 1.25),
the merge time (target < 2 s) and whether the merged outputs equal the unsharded run's.
Each job's CPU time (user + sys, its child processes included) is printed beside its
wall time: on a machine other work shares, the CPU balance is the steadier measure.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).parent))
from fleet_charts import chart_repository, chart_resources, releases_yaml
from generate import build, to_yaml

GUARD = [sys.executable, "-m", "gitops_guard"]
PR_CHANGE = ("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pr-change\n"
             "  namespace: {}\ndata:\n  changed: \"yes\"\n")


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def generate_fleet(root: Path, envs: int, resources: int, charts: int = 0, url: str = ""
                   ) -> None:
    config = ["environments:"]
    for i in range(envs):
        name = f"cluster-{i:03d}"
        size = max(1, round(resources * (0.5 + (i * 37 % envs) / envs)))
        folder = root / "clusters" / name
        folder.mkdir(parents=True)
        if charts:
            size = max(1, size - chart_resources(charts))
            (folder / "charts.yaml").write_text(releases_yaml(url, name, charts, False),
                                                encoding="utf-8")
        corpus = build(size, seed=1000 + i)
        if i % 5 == 0:
            app_dir = folder / "apps"
            app_dir.mkdir()
            files = ["charts.yaml"] if charts else []
            for n, (_, docs) in enumerate(corpus):
                (app_dir / f"app{n:03d}.yaml").write_text(to_yaml(docs), encoding="utf-8")
                files.append(f"apps/app{n:03d}.yaml")
            (folder / "kustomization.yaml").write_text(
                "resources:\n" + "".join(f"  - {f}\n" for f in files), encoding="utf-8")
            config.append(f"  {name}: {{path: clusters/{name}, kind: kustomize}}")
        else:
            for n, (_, docs) in enumerate(corpus):
                (folder / f"app{n:03d}.yaml").write_text(to_yaml(docs), encoding="utf-8")
            config.append(f"  {name}: {{path: clusters/{name}, kind: plain}}")
    (root / ".gitops-guard.yaml").write_text("\n".join(config) + "\n", encoding="utf-8")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "-c", "user.email=b@example.com", "-c", "user.name=b", "add", ".")
    _git(root, "-c", "user.email=b@example.com", "-c", "user.name=b", "commit", "-qm", "fleet")
    _git(root, "checkout", "-qb", "pr")
    for folder in sorted((root / "clusters").iterdir()):
        first = sorted(folder.rglob("app000.yaml"))[0]
        first.write_text(first.read_text() + PR_CHANGE.format(folder.name), encoding="utf-8")
        if charts:
            (folder / "charts.yaml").write_text(releases_yaml(url, folder.name, charts, True),
                                                encoding="utf-8")
    _git(root, "-c", "user.email=b@example.com", "-c", "user.name=b", "commit", "-qam", "pr")


class Job(NamedTuple):
    wall: float  # seconds
    cpu: float  # user + sys seconds of the job and its children (kubectl, chart fetches)
    proc: subprocess.CompletedProcess[str]


def _env(cache: str, root: Path) -> dict[str, str]:
    # Bytecode compiled once (as `pip install` leaves it), kept out of the source tree.
    env = {**os.environ, "XDG_CACHE_HOME": cache,
           "PYTHONPYCACHEPREFIX": str(root.parent / "pycache")}
    for var in ("GITHUB_ACTIONS", "GITLAB_CI", "CI_NODE_INDEX", "CI_NODE_TOTAL",
                "PYTHONDONTWRITEBYTECODE"):
        env.pop(var, None)
    return env


def _start(root: Path, cache: str, *args: str) -> tuple[subprocess.Popen[str], float]:
    proc = subprocess.Popen([*GUARD, "ci", "--base", "main", *args], cwd=root, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(cache, root))
    return proc, time.perf_counter()


def _run(root: Path, *args: str) -> Job:
    """One job, cold like a fresh CI runner: its own empty load, render and chart caches."""
    with tempfile.TemporaryDirectory(prefix="fleet-cache-") as cache:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        proc, start = _start(root, cache, *args)
        out, err = proc.communicate()
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"gitops-guard ci {' '.join(args)} exited {proc.returncode}:\n{err}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return Job(elapsed, cpu, subprocess.CompletedProcess(proc.args, proc.returncode, out, err))


def _run_together(root: Path, jobs: Sequence[tuple[str, ...]]) -> list[Job]:
    """Every job at once, as the CI's matrix runs them (each with its own cold caches).
    Each job's CPU comes from os.wait4 (the job and the children it waited for), its wall
    time from the moment it is reaped."""
    with contextlib.ExitStack() as stack:
        caches = [stack.enter_context(tempfile.TemporaryDirectory(prefix="fleet-cache-"))
                  for _ in jobs]
        started = [_start(root, cache, *args) for cache, args in zip(caches, jobs, strict=True)]
        output: dict[tuple[int, int], list[str]] = {
            (proc.pid, n): [] for proc, _ in started for n in (1, 2)}
        readers = [threading.Thread(target=lambda s=stream, c=output[proc.pid, n]: c.append(
            s.read())) for proc, _ in started
            for n, stream in ((1, proc.stdout), (2, proc.stderr))]
        for reader in readers:
            reader.start()
        ended: dict[int, tuple[float, int, float]] = {}
        while len(ended) < len(started):
            pid, status, usage = os.wait4(-1, 0)
            ended[pid] = (time.perf_counter(), os.waitstatus_to_exitcode(status),
                          usage.ru_utime + usage.ru_stime)
        for reader in readers:
            reader.join()
    done = []
    for (proc, start), args in zip(started, jobs, strict=True):
        end, code, cpu = ended[proc.pid]
        proc.returncode = code
        out, err = ("".join(output[proc.pid, n]) for n in (1, 2))
        if code not in (0, 1):
            raise SystemExit(f"gitops-guard ci {' '.join(args)} exited {code}:\n{err}")
        done.append(Job(end - start, cpu, subprocess.CompletedProcess(proc.args, code, out, err)))
    return done


def _outputs(out: Path, proc: subprocess.CompletedProcess[str]) -> tuple[object, ...]:
    return (proc.returncode, proc.stdout, (out / "r.sarif").read_text(),
            (out / "r.xml").read_text())


def _load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _unsharded(root: Path, out: Path, reports: tuple[str, ...]) -> tuple[Job, dict[str, object]]:
    job = _run(root, *reports)
    (out / "stdout.txt").write_text(job.proc.stdout, encoding="utf-8")
    lines = job.proc.stdout.splitlines()
    summary = next((line.strip() for line in lines if " resources, " in line), "")
    unrendered = sum(" GG104 " in line or " GG110 " in line for line in lines)
    print(f"N=1 (one runner, unsharded): wall {job.wall:.1f} s, cpu {job.cpu:.1f} s, exit "
          f"{job.proc.returncode} ({summary}; {unrendered} sources not rendered); {_load()}",
          flush=True)
    return job, {"wall": round(job.wall, 2), "cpu": round(job.cpu, 2)}


def _balance(values: list[float]) -> float:
    return max(values) / (sum(values) / len(values))


def measure(root: Path, work: Path, shard_counts: list[int], parallel: bool = False
            ) -> dict[str, dict[str, object]]:
    """N = 1 (unsharded), then each N: its shards one after another (`parallel`: all at
    once), then the merge."""
    reference: tuple[object, ...] | None = None
    results: dict[str, dict[str, object]] = {}
    for n in shard_counts:
        out = work / f"n{n}"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        reports = ("--sarif", str(out / "r.sarif"), "--junit", str(out / "r.xml"))
        if n == 1:
            job, results["1"] = _unsharded(root, out, reports)
            reference = _outputs(out, job.proc)
            continue
        shard_args = [("--shard", f"{k}/{n}", "--bundle", str(out / f"{k}.json"))
                      for k in range(1, n + 1)]
        jobs = (_run_together(root, shard_args) if parallel
                else [_run(root, *args) for args in shard_args])
        walls, cpus = [j.wall for j in jobs], [j.cpu for j in jobs]
        merge = _run(root, "merge", *(str(out / f"{k}.json") for k in range(1, n + 1)),
                     *reports)
        same = reference is None or _outputs(out, merge.proc) == reference
        print(f"N={n}: shards wall {', '.join(f'{t:.1f}' for t in walls)} s (longest "
              f"{max(walls):.1f}, balance {_balance(walls):.2f}); cpu "
              f"{', '.join(f'{t:.1f}' for t in cpus)} s (balance {_balance(cpus):.2f}; "
              f"target <= 1.25); merge wall {merge.wall:.2f} s, cpu {merge.cpu:.2f} s "
              f"(target < 2); identical to N=1: {same}; {_load()}", flush=True)
        results[str(n)] = {
            "wall": [round(t, 2) for t in walls], "cpu": [round(t, 2) for t in cpus],
            "longest": round(max(walls), 2), "balance_wall": round(_balance(walls), 3),
            "balance_cpu": round(_balance(cpus), 3), "merge_wall": round(merge.wall, 2),
            "merge_cpu": round(merge.cpu, 2), "identical": same}
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--envs", type=int, default=100)
    parser.add_argument("--resources", type=int, default=500, help="mean per environment")
    parser.add_argument("--charts", type=int, default=8,
                        help="HelmReleases per environment (0: no charts)")
    parser.add_argument("--shards", default="1,2,4,8")
    parser.add_argument("--out", type=Path, help="keep the repository and bundles here")
    parser.add_argument("--parallel", action="store_true",
                        help="run the shards of each N at once (wall times then share the "
                             "machine; compare CPU times)")
    args = parser.parse_args(argv)
    work = args.out or Path(tempfile.mkdtemp(prefix="fleet-bench-"))
    root = work / "repo"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    print(f"start: {_load()} ({os.cpu_count()} cores)", flush=True)
    with chart_repository(work) if args.charts else contextlib.nullcontext("") as url:
        start = time.perf_counter()
        generate_fleet(root, args.envs, args.resources, args.charts, url)
        print(f"fleet: {args.envs} environments x ~{args.resources} resources "
              f"({args.charts} HelmReleases each), generated in "
              f"{time.perf_counter() - start:.1f} s ({root})", flush=True)
        results = measure(root, work, [int(x) for x in args.shards.split(",")],
                          args.parallel)
    print(json.dumps(results))
    if args.out is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
