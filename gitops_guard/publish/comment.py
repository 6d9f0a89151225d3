"""One sticky comment per pull request, found by a hidden marker and its author, updated
in place; split into continuation parts when too long; stale parts removed."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from gitops_guard.publish.split import split_markdown

_MARKER = re.compile(r"<!-- gitops-guard:comment key=(\S*) part=(\d+) -->")


class Comment(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def body(self) -> str: ...
    @property
    def author(self) -> str: ...


@dataclass(frozen=True)
class HostComment:
    id: int
    body: str
    author: str


class CommentHost(Protocol):
    """What a code host (GitHub, GitLab) offers for PR / MR comments."""

    max_body: int

    def list_comments(self) -> list[HostComment]: ...
    def create(self, body: str) -> HostComment: ...
    def update(self, comment_id: int, body: str) -> None: ...
    def delete(self, comment_id: int) -> None: ...
    def is_ours(self, comment: HostComment) -> bool: ...


def marker(key: str, part: int) -> str:
    return f"<!-- gitops-guard:comment key={key} part={part} -->"


@dataclass(frozen=True)
class PublishResult:
    created: int
    updated: int
    deleted: int
    unchanged: int
    parts: int


def _existing_parts(host: CommentHost, key: str) -> dict[int, list[HostComment]]:
    parts: dict[int, list[HostComment]] = {}
    for comment in host.list_comments():
        found = _MARKER.search(comment.body)
        if found and found.group(1) == key and host.is_ours(comment):
            parts.setdefault(int(found.group(2)), []).append(comment)
    return parts


def publish_sticky(host: CommentHost, bodies: Sequence[str], key: str = "") -> PublishResult:
    """Create or update the comment (and its continuations) for `key`.

    `bodies` are alternatives from most to least detailed; the first that fits in one
    comment wins, else the last is split into parts.
    """
    reserve = 200
    chosen = next((b for b in bodies if len(b) + reserve <= host.max_body), None)
    texts = [chosen] if chosen is not None else split_markdown(bodies[-1], host.max_body, reserve)
    texts = [f"{marker(key, i)}\n{text}" for i, text in enumerate(texts)]
    existing = _existing_parts(host, key)
    created = updated = deleted = unchanged = 0
    for index, text in enumerate(texts):
        mine = existing.get(index, [])
        if not mine:
            host.create(text)
            created += 1
            continue
        first, *duplicates = sorted(mine, key=lambda c: c.id)
        if first.body == text:
            unchanged += 1
        else:
            host.update(first.id, text)
            updated += 1
        for extra in duplicates:  # left by an earlier race; keep exactly one
            host.delete(extra.id)
            deleted += 1
    for index, comments in existing.items():
        if index >= len(texts):
            for comment in comments:
                host.delete(comment.id)
                deleted += 1
    return PublishResult(created, updated, deleted, unchanged, len(texts))
