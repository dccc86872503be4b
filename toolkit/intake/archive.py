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
from toolkit.fsutil import atomic_write_bytes, atomic_write_text, sync_files
from toolkit.intake.ledger import now
from toolkit.intake.ledger_rows import Source
from toolkit.validate.result import Validation

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
    """Files are written without waiting for the disk each time; ``flush`` makes them all
    durable at once, and must come before the ledger records them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._unsynced: list[Path] = []

    def store(self, data: bytes, sha256: str, fmt: str, name: str = "") -> str:
        """Keep the original bytes; returns the path relative to the workspace."""
        rel = f"archive/{sha256[:2]}/{sha256}.{extension(fmt, name)}"
        if _write_once(self.root / rel, data, sha256):
            self._unsynced.append(self.root / rel)
        return rel

    def flush(self) -> None:
        sync_files(self._unsynced)
        self._unsynced.clear()

    def quarantine(self, data: bytes, sha256: str, fmt: str, note: dict[str, Any],
                   name: str = "") -> str:
        rel = f"quarantine/{sha256}.{extension(fmt, name)}"
        _write_once(self.root / rel, data, sha256, sync=True)
        note_path = self.root / "quarantine" / f"{sha256}.json"
        if not note_path.exists():
            atomic_write_text(note_path, json.dumps(note, ensure_ascii=False, indent=2) + "\n")
        return rel


def _write_once(path: Path, data: bytes, sha256: str, *, sync: bool = False) -> bool:
    """Content-addressed: the path names the bytes, so writing them over a copy already
    there (another run's) changes nothing, and a damaged copy is replaced — no need to
    read it first. True when written."""
    try:
        atomic_write_bytes(path, data, sync=sync, keep_mode=False)
    except OutputLockedError:
        if not _holds(path, sha256):  # on Windows another run may hold it open right now
            raise
        return False
    return True


def _holds(path: Path, sha256: str) -> bool:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() == sha256
    except OSError:
        return False


def quarantine_note(v: Validation, source: Source) -> dict[str, Any]:
    """What the JSON beside a file in quarantine says of it."""
    return {
        "file": v.file, "sha256": v.sha256, "size": v.size, "format": v.fmt,
        "codes": sorted({i.code for i in v.issues}),
        "issues": [i.to_dict("uk") for i in v.issues],
        "source": source.location, "sender": source.sender or None,
        "message_id": source.message_id, "quarantined_at": now().isoformat(timespec="seconds"),
    }


def hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()
