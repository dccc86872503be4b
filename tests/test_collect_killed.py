"""A collect killed midway — between two records or inside an open transaction — and
run again: every file recorded once, nothing lost, the ledger intact."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.collect_support import PERIOD, filled, in_force, issue_forms, new_workspace
from tests.support.ledgerpeek import submissions_recorded
from toolkit.collect import run as collect_module
from toolkit.collect.archive import read_original
from toolkit.collect.recording import Recorder
from toolkit.collect.run import collect
from toolkit.collect.workers import WorkerPool
from toolkit.ledger.store import Ledger
from toolkit.workspace import open_workspace

# starts worker processes (or a whole cycle) and waits on them
pytestmark = pytest.mark.slow

VERSIONS = 3


def _slow_collect(root: Path, folder: Path, pids: Path) -> None:
    """In a child process: a collect that records each file as it comes, slowly; the
    process ids of its workers written to ``pids``."""
    collect_module.RECORD_EVERY = 1
    start = WorkerPool._start

    def noted(self: WorkerPool) -> Any:
        worker = start(self)
        with pids.open("a") as f:
            f.write(f"{worker.process.pid}\n")
        return worker

    WorkerPool._start = noted  # type: ignore[method-assign]
    record = Recorder._record

    def slow(self: Recorder, entry: Any) -> Any:
        time.sleep(0.1)  # inside the open transaction: the kill may land here
        return record(self, entry)

    Recorder._record = slow  # type: ignore[method-assign]
    collect(open_workspace(root), [folder], PERIOD, jobs=1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.skipif(sys.platform == "win32", reason="fork and SIGKILL")
def test_a_collect_killed_midway_is_completed_by_the_next(tmp_path: Path) -> None:
    ws = new_workspace(tmp_path / "ws")
    folder = tmp_path / "inbox"
    folder.mkdir()
    for unit, form in issue_forms(ws).items():
        for k in range(VERSIONS):
            data = filled(ws, form, note=f"Версія {k}: проведено наради.")
            (folder / f"{unit}-{k}.xlsx").write_bytes(data)
    files = sorted(folder.iterdir())
    pids = tmp_path / "workers.txt"
    child = multiprocessing.get_context("fork").Process(
        target=_slow_collect, args=(ws.root, folder, pids)
    )
    child.start()
    deadline = time.monotonic() + 120
    while submissions_recorded(ws.root / "zvit.db") < 3:
        assert child.is_alive() and time.monotonic() < deadline
        time.sleep(0.02)
    os.kill(child.pid or 0, signal.SIGKILL)
    child.join()
    done_before = submissions_recorded(ws.root / "zvit.db")
    assert 3 <= done_before < len(files)
    # its workers, left without a parent, end by themselves
    workers = [int(line) for line in pids.read_text().split()]
    assert workers
    while any(_alive(pid) for pid in workers):
        assert time.monotonic() < deadline, "a worker outlived its killed parent"
        time.sleep(0.1)

    run = collect(open_workspace(ws.root), [folder], PERIOD)
    assert {f.status for f in run.files} <= {"new", "duplicate"}
    with Ledger.open(ws) as ledger:
        assert ledger.count("files") == ledger.count("submissions") == len(files)
        assert ledger.count("sources") == len(files)
        for path in files:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            [source] = ledger.sources(digest)
            assert read_original(ws.root, ledger.archive_path(digest)) == path.read_bytes()
            assert source.filename == path.name
        assert len(in_force(ledger)) == len(files) // VERSIONS
    raw = sqlite3.connect(ws.root / "zvit.db")
    try:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        raw.close()
