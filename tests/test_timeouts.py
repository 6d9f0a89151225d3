"""The run's time limits (timeouts.py) from the config's `timeouts:`: a key given wins,
the others keep their defaults."""
from __future__ import annotations

from typing import Any

import pytest

from gitops_guard.timeouts import Timeouts, timeouts_from


@pytest.mark.parametrize(("raw", "expect"), [
    (None, Timeouts()),
    ({}, Timeouts()),
    ({"render_seconds": 5}, Timeouts(render_seconds=5.0)),
    ({"git_seconds": 1.5, "publish_seconds": 10}, Timeouts(git_seconds=1.5, publish_seconds=10.0)),
    ({"chart_fetch_seconds": 30, "policy_seconds": 2}, Timeouts(policy_seconds=2.0,
                                                               chart_fetch_seconds=30.0)),
])
def test_timeouts_from_the_config(raw: Any, expect: Timeouts) -> None:
    assert timeouts_from(raw) == expect
