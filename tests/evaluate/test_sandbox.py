"""Containment for policy code: a rule call that overruns is interrupted; whatever a policy
prints, at the Python or the file-descriptor level, is dropped."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from gitops_guard.evaluate.sandbox import PolicyTimeout, Watchdog, silenced


def test_a_call_past_its_limit_is_interrupted_and_the_next_one_runs() -> None:
    dog = Watchdog(0.2)
    with dog.installed():
        dog.call, dog.active = 1, True
        started = time.monotonic()
        with pytest.raises(PolicyTimeout, match=r"timed out after 0\.2s"):
            while True:  # a rule that never returns
                try:
                    time.sleep(0.001)
                except Exception:  # swallowing Exception does not stop it
                    continue
        assert time.monotonic() - started < 1.0
        dog.call += 1
        time.sleep(0.01)  # a quick call after it is not interrupted
        dog.active = False
        time.sleep(0.1)  # nor is the runner between calls


def test_silenced_drops_prints_stream_writes_and_fd_writes(
        capfd: pytest.CaptureFixture[str]) -> None:
    print("before")
    with silenced():
        print("from print")
        sys.stderr.write("from stderr\n")
        sys.__stdout__.write("from __stdout__\n")  # type: ignore[union-attr]
        os.write(1, b"from fd 1\n")
        os.write(2, b"from fd 2\n")
        subprocess.run([sys.executable, "-c", "print('from a child')"], check=True)
    print("after")
    out, err = capfd.readouterr()
    assert (out, err) == ("before\nafter\n", "")
