"""The chart fetch, run in a child process by fetch.py (`python -m ...charts.worker`).

Helm's Go client runs in process through helm-python-sdk and cannot be interrupted
from Python, so each fetch is its own process the parent can time out and kill.
Request (JSON on stdin, so credentials never appear in a process listing):

    {"url": "https://host/path" | "oci://host/path", "chart": "name",
     "version": "constraint or exact", "dest": "/private/tmp/dir", "insecure": false,
     "username": "", "password": ""}

Reply (JSON on stdout): {"version", "versions": [...], "digest": "sha256:..." (the
index's, "" for OCI or an index without one), "archive": "path"} or {"error",
"transient"}. Error texts are stripped of the credentials before they are printed.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from gitops_guard.render.charts.semver import ConstraintError, best_match

_TRANSIENT = re.compile(r"connection refused|timeout|timed out|\b5\d\d\b|EOF|reset by peer|"
                        r"temporar|unavailable", re.IGNORECASE)


class FetchError(Exception):
    def __init__(self, message: str, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


def _http(helm: Any, request: dict[str, Any]) -> dict[str, Any]:
    url, chart = request["url"], request["chart"]
    creds = {"username": request.get("username") or None,
             "password": request.get("password") or None}
    index = helm.repo_index(url, insecure_skip_tls_verify=bool(request.get("insecure")),
                            **creds)
    entries = [e for e in (index.get("entries") or {}).get(chart) or ()
               if isinstance(e, dict) and not e.get("removed")]
    if not entries:
        raise FetchError(f"the repository index has no chart {chart}")
    versions = [str(e.get("version", "")) for e in entries]
    version = _pick(request["version"], versions)
    entry = next(e for e in entries if str(e.get("version")) == version)
    digest = str(entry.get("digest") or "")
    helm.pull(chart, repo_url=url, version=version, destination=request["dest"],
              insecure_skip_tls_verify=bool(request.get("insecure")), **creds)
    return {"version": version, "versions": versions,
            "digest": f"sha256:{digest}" if digest else "",
            "archive": _archive(request["dest"])}


def _oci(helm: Any, request: dict[str, Any]) -> dict[str, Any]:
    ref = f"{request['url'].rstrip('/')}/{request['chart']}"
    plain = bool(request.get("insecure"))
    with helm.RegistryClient(plain_http=plain) as client:
        wanted = request["version"]
        if wanted.startswith("sha256:"):
            version, versions = wanted, []
            target = f"{ref}@{wanted}"
        else:
            # OCI tags cannot hold "+": Helm writes build metadata as "_"
            versions = [t.replace("_", "+") for t in client.tags(ref)]
            version = _pick(wanted, versions)
            target = ref
        helm.pull(target, client=client, version=None if target != ref else version,
                  destination=request["dest"], plain_http=plain)
    return {"version": version, "versions": versions, "digest": "",
            "archive": _archive(request["dest"])}


def _pick(wanted: str, versions: list[str]) -> str:
    try:
        version = best_match(wanted, versions)
    except ConstraintError as exc:
        raise FetchError(str(exc)) from None
    if version is None:
        shown = ", ".join(versions[:8]) + (" ..." if len(versions) > 8 else "")
        raise FetchError(f"no version matches {wanted or '(newest)'!r} "
                         f"(available: {shown or 'none'})")
    return version


def _archive(dest: str) -> str:
    found = sorted(Path(dest).glob("*.tgz"))
    if len(found) != 1:
        raise FetchError("helm pull wrote no chart archive")
    return str(found[0])


def _scrub(text: str, request: dict[str, Any]) -> str:
    for secret in (request.get("password"), request.get("username")):
        if secret:
            text = text.replace(str(secret), "***")
    return re.sub(r"//[^/@\s]+@", "//***@", " ".join(text.split()))


def handle(request: dict[str, Any]) -> dict[str, Any]:
    try:
        import helm_python
    except ImportError:
        return {"error": "the chart fetch needs the extra `pip install 'gitops-guard[helm]'`",
                "transient": False}
    try:
        fetch = _oci if str(request["url"]).startswith("oci://") else _http
        return fetch(helm_python, request)
    except FetchError as exc:
        return {"error": _scrub(str(exc), request), "transient": exc.transient}
    except helm_python.HelmError as exc:
        text = _scrub(str(exc), request)
        return {"error": text, "transient": bool(_TRANSIENT.search(text))}


def main() -> int:
    request = json.loads(sys.stdin.read())
    json.dump(handle(request), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
