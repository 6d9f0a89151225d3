"""Splits a Markdown body into comments under a size limit without breaking a code fence
or a `<details>` block: open blocks are closed at the end of a part and reopened at the
start of the next one."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_DETAILS_OPEN = re.compile(r"^\s*<details\b[^>]*>", re.IGNORECASE)
_DETAILS_CLOSE = re.compile(r"</details>", re.IGNORECASE)
_SUMMARY = re.compile(r"<summary>(.*?)</summary>", re.IGNORECASE)
CONTINUED = "\n\n*(continued in the next comment)*\n"


@dataclass
class _State:
    fence: str = ""  # the opening fence line while inside a code block
    details: list[str] = field(default_factory=list)  # summaries of open <details>

    def closing(self) -> str:
        out = []
        if self.fence:
            out.append(_FENCE.match(self.fence).group(1))  # type: ignore[union-attr]
        out.extend("</details>" for _ in self.details)
        return "\n".join(out)

    def reopening(self) -> str:
        out = [f"<details><summary>{s} (continued)</summary>\n" for s in self.details]
        if self.fence:
            out.append(self.fence)
        return "\n".join(out)

    def feed(self, line: str) -> None:
        if self.fence:
            match = _FENCE.match(line)
            opener = _FENCE.match(self.fence)
            if match and opener and match.group(1)[0] == opener.group(1)[0] and len(
                    match.group(1)) >= len(opener.group(1)) and not line.strip()[
                    len(match.group(1)):]:
                self.fence = ""
            return
        if _FENCE.match(line):
            self.fence = line
            return
        if _DETAILS_OPEN.match(line):
            summary = _SUMMARY.search(line)
            self.details.append(summary.group(1) if summary else "Details")
        for _ in _DETAILS_CLOSE.findall(line):
            if self.details:
                self.details.pop()


def _hard_wrap(line: str, width: int) -> list[str]:
    return [line[i:i + width] for i in range(0, len(line), width)] or [""]


def split_markdown(body: str, limit: int, reserve: int = 200) -> list[str]:
    """Parts of `body`, each at most `limit - reserve` characters (room for markers)."""
    budget = limit - reserve
    if budget <= 400:
        raise ValueError("limit too small to split Markdown safely")
    if len(body) <= budget:
        return [body]
    parts: list[str] = []
    state = _State()
    current: list[str] = []
    size = 0
    overhead = len(CONTINUED) + 400  # closing tags, reopened summaries
    for raw in body.split("\n"):
        for line in _hard_wrap(raw, budget // 2):
            if size + len(line) + 1 + overhead > budget and current:
                closing = state.closing()
                parts.append("\n".join(current) + ("\n" + closing if closing else "")
                             + CONTINUED)
                reopening = state.reopening()
                current = [reopening] if reopening else []
                size = len(reopening)
            current.append(line)
            size += len(line) + 1
            state.feed(line)
    parts.append("\n".join(current))
    return parts
