"""Atomic writes: the whole new content or the old, the usual permissions, nothing left."""

from __future__ import annotations

import itertools
import os
import sys
from pathlib import Path

import pytest

from toolkit import fsutil
from toolkit.fsutil import atomic_write_bytes


def test_a_new_file_is_written_whole_with_nothing_left_beside(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "звіт.xlsx"
    atomic_write_bytes(target, b"first")
    atomic_write_bytes(target, b"second\r\n")
    assert target.read_bytes() == b"second\r\n"  # bytes as given: no newline translation
    assert [p.name for p in target.parent.iterdir()] == ["звіт.xlsx"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_permissions_are_the_usual_ones_and_a_replaced_file_keeps_its_own(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        fresh, kept = tmp_path / "new.json", tmp_path / "kept.json"
        atomic_write_bytes(fresh, b"{}")
        assert fresh.stat().st_mode & 0o777 == 0o644
        kept.write_bytes(b"old")
        kept.chmod(0o600)
        atomic_write_bytes(kept, b"new")
        assert kept.stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(umask)


def test_a_temporary_name_left_by_an_earlier_process_is_stepped_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fsutil, "_TEMPORARY", itertools.count(7))
    stale = tmp_path / f".out.txt.{os.getpid()}-7.tmp"
    stale.write_bytes(b"stale")
    atomic_write_bytes(tmp_path / "out.txt", b"fresh")
    assert (tmp_path / "out.txt").read_bytes() == b"fresh"
    assert stale.read_bytes() == b"stale"  # not ours: left alone


def test_ctrl_c_waits_for_the_steps_that_go_together(tmp_path: Path) -> None:
    import signal
    import threading

    from toolkit.fsutil import uninterrupted

    done = []
    before = signal.signal(signal.SIGINT, signal.default_int_handler)  # Python's own
    try:
        with pytest.raises(KeyboardInterrupt), uninterrupted():
            signal.raise_signal(signal.SIGINT)  # Ctrl+C in the middle
            done.append("second step")
        assert done == ["second step"]
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
        with uninterrupted():  # nothing came: nothing happens after
            done.append("again")
    finally:
        signal.signal(signal.SIGINT, before)

    def elsewhere() -> None:
        with uninterrupted():  # only the main thread hears Ctrl+C: nothing to hold back
            done.append("thread")

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    assert done == ["second step", "again", "thread"]
