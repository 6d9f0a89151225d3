"""Property test for split_markdown: every part fits, is balanced on its own, and the
parts together still hold every character of the body."""
from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from gitops_guard.publish.split import split_markdown
from tests.hardening.fuzz import FAST

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
WORDS = st.text(alphabet="abc xyz|*_#-:>0123456789", min_size=0, max_size=300)


def blocks(depth: int = 0) -> st.SearchStrategy[list[str]]:
    fence = st.builds(
        lambda mark, body: [mark + "diff", *body, mark],
        st.sampled_from(["```", "````", "~~~"]),
        # code may hold what looks like markup; it must not count as markup
        st.lists(WORDS | st.sampled_from(["<details>", "</details>", "``", "x" * 3000]),
                 max_size=30))
    para = st.lists(WORDS, min_size=1, max_size=20)
    table = st.lists(WORDS.map(lambda w: f"| {w} | x |"), min_size=1, max_size=40).map(
        lambda rows: ["| a | b |", "|---|---|", *rows])
    simple = fence | para | table
    if depth >= 2:
        return simple
    details = st.builds(
        lambda summary, inner: [f"<details><summary>{summary}</summary>", "",
                                *[line for block in inner for line in block], "</details>"],
        st.text(alphabet="abc :0123456789", max_size=30),
        st.lists(st.deferred(lambda: blocks(depth + 1)), max_size=5))
    return simple | details


BODIES = st.lists(blocks(), min_size=1, max_size=12).map(
    lambda bs: "\n".join(line for block in bs for line in block))


def balanced(part: str) -> bool:
    """Fences close with a fence of the same character and at least the same length;
    `<details>` tags count only outside code."""
    fence, details = "", 0
    for line in part.split("\n"):
        match = _FENCE.match(line)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(
                    fence) and not line.strip()[len(match.group(1)):]:
                fence = ""
            continue
        if match:
            fence = match.group(1)
            continue
        details += len(re.findall(r"<details\b", line)) - len(re.findall(r"</details>", line))
        if details < 0:
            return False
    return not fence and details == 0


@FAST
@given(body=BODIES, limit=st.integers(1_000, 20_000))
def test_fuzz_split_parts_fit_balance_and_keep_everything(body: str, limit: int) -> None:
    parts = split_markdown(body, limit)
    assert all(len(p) <= limit - 200 for p in parts), [len(p) for p in parts]
    assert all(balanced(p) for p in parts)
    # No content lost: the body's characters (less whitespace, which hard wraps and
    # markers move) are a subsequence of the parts'.
    kept = iter("".join("".join(parts).split()))
    assert all(ch in kept for ch in "".join(body.split()))
