"""Worker processes for work on untrusted files: each task runs in a worker that is killed
when the task overruns its time, and a worker that dies (a crash, out of memory) is
replaced. The caller gets a ``Failure`` for that task; the other tasks go on.

A process pool from ``concurrent.futures`` cannot do this: a running call cannot be
stopped, and a dead worker breaks the whole pool. Here each worker has its own pipe and
runs one task at a time, so the parent always knows which task a worker is on and since
when. Small tasks are sent ahead to wait in the pipe, so a worker goes on at once while
the parent is busy with results; a worker that is lost gives its waiting tasks back.
Works the same on Windows (spawn) and POSIX (fork, or forkserver when the parent runs
threads)."""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing as mp
import os
import signal
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from multiprocessing.reduction import ForkingPickler
from pathlib import Path
from types import TracebackType
from typing import Any, Generic, Literal, TypeVar

from toolkit.errors import ZvitError

K = TypeVar("K", bound=Hashable)  # a task's key: its result comes back with it
T = TypeVar("T")  # a task
R = TypeVar("R")  # a result
_POLL = 1.0  # seconds between checks when no task has a deadline
_ORPHAN_CHECK = 1.0  # seconds a waiting worker lets pass between looks at its parent
_MAX_START_FAILURES = 3
# Tasks sent ahead wait in the worker's pipe, and must fit there whole: a send that
# waited for room would wait on a worker that may be stuck. On Linux the pipe is a socket
# pair whose buffer can be asked for and read back (``_ahead_bytes``); a pipe elsewhere
# holds at least 4 KiB. A few returned forms waiting keep a worker going while the parent
# records results. What it buys, measured (bench/bench_collect.py's 1,000 forms, 2
# workers, 6 runs of each alternated on the shared 2-core machine): a worker waited for its
# next task 0.86 s in a run (median) with the buffer asked for; 3.69 s at 4 KiB, which no
# returned form (about 15 KB pickled) fits; 4.71 s with nothing sent ahead.
_AHEAD_BYTES = 4 * 1024
_MAX_AHEAD = 6


@dataclass(frozen=True)
class Failure:
    """A task that gave no result: it ran out of time, its worker died, or it raised."""

    kind: Literal["timeout", "crashed", "error"]
    detail: str


_Sent = tuple[Any, bytes]  # a task's key and the task as pickled for the pipe


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    ready: bool = False
    sent: deque[_Sent] = field(default_factory=deque)  # the running task first
    ahead: int = _AHEAD_BYTES  # bytes of tasks that may wait in its pipe
    started: float = 0.0  # when the running task started
    stopped: bool = False  # told to end

    @property
    def busy(self) -> bool:
        return bool(self.sent)


