"""Writing files so that a crash or a file open in Excel never leaves half a file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from toolkit.errors import OutputLockedError

# mkstemp makes files readable by their owner only; outputs get the usual permissions.
_UMASK = os.umask(0)
os.umask(_UMASK)


def atomic_write_bytes(path: Path, data: bytes, *, sync: bool = True) -> None:
    """Write to a temporary file in the same folder, flush it to disk, then rename it
    over ``path``. On Windows the rename fails while Excel holds the file open: the new
    content is then kept beside it and the error says where. ``sync=False`` leaves the
    flush to the caller, who writes many files and then calls ``sync_files`` once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            if sync:
                os.fsync(f.fileno())
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_UMASK)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    try:
        os.replace(tmp, path)
    except PermissionError as e:
        raise OutputLockedError(
            f"Не вдалося замінити «{path}»: файл, імовірно, відкрито в іншій програмі. "
            f"Нову версію збережено як «{tmp}». Закрийте файл і повторіть."
        ) from e


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def sync_files(paths: list[Path]) -> None:
    """Make files written with ``sync=False`` durable: one system-wide flush where there is
    one (POSIX), else each file in turn (Windows)."""
    if not paths:
        return
    if hasattr(os, "sync"):
        os.sync()
        return
    for path in paths:
        with contextlib.suppress(OSError), path.open("rb+") as f:
            os.fsync(f.fileno())


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
