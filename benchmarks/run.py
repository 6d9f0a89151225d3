"""Time gitops-guard and its peers side by side on the same generated corpus, in one run.

    python benchmarks/run.py --sizes 200,2000 [--tools gitops-guard,kubernetes-validate,...]
                             [--schema-only] [--repeat 3] [--write benchmarks/README.md]

For each size the corpus is generated once (cached under benchmarks/.work/ by size, seed
and invalid ratio), then every tool runs on the same files, one after the other. Each
run is a child process measured with os.wait4: wall time, CPU time (user + sys of the
child and anything it waited for) and peak RSS. A tool that is not installed is listed
as such, with the reason, never silently dropped.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / ".work"
PEERS_VENV = WORK / "peers-venv"
KUBERNETES_VERSION = "1.32"

# ---------------------------------------------------------------------------------------
# The exact command of each tool. Run with the corpus dir as the working directory.
#   {corpus}  the corpus dir ("."),   {files}  every YAML file in it, sorted (many args)
#   {schemas} kubeconform's -schema-location template (local, strict, offline)
# gitops-guard: the full check (schemas + built-in policies once they exist); with
# --schema-only the second line (policies off: `--no-builtin`, used once the CLI has it).
# checkov has no schema validation, so --schema-only leaves it out (shown as n/a).
# ---------------------------------------------------------------------------------------
COMMANDS: dict[str, list[str]] = {
    "gitops-guard": ["gitops-guard", "check", "--kubernetes-version", KUBERNETES_VERSION,
                     "{corpus}"],
    "gitops-guard/schema-only": ["gitops-guard", "check", "--kubernetes-version",
                                 KUBERNETES_VERSION, "--no-builtin", "{corpus}"],
    "kubernetes-validate": ["kubernetes-validate", "--strict", "-k",
                            f"{KUBERNETES_VERSION}.0", "{files}"],
    "kubeconform": ["kubeconform", "-strict", "-summary", "-kubernetes-version",
                    f"{KUBERNETES_VERSION}.0", "-schema-location", "{schemas}", "{corpus}"],
    "checkov": ["checkov", "-d", "{corpus}", "--framework", "kubernetes", "--quiet",
                "--compact", "--skip-download"],
}
VERSION_ARGS: dict[str, list[str]] = {
    "gitops-guard": ["--version"],
    "kubernetes-validate": ["--version"],
    "kubeconform": ["-v"],
    "checkov": ["--version"],
}
TOOLS = ("gitops-guard", "kubernetes-validate", "kubeconform", "checkov")
SLOW = frozenset({"kubernetes-validate", "checkov"})  # timed --slow-repeat times, no warm-up
POLICY_ONLY = frozenset({"checkov"})  # no schema validation: left out of --schema-only


# --------------------------------------------------------------------------- measuring

@dataclass
class Sample:
    wall: float
    cpu: float
    rss_kib: int
    code: int
    stdout: str
    stderr: str
    timed_out: bool = False


def measure(argv: Sequence[str], cwd: Path, timeout: float,
            extra_env: dict[str, str] | None = None) -> Sample:
    """Run argv once (no shell) and return its wall, CPU and peak RSS from wait4."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        env = {**os.environ, "NO_COLOR": "1", **(extra_env or {})}
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), cwd=cwd, stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        fired = threading.Event()

        def kill() -> None:
            fired.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped: keep Popen quiet
        out.seek(0)
        err.seek(0)
        return Sample(wall=wall, cpu=usage.ru_utime + usage.ru_stime,
                      rss_kib=usage.ru_maxrss, code=proc.returncode,
                      stdout=out.read().decode("utf-8", "replace"),
                      stderr=err.read().decode("utf-8", "replace"),
                      timed_out=fired.is_set())


# --------------------------------------------------------------------------- outputs

@dataclass
class Outcome:
    resources: str = "?"
    findings: str = "?"


def _gitops_guard(out: str) -> Outcome:
    m = re.search(r"^\d+ files?, (\d+) resources?, (\d+ errors?.*)$", out, re.M)
    return Outcome(m[1], m[2].strip()) if m else Outcome()


