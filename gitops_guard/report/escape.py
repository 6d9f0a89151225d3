"""Making untrusted text (messages, paths, rule ids from PR content) safe for each format."""
from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u0085]")
# GitHub links `@user` / `@org/team` (a notification) and `#123` / `GH-123` (a backlink)
_REFERENCE = re.compile(r"(?<![\w`])(@|#|GH-)(?=[A-Za-z0-9_])")
_ZWSP = "\u200b"  # breaks a mention or a command prefix without changing what one reads
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _visible(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"


def terminal_text(text: str) -> str:
    """No escape sequences or line breaks reach the terminal: they show as \\xNN."""
    return _CONTROL.sub(_visible, text.replace("\r\n", " ").replace("\n", " "))


def xml_text(text: str) -> str:
    """Characters XML 1.0 cannot carry, shown as \\xNN (ElementTree escapes the rest)."""
    return _XML_INVALID.sub(_visible, text)


def no_references(text: str) -> str:
    """`@user`, `#123`, `GH-1` as text: no notification, no backlink from a PR comment."""
    return _REFERENCE.sub(lambda m: m.group(1) + _ZWSP, text)


def markdown_cell(text: str) -> str:
    """One Markdown table cell: no row breaks, no column breaks, no raw HTML (`<img>`,
    `</details>`, `<!--`), no mentions or issue links."""
    text = re.sub(r"\r\n|\r|\n", " ", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return no_references(_CONTROL.sub(_visible, text.replace("|", "\\|")))


def workflow_safe(text: str) -> str:
    """Text for stdout under GitHub Actions that the runner reads as nothing but text.

    The runner reads a line starting with `::` as a workflow command (`::add-mask::`,
    `::stop-commands::` which silences every later annotation, `::set-output`) and
    `##[` anywhere as the old syntax; control characters (ANSI escapes, a bare `\r`
    that redraws the line) are shown as \\xNN.
    """
    if "::" not in text and "##[" not in text and "\t" not in text and \
            _LINE_CONTROL.search(text) is None:
        return text  # nothing to change (a fleet's report: 50,000 lines)
    out = []
    for line in text.split("\n"):
        line = _LINE_CONTROL.sub(_visible, line.replace("\t", "    "))
        stripped = line.lstrip()
        if stripped.startswith("::"):
            line = line[:len(line) - len(stripped)] + ":" + _ZWSP + stripped[1:]
        out.append(line.replace("##[", "##" + _ZWSP + "["))
    return "\n".join(out)