class WorkerPool(Generic[K, T, R]):
    """Run ``handler(task)`` in up to ``jobs`` worker processes.

    ``run`` yields ``(key, result or Failure)`` as tasks finish; ``submit`` adds a task
    while it runs (the result of one task may be more work). ``init(*initargs)`` runs
    once in every worker before its first task (load what all tasks share there)."""

    def __init__(
        self,
        handler: Callable[[T], R],
        *,
        jobs: int | None = None,
        timeout: float | None = None,
        init: Callable[..., None] | None = None,
        initargs: tuple[Any, ...] = (),
        memory_mb: int | None = None,
        preload: Sequence[str] = (),
    ) -> None:
        self.handler, self.timeout = handler, timeout
        self.jobs = max(1, jobs if jobs is not None else (os.cpu_count() or 1))
        self.init, self.initargs, self.memory_mb = init, initargs, memory_mb
        self._ctx = _context(preload)
        self._queue: deque[_Sent] = deque()
        self._workers: list[_Worker] = []
        self._start_failures = 0

    def __enter__(self) -> WorkerPool[K, T, R]:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def submit(self, key: K, task: T) -> None:
        self._queue.appendleft(_pickled(key, task))

    def run(self, tasks: Iterable[tuple[K, T]] = ()) -> Iterator[tuple[K, R | Failure]]:
        """Yield ``(key, result or Failure)`` for every task, as they finish. ``tasks`` is
        read only as workers become free, so a long input is never all in memory; tasks
        given to ``submit`` meanwhile go first."""
        source = iter(tasks)
        more = True
        while True:
            more = more and self._refill(source)
            if not (self._queue or any(w.busy for w in self._workers)):
                return
            self._grow()
            self._dispatch()
            live = {w.conn: w for w in self._workers}
            done: list[tuple[K, R | Failure]] = []
            for conn in wait(list(live), self._wait_time()):
                done.extend(self._receive(live[conn]))  # type: ignore[index]
            done.extend(self._expire())
            # Free workers take their next task before the caller handles these results:
            # they would otherwise wait for the caller's archiving and bookkeeping.
            self._refill(source) if more else None
            self._dispatch()
            yield from done

    def _refill(self, source: Iterator[tuple[K, T]]) -> bool:
        """Top the queue up to two tasks a worker; False once ``source`` is used up."""
        while len(self._queue) < 2 * self.jobs:
            nxt = next(source, None)
            if nxt is None:
                return False
            self._queue.append(_pickled(*nxt))
        return True

    def stop(self) -> None:
        """Tell every worker to end, without waiting for it (``close`` waits): the caller
        goes on while they exit. No task may be given after this."""
        for w in self._workers:
            if w.busy:  # left early: its tasks are of no use any more
                w.process.kill()
            elif not w.stopped:
                with contextlib.suppress(OSError, ValueError):
                    w.conn.send(None)
            w.stopped = True

    def close(self) -> None:
        self.stop()
        for w in self._workers:
            w.process.join(timeout=2)
            if w.process.is_alive():
                w.process.kill()
                w.process.join(timeout=2)
            w.conn.close()
        self._workers.clear()

    # --- inside the loop ------------------------------------------------------------

    def _grow(self) -> None:
        wanted = min(self.jobs, len(self._queue) + sum(w.busy for w in self._workers))
        while len(self._workers) < wanted:
            self._workers.append(self._start())

    def _start(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(  # type: ignore[attr-defined]
            target=_serve,
            args=(child, self.handler, self.init, self.initargs, self.memory_mb),
            daemon=True,
        )
        try:
            process.start()
        except OSError as e:
            parent.close()
            raise ZvitError("collect.worker.not_started", detail=f"{type(e).__name__}: {e}") from e
        finally:
            child.close()
        return _Worker(process, parent, ahead=_ahead_bytes(parent))

    def _dispatch(self) -> None:
        """Every idle worker takes a task; then, round by round, each takes more ahead
        while what waits in its pipe stays within what the pipe surely holds."""
        for ahead in range(_MAX_AHEAD + 1):
            for w in self._workers:
                if not self._queue:
                    return
                if (
                    not w.ready
                    or len(w.sent) != ahead
                    or (ahead and _waiting(w) + len(self._queue[0][1]) > w.ahead)
                ):
                    continue
                sent = self._queue.popleft()
                if not w.sent:
                    w.started = time.monotonic()
                w.sent.append(sent)
                # a worker that is gone fails to take it; _receive then sees its pipe closed
                with contextlib.suppress(OSError, ValueError):
                    w.conn.send_bytes(sent[1])

    def _wait_time(self) -> float:
        if self.timeout is None:
            return _POLL
        now = time.monotonic()
        left = [w.started + self.timeout - now for w in self._workers if w.busy]
        return max(0.0, min([_POLL, *left]))

    def _receive(self, w: _Worker) -> Iterator[tuple[K, R | Failure]]:
        try:
            message = w.conn.recv()
        except (EOFError, OSError):
            yield from self._lost(w, Failure("crashed", _exit_detail(w.process)))
            return
        if message == "ready":
            w.ready, self._start_failures = True, 0
        elif isinstance(message, tuple) and message[0] == "init-failed":
            self._replace(w)
            raise ZvitError("collect.worker.init_failed", detail=message[1])
        else:
            key, ok, payload = message
            w.sent.popleft()
            w.started = time.monotonic()  # the task sent ahead starts now
            yield key, payload if ok else Failure("error", str(payload))

    def _expire(self) -> Iterator[tuple[K, R | Failure]]:
        if self.timeout is None:
            return
        now = time.monotonic()
        for w in list(self._workers):
            if w.busy and now - w.started > self.timeout:
                yield from self._lost(w, Failure("timeout", f"{self.timeout:g}"))

    def _lost(self, w: _Worker, failure: Failure) -> Iterator[tuple[K, R | Failure]]:
        """A worker that died or overran: kill it, report the task it ran, give back the one
        waiting in its pipe; start no more workers than needed."""
        sent = list(w.sent)
        self._replace(w)
        if sent:
            self._queue.extendleft(reversed(sent[1:]))
            yield sent[0][0], failure
            return
        self._start_failures += 1
        if self._start_failures > _MAX_START_FAILURES:
            raise ZvitError("collect.worker.keep_failing", detail=failure.detail)

    def _replace(self, w: _Worker) -> None:
        if w.process.is_alive():
            w.process.kill()
        w.process.join(timeout=5)
        w.conn.close()
        self._workers.remove(w)


def _ahead_bytes(conn: Connection) -> int:
    """What may wait in the pipe to a worker. Linux: a quarter of the send buffer of the
    socket pair, asked to be large (the kernel counts its own overhead in it, and caps
    the size at net.core.wmem_max, 208 KiB by default)."""
    if not sys.platform.startswith("linux"):
        return _AHEAD_BYTES
    try:
        with socket.fromfd(conn.fileno(), socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
            size = sock.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)
    except OSError:  # not a socket: a plain pipe, 64 KiB on Linux
        return 16 * 1024
    return max(_AHEAD_BYTES, size // 4)


def _waiting(w: _Worker) -> int:
    """Bytes of the tasks waiting in the worker's pipe (the first one sent is running)."""
    return sum(len(data) for _, data in itertools.islice(w.sent, 1, None))


def _pickled(key: Hashable, task: Any) -> _Sent:
    """Pickled once, as ``Connection.send`` would: the size decides if it may go ahead."""
    return key, bytes(ForkingPickler.dumps((key, task)))


def _context(preload: Sequence[str]) -> BaseContext:
    """fork where it is safe (Linux, no other thread): workers start at once with what the
    parent imported. Else forkserver (POSIX) or spawn (Windows, macOS). ``ZVIT_START_METHOD``
    forces one (to try on Linux what Windows does)."""
    forced = os.environ.get("ZVIT_START_METHOD", "")
    if forced in mp.get_all_start_methods():
        return mp.get_context(forced)
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return mp.get_context("fork")
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        if preload:
            ctx.set_forkserver_preload(list(preload))  # takes effect if the server is not yet up
        return ctx
    return mp.get_context("spawn")


def _exit_detail(process: BaseProcess) -> str:
    process.join(timeout=1)
    code = process.exitcode
    return "worker process ended" if code is None else f"worker process ended with code {code}"


def _serve(
    conn: Connection,
    handler: Callable[[Any], Any],
    init: Callable[..., None] | None,
    initargs: tuple[Any, ...],
    memory_mb: int | None,
) -> None:
    """The worker's loop: set up, say "ready", then one task at a time until told to stop."""
    # Ctrl+C reaches the whole process group: the parent decides, and stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _limit_memory(memory_mb)
    try:
        if init is not None:
            init(*initargs)
    except Exception as e:
        conn.send(("init-failed", f"{type(e).__name__}: {e}"))
        return
    # No garbage-collector settings here, unlike the parent's (``toolkit.heap``): measured,
    # a worker checking 1,000 forms ran about 20 young collections and no full one, 5–25 ms
    # in all (under 0.5 % of its time), and freezing its heap bought nothing.
    conn.send("ready")
    parent = os.getppid()
    while True:
        try:
            # A parent killed outright sends no EOF when another fork still holds its end
            # of this pipe: a worker left alone notices it has a new parent, and ends.
            while not conn.poll(_ORPHAN_CHECK):
                if os.getppid() != parent:
                    return
            message = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if message is None:
            return
        key, task = message
        try:
            reply = (key, True, handler(task))
        except MemoryError:
            reply = (key, False, "MemoryError: out of memory")
        except Exception as e:
            reply = (key, False, f"{type(e).__name__}: {e}"[:500])
        conn.send(reply)


def _limit_memory(memory_mb: int | None) -> None:
    """Let the worker grow by at most ``memory_mb`` beyond what it holds at start (a fork
    starts with its parent's address space), where the OS allows it: Linux. Elsewhere the
    time limit is the only bound."""
    base = _address_space()
    if not memory_mb or base is None:
        return
    try:
        import resource

        limit = base + memory_mb * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError, AttributeError):
        pass


def _address_space() -> int | None:
    """This process's virtual size in bytes (Linux), else None."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[0])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return None
