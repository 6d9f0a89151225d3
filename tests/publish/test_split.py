from __future__ import annotations

import re

import pytest

from gitops_guard.publish.split import CONTINUED, split_markdown


def balanced(part: str) -> bool:
    fences = sum(1 for line in part.splitlines() if re.match(r"^\s*```", line))
    opens = len(re.findall(r"<details\b", part))
    closes = len(re.findall(r"</details>", part))
    return fences % 2 == 0 and opens == closes


def big_plan(resources: int) -> str:
    out = ["## Plan", "", "| env | added | changed |", "|---|---|---|", "| prod | 0 | 300 |", ""]
    for env in ("staging", "production"):
        out.append(f"<details><summary>{env}: {resources} changed</summary>")
        out.append("")
        for i in range(resources):
            out += [f"#### Deployment app/web-{i}", "```diff",
                    *[f"- spec.template.spec.containers[name=web].image: nginx:1.{j}"
                      for j in range(3)],
                    *[f"+ spec.template.spec.containers[name=web].image: nginx:2.{j}"
                      for j in range(3)], "```", ""]
        out.append("</details>")
    return "\n".join(out)


def test_short_body_is_one_part() -> None:
    assert split_markdown("hello", 65_536) == ["hello"]


@pytest.mark.parametrize("limit", [65_536, 5_000])
def test_parts_fit_and_never_break_a_fence_or_details(limit: int) -> None:
    body = big_plan(300)
    parts = split_markdown(body, limit, reserve=200)
    assert len(parts) > 1
    for part in parts:
        assert len(part) <= limit - 200
        assert balanced(part), part[-300:]
    # Nothing is lost: every diff line of the body is in some part.
    joined = "\n".join(parts)
    assert joined.count("+ spec.template.spec.containers[name=web].image") == \
        body.count("+ spec.template.spec.containers[name=web].image")


def test_reopened_details_say_continued() -> None:
    parts = split_markdown(big_plan(300), 20_000)
    assert "<details><summary>staging: 300 changed (continued)</summary>" in parts[1]


def test_a_single_huge_line_is_wrapped() -> None:
    parts = split_markdown("x" * 50_000, 10_000)
    assert all(len(p) <= 9_800 for p in parts)
    assert sum(p.replace(CONTINUED, "").count("x") for p in parts) == 50_000
