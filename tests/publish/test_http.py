"""The JSON-over-HTTP client (gitops_guard/publish/http.py) against the GitHub stand-in
on loopback: which failures are retried and how long it waits, the time budget, a lost
reply looked up before a retry, and errors that never carry the token."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from gitops_guard.publish.http import HttpClient, PublishError, Response
from tests.fakes.github_api import FakeGitHub, Fault

COMMENTS = "/repos/acme/ops/issues/7/comments"


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with FakeGitHub() as gh:
        yield gh


def client(gh: FakeGitHub, token: str = "write-token", **kwargs: float) -> tuple[
        HttpClient, list[float]]:
    waits: list[float] = []
    http = HttpClient(gh.url, {"Authorization": f"Bearer {token}"}, secret=token,
                      sleep=waits.append, **kwargs)  # type: ignore[arg-type]
    return http, waits


@pytest.mark.parametrize(("faults", "waits"), [
    ([], []),
    ([Fault("GET", 503)], [1.0]),
    ([Fault("GET", 502), Fault("GET", 500), Fault("GET", 504)], [1.0, 2.0, 4.0]),
    ([Fault("GET", 429, retry_after="3")], [3.0]),  # Retry-After beats the backoff
    ([Fault("GET", 403, retry_after="2")], [2.0]),  # GitHub's secondary rate limit
    ([Fault("GET", 0)], [1.0]),  # a dropped connection
], ids=["ok", "503", "backoff doubles", "429 Retry-After", "403 rate limit", "dropped"])
def test_what_is_retried_and_how_long_it_waits(github: FakeGitHub, faults: list[Fault],
                                               waits: list[float]) -> None:
    github.state.faults.extend(faults)
    http, waited = client(github)
    reply = http.request("GET", COMMENTS)
    assert reply.status == 200 and reply.body == []
    assert waited == waits


def test_a_refusal_is_not_retried_and_says_why(github: FakeGitHub) -> None:
    http, waited = client(github, token="read-token")
    with pytest.raises(PublishError) as raised:
        http.request("POST", COMMENTS, {"body": "x"})
    assert raised.value.status == 403 and waited == []
    assert str(raised.value) == \
        f"POST {COMMENTS}: HTTP 403: Resource not accessible by integration"


def test_the_token_is_scrubbed_from_errors(github: FakeGitHub) -> None:
    http, _ = client(github, token="s3cr3t-token-value")
    with pytest.raises(PublishError) as raised:
        http.request("GET", f"{COMMENTS}?t=s3cr3t-token-value")
    assert raised.value.status == 401
    assert "s3cr3t" not in str(raised.value) and "***" in str(raised.value)


def test_it_gives_up_after_max_attempts(github: FakeGitHub) -> None:
    github.state.faults.extend(Fault("GET", 503) for _ in range(5))
    http, waited = client(github, max_attempts=3)
    with pytest.raises(PublishError, match=r"gave up after 3 attempts \(HTTP 503\)"):
        http.request("GET", COMMENTS)
    assert waited == [1.0, 2.0]


def test_it_never_waits_past_its_budget(github: FakeGitHub) -> None:
    github.state.faults.append(Fault("GET", 429, retry_after="120"))
    http, waited = client(github, budget_seconds=10)
    with pytest.raises(PublishError, match=r"gave up after 1 attempts \(HTTP 429\)"):
        http.request("GET", COMMENTS)
    assert waited == []


def test_a_lost_reply_is_looked_up_before_the_call_is_repeated(github: FakeGitHub) -> None:
    github.state.faults.append(Fault("POST", 502, apply_first=True))  # done, reply lost
    http, _ = client(github)
    found = Response(201, {}, {"looked": "up"})
    reply = http.request("POST", COMMENTS, {"body": "once"}, before_retry=lambda: found)
    assert reply is found
    assert [c["body"] for c in github.state.comments] == ["once"]
