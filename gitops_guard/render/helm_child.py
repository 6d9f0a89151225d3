"""One helm-python-sdk render, run as its own process by helm_sdk.py.

Run by path with `python -I` (stdlib and helm_python only: no package import, nothing
from the working directory on sys.path), under the limits run_tool gives every tool.
Helm's Go code cannot be interrupted from Python, so a template looping a billion times
ends with this process, not the job's.

Request (JSON on stdin, so values never appear in a process listing):
    {"chart": "/abs/dir", "release": "name", "namespace": "ns", "values": {...}}
Reply (JSON on stdout, exit 0):
    {"manifests": {"chart/templates/x.yaml": "..."}, "crds": [{"filename", "data"}]}
    or {"error": "Helm's message"}
Out of memory on the Python side: "out of memory" on stderr, exit 3 (the Go runtime
says "fatal error: runtime: out of memory" itself).
"""
from __future__ import annotations

import json
import sys
from typing import Any


def render(request: dict[str, Any]) -> dict[str, Any]:
    import helm_python

    try:
        with helm_python.Chart.load(request["chart"]) as chart:
            manifests = chart.render(values=request["values"], name=request["release"],
                                     namespace=request["namespace"], is_install=True)
            crds = [{"filename": c["filename"], "data": c["data"]} for c in chart.crds]
    except helm_python.HelmError as exc:
        return {"error": str(exc)}
    return {"manifests": manifests, "crds": crds}


def main() -> int:
    try:
        reply = json.dumps(render(json.load(sys.stdin)))
        sys.stdout.write(reply)
        sys.stdout.flush()
    except MemoryError:
        sys.stderr.write("out of memory\n")
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
