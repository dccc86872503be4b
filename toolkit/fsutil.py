"""Writing files so that a crash, Ctrl+C or a file open in Excel never leaves half a file."""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

from toolkit.errors import OutputLockedError

_NEW_FILE = (
    os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
)
_TEMPORARY = itertools.count()


def atomic_write_bytes(path: Path, data: bytes, *, keep_mode: bool = True) -> None:
    """Write to a temporary file in the same folder, flush it to disk, then rename it
    over ``path``. On Windows the rename fails while Excel holds the file open: the new
    content is then kept beside it and the error says where.
    A file replaced keeps its permissions unless ``keep_mode`` is False (the quarantine:
    its files are only ever replaced by the same bytes)."""
    mode: int | None = None  # a new file: the usual permissions (the umask's)
    if keep_mode:
        with contextlib.suppress(FileNotFoundError):
            mode = os.stat(path).st_mode & 0o777
    with uninterrupted():  # between making the temporary file and owning it
        _write_new(path, data, mode)


def _write_new(path: Path, data: bytes, mode: int | None) -> None:
    try:
        fd, tmp = _temporary(path)
    except FileNotFoundError:  # the folder is new: made only then (one call less each time)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _temporary(path)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    try:
        os.replace(tmp, path)
    except PermissionError as e:
        raise OutputLockedError("common.output_locked", path=path, saved=tmp) from e


def _temporary(path: Path) -> tuple[int, Path]:
    """A new file beside ``path``, named for this process (and never a link followed)."""
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{os.getpid()}-{next(_TEMPORARY)}.tmp")
        try:
            return os.open(tmp, _NEW_FILE, 0o666), tmp
        except FileExistsError:
            continue  # left behind by an earlier process of the same number
    raise FileExistsError(f"no free temporary name beside {path}")


@contextlib.contextmanager
def uninterrupted() -> Iterator[None]:
    """Ctrl+C waits until the block has run — a few steps on the disk that must happen
    together or not at all — and takes effect right after it. Only the main thread hears
    Ctrl+C, so elsewhere the block just runs."""
    previous = signal.getsignal(signal.SIGINT)
    # elsewhere than the main thread, or a handler set outside Python (not to be put back)
    if threading.current_thread() is not threading.main_thread() or previous is None:
        yield
        return
    came: list[int] = []
    signal.signal(signal.SIGINT, lambda signum, _frame: came.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if came and callable(previous):
            previous(signal.SIGINT, None)
        elif came and previous == signal.SIG_DFL:
            signal.raise_signal(signal.SIGINT)  # what it would have done: end the process


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def sync_folder(folder: Path) -> None:
    """Make the names just given in ``folder`` (a new file, a rename) durable. POSIX only:
    Windows journals names itself, and cannot open a folder to flush it."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# Every workbook zvit writes with xlsxwriter, in memory (then written atomically) and with
# no text ever turned into a formula, a link or a number: untrusted text stays text.
XLSX_SAFE_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def relative(path: Path, root: Path | None) -> str:
    """``path`` inside ``root`` as "a/b.xlsx" (the same on every system, for the ledger and
    for messages); a path outside it, or without a root, whole."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return str(path)
