"""parallel.share_work: forked workers give exactly what a serial run gives."""
from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from gitops_guard.parallel import Background, can_fork, share_work

pytestmark = pytest.mark.skipif(not can_fork(), reason="workers are forked (POSIX only)")


def _square(task: int) -> tuple[int, int]:
    return task, task * task


@pytest.mark.parametrize("jobs", [1, 2, 3, 8])
def test_results_come_back_in_task_order(jobs: int) -> None:
    results = share_work(200, _square, jobs, pickle.dumps, pickle.loads)
    assert results == [_square(i) for i in range(200)]


def test_workers_really_run_tasks() -> None:
    parent = os.getpid()
    ran_by = share_work(64, lambda task: os.getpid(), 2, pickle.dumps, pickle.loads,
                        meanwhile=lambda: __import__("time").sleep(0.2))
    # While this process sleeps in `meanwhile`, the worker claims tasks.
    assert parent in ran_by or len(set(ran_by)) == 1
    assert any(pid != parent for pid in ran_by)


def test_a_task_that_fails_in_a_worker_is_run_again_here() -> None:
    parent = os.getpid()

    def flaky(task: int) -> int:
        if os.getpid() != parent:
            raise RuntimeError("only in the worker")
        return task

    assert share_work(30, flaky, 2, pickle.dumps, pickle.loads) == list(range(30))


def test_a_worker_that_dies_loses_nothing() -> None:
    parent = os.getpid()

    def fatal(task: int) -> int:
        if os.getpid() != parent and task % 3 == 0:
            os._exit(9)  # the worker vanishes mid-run
        return task * 2

    assert share_work(40, fatal, 3, pickle.dumps, pickle.loads) == [i * 2 for i in range(40)]


def test_an_error_every_process_hits_is_raised_as_in_a_serial_run() -> None:
    def broken(task: int) -> int:
        if task == 7:
            raise ValueError("task 7")
        return task

    with pytest.raises(ValueError, match="task 7"):
        share_work(20, broken, 2, pickle.dumps, pickle.loads)


def test_worker_run_is_what_workers_call() -> None:
    parent = os.getpid()
    got = share_work(50, lambda t: ("here", t), 2, pickle.dumps, pickle.loads,
                     meanwhile=lambda: __import__("time").sleep(0.2),
                     worker_run=lambda t: ("worker", t))
    assert [t for _, t in got] == list(range(50))
    assert {who for who, _ in got} <= {"here", "worker"}
    assert os.getpid() == parent


def test_background_runs_in_a_child_and_wait_joins_it(tmp_path: Path) -> None:
    marker = tmp_path / "written"
    job = Background(lambda: marker.write_text(str(os.getpid())), jobs=2)
    job.wait()
    assert marker.read_text() != str(os.getpid())  # written by the child
    inline = tmp_path / "inline"
    Background(lambda: inline.write_text(str(os.getpid())), jobs=1).wait()
    assert inline.read_text() == str(os.getpid())
