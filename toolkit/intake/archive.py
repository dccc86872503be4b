"""The workspace's copy of every file received, by content: ``archive/ab/<sha256>.<ext>``,
the bytes exactly as they came, written once (the same bytes are the same file however
often they arrive). Files that cannot or must not be opened are also copied to
``quarantine/`` with a JSON note of why, where the coordinator can look at them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from toolkit.errors import OutputLockedError
from toolkit.fsutil import atomic_write_bytes, atomic_write_text

# The extension tells a person (and Excel) what the file is; the bytes decide, not the name.
_EXTENSIONS = {
    "xlsx": "xlsx", "xlsm": "xlsm", "xlsb": "xlsb", "xls": "xls", "ods": "ods", "csv": "csv",
    "html": "html", "encrypted": "xlsx", "strict_ooxml": "xlsx", "msg": "msg", "zip": "zip",
    "eml": "eml",
}
_NAME_EXTENSIONS = frozenset(_EXTENSIONS.values()) | {"pdf", "docx", "doc", "txt"}


def extension(fmt: str, name: str = "") -> str:
    if fmt in _EXTENSIONS:
        return _EXTENSIONS[fmt]
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    return ext if ext in _NAME_EXTENSIONS else "bin"


class Archive:
    def __init__(self, root: Path) -> None:
        self.root = root

    def store(self, data: bytes, sha256: str, fmt: str, name: str = "") -> str:
        """Keep the original bytes; returns the path relative to the workspace."""
        rel = f"archive/{sha256[:2]}/{sha256}.{extension(fmt, name)}"
        _write_once(self.root / rel, data, sha256)
        return rel

    def quarantine(self, data: bytes, sha256: str, fmt: str, note: dict[str, Any],
                   name: str = "") -> str:
        rel = f"quarantine/{sha256}.{extension(fmt, name)}"
        _write_once(self.root / rel, data, sha256)
        note_path = self.root / "quarantine" / f"{sha256}.json"
        if not note_path.exists():
            atomic_write_text(note_path, json.dumps(note, ensure_ascii=False, indent=2) + "\n")
        return rel


def _write_once(path: Path, data: bytes, sha256: str) -> None:
    """Content-addressed: a file already there with the right bytes is left alone (another
    run may have just written it); one with other bytes was damaged and is replaced."""
    if _holds(path, sha256):
        return
    try:
        atomic_write_bytes(path, data)
    except OutputLockedError:
        if not _holds(path, sha256):  # on Windows another run may hold it open right now
            raise


def _holds(path: Path, sha256: str) -> bool:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() == sha256
    except OSError:
        return False
