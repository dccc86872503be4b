"""The worker pool: results for every task whatever a task does to its worker."""

from __future__ import annotations

import os
import sys
import time
from typing import Any

import pytest

from toolkit.collect.workers import _MAX_AHEAD, Failure, WorkerPool

# starts worker processes (or a whole cycle) and waits on them
pytestmark = pytest.mark.slow

_SEEN: list[Any] = []


def _setup(tag: str) -> None:
    _SEEN.append(tag)


def _work(task: Any) -> Any:
    kind, value = task
    if kind == "sleep":
        time.sleep(value)
    elif kind == "die":
        os._exit(3)
    elif kind == "raise":
        raise ValueError(value)
    elif kind == "setup":
        return list(_SEEN)
    elif kind == "hog":
        return len(bytearray(value))
    return value


def test_every_task_ends_with_a_result_or_a_failure() -> None:
    tasks = [
        (0, ("ok", "a")),
        (1, ("sleep", 30)),
        (2, ("die", None)),
        (3, ("raise", "boom")),
        (4, ("ok", "b")),
        (5, ("setup", None)),
    ]
    began = time.monotonic()
    with WorkerPool(_work, jobs=2, timeout=2, init=_setup, initargs=("ready",)) as pool:
        found = dict(pool.run(tasks))
    assert time.monotonic() - began < 20
    assert found[0] == "a" and found[4] == "b" and found[5] == ["ready"]
    assert found[1] == Failure("timeout", "2")
    assert isinstance(found[2], Failure) and found[2].kind == "crashed"
    assert "code 3" in found[2].detail
    assert found[3] == Failure("error", "ValueError: boom")


def test_the_task_waiting_behind_a_lost_one_is_still_done() -> None:
    """One worker: each task after the stuck or dying one was sent ahead to it, and is
    given back and done by its replacement."""
    tasks = [(0, ("sleep", 30)), (1, ("ok", "a")), (2, ("die", None)), (3, ("ok", "b"))]
    began = time.monotonic()
    with WorkerPool(_work, jobs=1, timeout=2) as pool:
        found = dict(pool.run(tasks))
    assert time.monotonic() - began < 20
    assert found[0] == Failure("timeout", "2") and found[1] == "a" and found[3] == "b"
    assert isinstance(found[2], Failure) and found[2].kind == "crashed"


def test_a_large_task_never_waits_on_a_stuck_worker() -> None:
    """A task too large to wait in the pipe is not sent ahead: sending it would wait for
    the stuck worker, and its time limit would pass unnoticed."""
    big = b"x" * 8_000_000  # more than a pipe holds, however large its buffer was made
    began = time.monotonic()
    with WorkerPool(_work, jobs=1, timeout=2) as pool:
        found = dict(pool.run([(0, ("sleep", 30)), (1, ("ok", big))]))
    assert time.monotonic() - began < 20
    assert found == {0: Failure("timeout", "2"), 1: big}


def test_work_found_while_running_is_done_too() -> None:
    done: list[Any] = []
    with WorkerPool(_work, jobs=2, timeout=30) as pool:
        for key, result in pool.run([("first", ("ok", 1))]):
            done.append((key, result))
            if key == "first":
                for n in range(5):
                    pool.submit(("more", n), ("ok", n))
    assert sorted(r for _, r in done) == [0, 1, 1, 2, 3, 4]


def test_input_is_read_only_as_workers_free_up() -> None:
    pulled: list[int] = []

    def tasks() -> Any:
        for n in range(50):
            pulled.append(n)
            yield n, ("ok", n)

    with WorkerPool(_work, jobs=1, timeout=30) as pool:
        results = pool.run(tasks())
        next(results)
        # the queue holds two tasks a worker, besides the one it runs and the small ones
        # waiting in its pipe
        assert len(pulled) <= 2 + 1 + _MAX_AHEAD
        assert len([*results]) == 49


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS is set on Linux")
def test_a_worker_cannot_take_all_memory() -> None:
    with WorkerPool(_work, jobs=1, timeout=30, memory_mb=256) as pool:
        found = dict(pool.run([(0, ("hog", 1024 * 1024 * 1024)), (1, ("hog", 1024))]))
    assert found[0] == Failure("error", "MemoryError: out of memory")
    assert found[1] == 1024


def test_stopped_workers_end_on_their_own_and_close_reaps_them() -> None:
    pool = WorkerPool(_work, jobs=2)
    assert dict(pool.run([(0, ("ok", 1)), (1, ("ok", 2))])) == {0: 1, 1: 2}
    processes = [w.process for w in pool._workers]
    began = time.monotonic()
    pool.stop()  # returns at once: the caller writes its report meanwhile
    pool.stop()  # harmless twice
    assert time.monotonic() - began < 0.5
    for process in processes:
        process.join(timeout=10)  # each ends by itself, before close is called
        assert process.exitcode == 0
    pool.close()
    assert not pool._workers
