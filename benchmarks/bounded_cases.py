"""Time and peak memory of the hostile inputs gitops-guard must bound (docs/security.md,
"Bounded"), each at the limits a user gets by default unless the case says otherwise.

    python benchmarks/bounded_cases.py [CASE ...]

Each case is written into a fresh git repo under a temp dir and checked with
`/usr/bin/time -v gitops-guard check ...` (GITOPS_GUARD_NO_CACHE=1). Prints per case:
the exit code, the rule ids found, the wall time and the peak resident memory of the
biggest process of the run (the tool or a child it waited for).
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TOOL = REPO / ".venv" / "bin" / "gitops-guard"
CHART_ENV = "environments:\n  staging:\n    path: charts/web\n"
CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata:\n  x: "BODY"\n'


def _chart(root: Path, body: str, config: str = "") -> list[str]:
    (root / "charts/web/templates").mkdir(parents=True)
    (root / "charts/web/Chart.yaml").write_text("apiVersion: v2\nname: web\nversion: 0.1.0\n")
    (root / "charts/web/templates/cm.yaml").write_text(CONFIGMAP.replace("BODY", body))
    (root / ".gitops-guard.yaml").write_text(CHART_ENV + config)
    return ["check", "--env", "staging"]


def helm_memory(root: Path) -> list[str]:
    """`{{ range until 1000000000 }}x{{ end }}` at the default limits (4096 MB, 120 s)."""
    return _chart(root, "{{ range until 1000000000 }}x{{ end }}")


def helm_timeout(root: Path) -> list[str]:
    """10^10 template steps that allocate little, `timeouts: {render_seconds: 10}`."""
    return _chart(root, "{{ range until 100000 }}{{ range until 100000 }}{{ end }}{{ end }}",
                  "timeouts: {render_seconds: 10}\n")


def alias_bytes(root: Path) -> list[str]:
    """One 8 MiB string aliased 100,000 times (9.6 MB of file, 800 GB expanded) in a
    kustomize environment: loaded by the check, refused before kustomize runs."""
    (root / "apps").mkdir()
    (root / "apps/kustomization.yaml").write_text("resources: [bomb.yaml]\n")
    (root / "apps/bomb.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\n"
        f'data:\n  a: &big_value "{"x" * (8 << 20)}"\n'
        f"  b: [{', '.join(['*big_value'] * 100_000)}]\n")
    (root / ".gitops-guard.yaml").write_text("environments:\n  staging:\n    path: apps\n")
    return ["check", "apps", "--env", "staging"]


def _terraform(root: Path, size: int) -> list[str]:
    block = ('resource "aws_s3_bucket" "b@" {\n  bucket = "logs-@"\n  tags = {\n'
             '    Name = "bucket @"\n    Env  = var.env\n  }\n'
             "  lifecycle_rule {\n    enabled = true\n  }\n}\n")
    text = "".join(block.replace("@", str(i)) for i in range(size // len(block) + 1))
    (root / "main.tf").write_text(text[:text.rindex("resource", 0, size)])
    return ["check", "main.tf"]


def hcl_2mb(root: Path) -> list[str]:
    """2 MB of ordinary Terraform (25 s and 1.3 GB to parse): refused by its size."""
    return _terraform(root, 2_000_000)


def hcl_at_limit(root: Path) -> list[str]:
    """Just under load_limits.max_hcl_bytes (512 KiB): the most one file may cost."""
    return _terraform(root, 520_000)


CASES: dict[str, Callable[[Path], list[str]]] = {
    "hcl_2mb": hcl_2mb,
    "hcl_at_limit": hcl_at_limit,
    "helm_memory": helm_memory,
    "helm_timeout": helm_timeout,
    "alias_bytes": alias_bytes,
}


def measure(name: str) -> str:
    with tempfile.TemporaryDirectory(prefix=f"bounded-{name}-") as tmp:
        root = Path(tmp)
        argv = CASES[name](root)
        subprocess.run(["git", "init", "-q", str(root)], check=True)
        run = subprocess.run(["/usr/bin/time", "-v", str(TOOL), *argv], cwd=root,
                             capture_output=True, text=True,
                             env={"PATH": "/usr/bin:/bin", "GITOPS_GUARD_NO_CACHE": "1",
                                  "HOME": tmp, "XDG_CACHE_HOME": f"{tmp}/.xdg"})
    wall = re.search(r"Elapsed \(wall clock\) time.*: (\S+)", run.stderr)
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr)
    code = re.search(r"Exit status: (\d+)", run.stderr)
    ids = sorted(set(re.findall(r"\b(GG\d{3})\b", run.stdout)))
    return (f"{name:14} exit {code.group(1) if code else '?'}  {','.join(ids) or '-':12} "
            f"wall {wall.group(1) if wall else '?':>8}  "
            f"peak {int(peak.group(1)) // 1024 if peak else 0:>6} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", metavar="CASE", help=", ".join(CASES))
    names = parser.parse_args().cases or list(CASES)
    unknown = [n for n in names if n not in CASES]
    if unknown:
        parser.error(f"unknown case(s) {', '.join(unknown)}; choose from {', '.join(CASES)}")
    for name in names:
        print(measure(name), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