def _kubernetes_validate(out: str) -> Outcome:
    resources = len(re.findall(r"^(?:INFO|WARN\w*|ERROR) .* for resource ", out, re.M))
    errors = len(re.findall(r"^ERROR ", out, re.M))
    return Outcome(str(resources), str(errors))


def _kubeconform(out: str) -> Outcome:
    m = re.search(r"Summary: (\d+) resources? found in \d+ files? - Valid: \d+, "
                  r"Invalid: (\d+), Errors: (\d+)", out)
    return Outcome(m[1], str(int(m[2]) + int(m[3]))) if m else Outcome()


def _checkov(out: str) -> Outcome:
    m = re.search(r"Passed checks: (\d+), Failed checks: (\d+)", out)
    # checkov prints checks, not resources.
    return Outcome("n/r", f"{m[2]} failed checks") if m else Outcome()


PARSERS: dict[str, Callable[[str], Outcome]] = {
    "gitops-guard": _gitops_guard,
    "kubernetes-validate": _kubernetes_validate,
    "kubeconform": _kubeconform,
    "checkov": _checkov,
}

# --------------------------------------------------------------------------- tools


def find_binary(name: str) -> Path | None:
    """Our own venv for gitops-guard, the peers venv for peers, then PATH."""
    candidates = ([REPO / ".venv" / "bin" / name] if name == "gitops-guard"
                  else [PEERS_VENV / "bin" / name])
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which(name)
    return Path(found) if found else None


