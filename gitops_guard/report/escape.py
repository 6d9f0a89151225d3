"""Making untrusted text (messages, paths, rule ids from PR content) safe for each format."""
from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _visible(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"


def terminal_text(text: str) -> str:
    """No escape sequences or line breaks reach the terminal: they show as \\xNN."""
    return _CONTROL.sub(_visible, text.replace("\r\n", " ").replace("\n", " "))


def xml_text(text: str) -> str:
    """Characters XML 1.0 cannot carry, shown as \\xNN (ElementTree escapes the rest)."""
    return _XML_INVALID.sub(_visible, text)


def markdown_cell(text: str) -> str:
    """One Markdown table cell: no row breaks, no column breaks, no raw HTML."""
    text = re.sub(r"\r\n|\r|\n", " ", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _CONTROL.sub(_visible, text.replace("|", "\\|"))
