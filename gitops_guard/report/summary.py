"""The GitHub job summary ($GITHUB_STEP_SUMMARY): findings and plan, under GitHub's 1 MiB."""
from __future__ import annotations

from pathlib import Path

SUMMARY_LIMIT = 1024 * 1024
_CLOSE = "\n```"
_CUT = "\n\n*(truncated to stay under GitHub's 1 MiB job summary limit; see the SARIF report)*\n"


def fit_summary(parts: list[str], limit: int = SUMMARY_LIMIT) -> str:
    """Join parts, dropping from the end (then cutting the last one) to fit `limit` bytes."""
    out = ""
    for part in parts:
        candidate = out + part + "\n"
        if len(candidate.encode()) <= limit - len(_CUT.encode()):
            out = candidate
            continue
        room = limit - len(_CUT.encode()) - len(out.encode()) - len(_CLOSE)
        out += part.encode()[:max(room, 0)].decode("utf-8", "ignore")
        # Close a code fence the cut left open so the rest of the page renders (its
        # bytes are kept free above: the summary must stay under the limit).
        if out.count("```") % 2:
            out += _CLOSE
        return out + _CUT
    return out


def write_summary(path: str, parts: list[str]) -> None:
    with Path(path).open("a", encoding="utf-8") as fh:
        fh.write(fit_summary(parts))
