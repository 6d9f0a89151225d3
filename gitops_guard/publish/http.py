"""A small JSON-over-HTTPS client with retries, backoff and a time budget.

The only network code in gitops-guard lives in publish/. Tokens go in headers and are
scrubbed from every error message.
"""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from gitops_guard.errors import GuardError

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class PublishError(GuardError):
    """The code host refused or failed a request."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


class Response(NamedTuple):
    status: int
    headers: Mapping[str, str]
    body: Any


@dataclass
class HttpClient:
    base_url: str
    headers: dict[str, str]
    secret: str = ""  # scrubbed from every message
    timeout: float = 10.0
    budget_seconds: float = 60.0  # total time retries may take
    max_attempts: int = 5
    sleep: Callable[[float], None] = time.sleep
    _deadline: float = field(default=0.0, init=False)

    def _scrub(self, text: str) -> str:
        return text.replace(self.secret, "***") if self.secret else text

    def request(
        self, method: str, url: str, payload: Any = None,
        before_retry: Callable[[], Response | None] | None = None,
    ) -> Response:
        """Send with retries. For a non-idempotent call, `before_retry` looks whether the
        failed attempt took effect after all (a dropped reply) so nothing is done twice."""
        full = url if url.startswith(("http://", "https://")) else self.base_url.rstrip("/") + url
        if not self._deadline:
            self._deadline = time.monotonic() + self.budget_seconds
        data = None if payload is None else json.dumps(payload).encode()
        delay = 1.0
        for attempt in range(1, self.max_attempts + 1):
            req = urllib.request.Request(full, data=data, method=method, headers={
                **self.headers, "Content-Type": "application/json",
                "Accept": "application/json", "User-Agent": "gitops-guard"})
            retry_after: float | None = None
            try:
                # one hung reply may use a third of the budget, leaving time to retry
                limit = max(0.5, min(self.timeout, self.budget_seconds / 3,
                                     self._deadline - time.monotonic()))
                with urllib.request.urlopen(req, timeout=limit) as resp:
                    raw = resp.read()
                    status, headers = resp.status, dict(resp.headers.items())
                try:
                    body = json.loads(raw) if raw.strip() else None
                except ValueError:
                    raise PublishError(f"{method} {url}: HTTP {status} with a body that is "
                                       "not JSON (a proxy in the way?)", status) from None
                return Response(status, headers, body)
            except urllib.error.HTTPError as exc:
                text = exc.read().decode("utf-8", "replace")[:500]
                limited = exc.code == 403 and (exc.headers.get("Retry-After") or
                                               exc.headers.get("X-RateLimit-Remaining") == "0")
                if exc.code not in RETRY_STATUSES and not limited:
                    raise PublishError(
                        self._scrub(f"{method} {url}: HTTP {exc.code}: {_message(text)}"),
                        exc.code) from None
                retry_after = _retry_after(exc.headers.get("Retry-After"))
                last = f"HTTP {exc.code}"
            except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                last = self._scrub(f"{type(exc).__name__}: {reason}")
            wait = retry_after if retry_after is not None else delay
            if attempt == self.max_attempts or time.monotonic() + wait > self._deadline:
                raise PublishError(f"{method} {url}: gave up after {attempt} attempts ({last})")
            self.sleep(wait)
            delay = min(delay * 2, 30.0)
            if before_retry is not None:
                done = before_retry()
                if done is not None:
                    return done
        raise AssertionError("unreachable")  # pragma: no cover


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def _message(text: str) -> str:
    try:
        parsed = json.loads(text)
    except ValueError:
        return text.strip() or "no body"
    return str(parsed.get("message", text)) if isinstance(parsed, dict) else text