def tool_version(name: str, binary: Path) -> str:
    try:
        done = subprocess.run([str(binary), *VERSION_ARGS[name]], capture_output=True,
                              text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unknown ({exc})"
    text = (done.stdout or done.stderr).strip().splitlines()
    return text[0] if text else "unknown"


def kubeconform_schemas() -> tuple[str | None, str]:
    """A -schema-location template over kubernetes-validate's shipped strict schemas.

    Its `vX.Y.Z-local-strict/<kind>-<group>-<version>.json` layout is what kubeconform's
    template expects, but its $refs are absolute (`/api/_definitions.json#...`), which
    kubeconform would resolve to file:///api/...: so copy the version we need with the
    refs made relative, once, under benchmarks/.work/kubeconform-schemas/.
    """
    version_dir = f"v{KUBERNETES_VERSION}.0-local-strict"
    target = WORK / "kubeconform-schemas" / version_dir
    if not (target / "_definitions.json").is_file():
        sources = sorted(REPO.glob(
            f".venv/lib/python3*/site-packages/kubernetes_validate/kubernetes-json-schema/"
            f"{version_dir}"))
        sources += sorted(PEERS_VENV.glob(
            f"lib/python3*/site-packages/kubernetes_validate/kubernetes-json-schema/"
            f"{version_dir}"))
        if not sources:
            return None, "kubernetes-validate's schemas not found"
        tmp = target.with_name(target.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for src in sources[0].iterdir():
            text = src.read_text(encoding="utf-8")
            (tmp / src.name).write_text(text.replace('"/api/_definitions.json#',
                                                     '"_definitions.json#'), encoding="utf-8")
        tmp.rename(target)
    template = (str(WORK / "kubeconform-schemas")
                + "/{{ .NormalizedKubernetesVersion }}-local{{ .StrictSuffix }}"
                + "/{{ .ResourceKind }}{{ .KindSuffix }}.json")
    return template, ""


@dataclass
class Tool:
    name: str
    binary: Path | None
    version: str
    missing: str  # why it cannot run; "" when it can
    command_key: str = ""
    note: str = ""
    cache: str = ""  # gitops-guard: "cold" (empty load cache every run) or "warm"

    @property
    def label(self) -> str:
        return f"{self.name}, warm cache" if self.cache == "warm" else self.name

    def argv(self, files: list[str], schemas: str | None) -> list[str]:
        template = COMMANDS[self.command_key]
        out: list[str] = [str(self.binary)]
        for arg in template[1:]:
            if arg == "{files}":
                out.extend(files)
            elif arg == "{corpus}":
                out.append(".")
            elif arg == "{schemas}":
                out.append(schemas or "")
            else:
                out.append(arg)
        return out


def discover(names: Sequence[str], schema_only: bool) -> tuple[list[Tool], str | None]:
    tools: list[Tool] = []
    schemas: str | None = None
    for name in names:
        binary = find_binary(name)
        if binary is None:
            hint = {"kubeconform": "not on PyPI, npm or Debian (the registries reachable "
                                   "here); put the binary on PATH",
                    }.get(name, f"pip install it into {PEERS_VENV.relative_to(REPO)}")
            tools.append(Tool(name, None, "-", f"not installed ({hint})", name))
            continue
        if schema_only and name in POLICY_ONLY:
            tools.append(Tool(name, binary, tool_version(name, binary),
                              "n/a: no schema validation (policy checks only)", name))
            continue
        tool = Tool(name, binary, tool_version(name, binary), "", name)
        if name == "gitops-guard" and schema_only:
            if has_flag(binary, "--no-builtin"):
                tool.command_key = "gitops-guard/schema-only"
            else:
                tool.note = "no --no-builtin yet: the check is schema-only today"
        if name == "kubeconform":
            schemas, why = kubeconform_schemas()
            if schemas is None:
                tool.missing = f"no local schemas: {why}"
        if name == "gitops-guard":
            # Cold: an empty load cache for every run (what a first run or a CI job without
            # a cache sees). Warm: the warm-up run fills it, the timed runs reuse it.
            tool.cache = "cold"
            tools.append(tool)
            tool = Tool(name, binary, tool.version, "", tool.command_key, tool.note, "warm")
        tools.append(tool)
    return tools, schemas


def has_flag(binary: Path, flag: str) -> bool:
    try:
        done = subprocess.run([str(binary), "check", "--help"], capture_output=True,
                              text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return flag in done.stdout


# --------------------------------------------------------------------------- corpus

def corpus_for(size: int, seed: int, invalid_ratio: float) -> Path:
    """Generate the corpus once per (size, seed, ratio); reuse it when complete."""
    sys.path.insert(0, str(HERE))
    from generate import generate  # the sibling script

    folder = WORK / f"corpus-{size}-s{seed}-i{invalid_ratio:g}"
    marker = folder / ".complete"
    if not marker.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        stats = generate(size, folder, seed, invalid_ratio, force=True)
        # Pin the tool's config so a .gitops-guard.yaml elsewhere in the repo cannot apply.
        (folder / ".gitops-guard.yaml").write_text(
            f'kubernetes_version: "{KUBERNETES_VERSION}"\n', encoding="utf-8")
        marker.write_text(stats.summary() + "\n", encoding="utf-8")
        print(f"generated {folder.relative_to(REPO)}: {stats.summary()}", file=sys.stderr)
    return folder


# --------------------------------------------------------------------------- running

@dataclass
class Row:
    tool: Tool
    size: int
    samples: list[Sample] = field(default_factory=list)
    outcome: Outcome = field(default_factory=Outcome)
    load: str = ""
    note: str = ""
    skipped: str = ""

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def rss_mib(self) -> float:
        return max(s.rss_kib for s in self.samples) / 1024


def loadavg() -> str:
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "?"


def run_tool(tool: Tool, size: int, corpus: Path, schemas: str | None,
             args: argparse.Namespace) -> Row:
    row = Row(tool, size)
    if tool.missing:
        return row
    if tool.name in SLOW and size > args.max_slow_size:
        row.skipped = f"skipped: over --max-slow-size {args.max_slow_size:,}"
        return row
    files = sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*.yaml")
                   if not p.name.startswith("."))
    argv = tool.argv(files, schemas)
    slow = tool.name in SLOW
    repeat = args.slow_repeat if slow else args.repeat
    row.load = loadavg()
    caches = WORK / "xdg-cache"
    caches.mkdir(parents=True, exist_ok=True)
    warm = tempfile.mkdtemp(dir=caches) if tool.cache == "warm" else ""

    def env() -> dict[str, str]:
        if not tool.cache:
            return {}
        return {"XDG_CACHE_HOME": warm or tempfile.mkdtemp(dir=caches)}

    if not slow:
        for _ in range(args.warmup):
            measure(argv, corpus, args.timeout, env())
    for i in range(repeat):
        sample = measure(argv, corpus, args.timeout, env())
        row.samples.append(sample)
        print(f"  {tool.label:<26} {size:>6} run {i + 1}/{repeat}: {sample.wall:7.2f} s wall "
              f"{sample.cpu:7.2f} s cpu  exit {sample.code}"
              + ("  TIMEOUT" if sample.timed_out else ""), file=sys.stderr)
        if sample.timed_out:
            break
    shutil.rmtree(caches, ignore_errors=True)
    last = row.samples[-1]
    row.outcome = PARSERS[tool.name](last.stdout + "\n" + last.stderr)
    if last.code not in (0, 1) or last.timed_out:
        tail = (last.stderr.strip() or last.stdout.strip()).splitlines()[-1:]
        row.note = (
            f"timed out after {args.timeout:g} s" if last.timed_out
            else f"exit {last.code}: {tail[0][:120] if tail else ''}")
    return row


# --------------------------------------------------------------------------- report

def machine() -> str:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def table(rows: list[Row], schema_only: bool) -> str:
    lines = ["| resources | tool | wall s (median) | CPU s | peak RSS MiB | resources seen "
             "| findings | exit | runs | load | wall vs gitops-guard |",
             "|---:|---|---:|---:|---:|---:|---|---:|---:|---:|---:|"]
    base: dict[int, float] = {}
    for row in rows:
        if row.tool.name == "gitops-guard" and row.tool.cache != "warm" and row.samples:
            base[row.size] = row.wall
    for row in rows:
        name = row.tool.label + (" (schema-only)" if schema_only and row.tool.name ==
                                 "gitops-guard" else "")
        if not row.samples:
            why = row.tool.missing.split(" (")[0] or row.skipped
            lines.append(f"| {row.size:,} | {name} | {why} | | | | | | | | |")
            continue
        if row.tool.cache == "warm" and row.size in base:
            ratio = f"{row.wall / base[row.size]:.2f}x (warm)"
        elif row.tool.name == "gitops-guard":
            ratio = "1.0x"
        else:
            ratio = f"{row.wall / base[row.size]:.1f}x slower" if row.size in base else "-"
        timed_out = any(s.timed_out for s in row.samples)
        wall = f"> {row.wall:.2f}" if timed_out else f"{row.wall:.2f}"
        lines.append(
            f"| {row.size:,} | {name} | {wall} | {row.cpu:.2f} | {row.rss_mib:.0f} | "
            f"{row.outcome.resources} | {row.outcome.findings} | {row.samples[-1].code} | "
            f"{len(row.samples)} | {row.load} | {ratio} |")
    return "\n".join(lines)


def report(rows: list[Row], tools: list[Tool], args: argparse.Namespace,
           schemas: str | None) -> str:
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        f"Measured {when} on {machine()}; corpus seed {args.seed}, invalid ratio "
        f"{args.invalid_ratio:g}; {'schema validation only' if args.schema_only else 'full check'}"
        f"; gitops-guard byte-compiled first ({'no' if args.no_compile else 'yes'}: "
        "`compileall`, as a regular pip install does)"
        f"; wall and CPU are medians of the timed runs ({args.repeat} for fast tools after "
        f"{args.warmup} warm-up, {args.slow_repeat} for slow ones), RSS the peak; "
        "load = 1-minute load average before the tool ran (2 means both cores busy).",
        "",
        table(rows, args.schema_only),
        "",
        "Versions and exact commands (run in the corpus dir; `{files}` = every YAML file "
        "in it, sorted):",
        "",
    ]
    for tool in tools:
        if tool.binary is None:
            parts.append(f"- {tool.name}: {tool.missing}")
            continue
        shown = [tool.name, *COMMANDS[tool.command_key][1:]]
        command = " ".join("'" + schemas + "'" if a == "{schemas}" and schemas else a
                           for a in shown).replace("{corpus}", ".")
        extra = f" ({tool.note})" if tool.note else ""
        if tool.cache == "warm":
            parts.append(f"- {tool.label}: the same command; the warm-up run fills the load "
                         "cache (XDG_CACHE_HOME kept between runs), the timed runs reuse it")
            continue
        if tool.cache == "cold":
            extra += " (cold: an empty XDG_CACHE_HOME for every run, so every file is parsed)"
        parts.append(f"- {tool.name} `{tool.version}`: `{command}`{extra}")
    parts.extend(f"- note, {row.tool.name} at {row.size:,}: {row.note}"
                 for row in rows if row.note)
    return "\n".join(parts) + "\n"


def write_section(path: Path, text: str, mode: str) -> None:
    """Replace the generated section for `mode` in path (between markers), or append one."""
    start = f"<!-- benchmarks/run.py {mode}: start -->"
    end = f"<!-- benchmarks/run.py {mode}: end -->"
    block = f"{start}\n{text}{end}\n"
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    if start in old and end in old:
        head, rest = old.split(start, 1)
        after = rest.split(end, 1)[1].lstrip("\n")
        new = head + block + ("\n" + after if after else "")
    else:
        new = old + ("\n" if old and not old.endswith("\n\n") else "") + block
    path.write_text(new, encoding="utf-8")


def compile_bytecode() -> None:
    """Byte-compile gitops-guard's modules and built-in policies, as `pip install` does for
    a regular install. This checkout is an editable install, and where
    PYTHONDONTWRITEBYTECODE is set (it is on this machine) Python would otherwise compile
    ~100 modules from source on every run (~20 ms at start-up), which no installed copy
    pays."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "gitops_guard"),
                    str(REPO / "policies")], check=True, stdout=subprocess.DEVNULL,
                   timeout=120)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sizes", default="200,2000",
                        help="comma-separated resource counts (default 200,2000)")
    parser.add_argument("--tools", default=",".join(TOOLS),
                        help=f"comma-separated, from {', '.join(TOOLS)}")
    parser.add_argument("--schema-only", action="store_true",
                        help="schema validation only (gitops-guard --no-builtin; no checkov)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs, fast tools")
    parser.add_argument("--slow-repeat", type=int, default=1,
                        help="timed runs for kubernetes-validate and checkov (default 1)")
    parser.add_argument("--warmup", type=int, default=1,
                        help="untimed runs before timing, fast tools only (default 1)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per run")
    parser.add_argument("--max-slow-size", type=int, default=2000, metavar="N",
                        help="skip kubernetes-validate and checkov above N resources "
                             "(they take minutes; default 2000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--invalid-ratio", type=float, default=0.01,
                        help="fraction of resources with a mistake, so there are findings")
    parser.add_argument("--no-compile", action="store_true",
                        help="do not byte-compile gitops-guard first (see compile_bytecode)")
    parser.add_argument("--write", type=Path, metavar="README",
                        help="also write the result into this Markdown file's "
                             "generated section")
    args = parser.parse_args(argv)
    try:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s]
    except ValueError:
        parser.error("--sizes takes integers, e.g. 200,2000")
    names = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = sorted(set(names) - set(TOOLS))
    if unknown:
        parser.error(f"unknown tool(s): {', '.join(unknown)}; choose from {', '.join(TOOLS)}")
    tools, schemas = discover(names, args.schema_only)
    if not args.no_compile:
        compile_bytecode()
    rows: list[Row] = []
    for size in sizes:
        corpus = corpus_for(size, args.seed, args.invalid_ratio)
        rows.extend(run_tool(tool, size, corpus, schemas, args) for tool in tools)
    text = report(rows, tools, args, schemas)
    sys.stdout.write(text)
    if args.write:
        write_section(args.write, text, "schema-only" if args.schema_only else "full")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
