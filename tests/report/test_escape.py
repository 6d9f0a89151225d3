"""Untrusted text (messages, paths, rule ids a pull request wrote) made safe per format
(report/escape.py): what each output shows for it."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from gitops_guard.report.escape import (
    markdown_cell,
    no_references,
    terminal_text,
    workflow_safe,
    xml_text,
)

Z = "\u200b"


@pytest.mark.parametrize(("escape", "text", "shown"), [
    (terminal_text, "red \x1b[31mtext", "red \\x1b[31mtext"),
    (terminal_text, "two\nlines\r\nhere", "two lines here"),
    (xml_text, "a\x00b\x0c", "a\\x00b\\x0c"),
    (xml_text, "tab\tand\nnewline", "tab\tand\nnewline"),
    (markdown_cell, "a|b", "a\\|b"),
    (markdown_cell, "row\nbreak", "row break"),
    (markdown_cell, "<img src=x> & </details>", "&lt;img src=x&gt; &amp; &lt;/details&gt;"),
    (markdown_cell, "ping @admin about #12", f"ping @{Z}admin about #{Z}12"),
    (no_references, "GH-7 and `@kept` in code", f"GH-{Z}7 and `@kept` in code"),
    (workflow_safe, "::add-mask::x", f":{Z}:add-mask::x"),
    (workflow_safe, "  ::stop-commands::t", f"  :{Z}:stop-commands::t"),
    (workflow_safe, "old ##[error]syntax", f"old ##{Z}[error]syntax"),
    (workflow_safe, "bare\rreturn", "bare\\x0dreturn"),
])
def test_untrusted_text_is_shown_safely(escape: Callable[[str], str], text: str,
                                        shown: str) -> None:
    assert escape(text) == shown
