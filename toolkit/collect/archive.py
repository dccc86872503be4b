"""The workspace's copy of every file received, by content, the bytes exactly as they came.

Originals are kept in packs: ``archive/<time>-run<N>-<n>.zip``, plain zip files written once
and never changed, each member named for its content (``<sha256>.xlsx``) and stored
uncompressed, so a pack holds the very bytes received. The ledger names each original as
``archive/<pack>.zip/<sha256>.xlsx`` — the path Windows Explorer shows inside the zip.
One pack per slice of a run, not one file per original: creating a file costs the
filesystem (and on Windows the virus scanner) far more than writing its bytes, and the
pack is made durable with one flush where a thousand files would each need their own.
Workspaces made before packs keep their ``archive/ab/<sha256>.xlsx`` files; both are read.

Files that cannot or must not be opened are also copied to ``quarantine/`` with a JSON
note of why, one file each, where the coordinator can look at them."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
import zipfile
from pathlib import Path
from typing import IO, Any

from toolkit.errors import OutputLockedError
from toolkit.fsutil import atomic_write_bytes, atomic_write_text, sync_folder, uninterrupted
from toolkit.ledger.base import now
from toolkit.ledger.rows import Source
from toolkit.validate.result import Validation

# The extension tells a person (and Excel) what the file is; the bytes decide, not the name.
_EXTENSIONS = {
    "xlsx": "xlsx",
    "xlsm": "xlsm",
    "xlsb": "xlsb",
    "xls": "xls",
    "ods": "ods",
    "csv": "csv",
    "html": "html",
    "encrypted": "xlsx",
    "strict_ooxml": "xlsx",
    "msg": "msg",
    "zip": "zip",
    "eml": "eml",
}
_NAME_EXTENSIONS = frozenset(_EXTENSIONS.values()) | {"pdf", "docx", "doc", "txt"}
_PACK_BYTES = 512 * 1024 * 1024  # a pack past this is closed before the next original
_IN_PACK = ".zip/"  # what separates a pack from its member in a path the ledger keeps


def extension(fmt: str, name: str = "") -> str:
    if fmt in _EXTENSIONS:
        return _EXTENSIONS[fmt]
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    return ext if ext in _NAME_EXTENSIONS else "bin"


class _Pack:
    """A pack being written: under a temporary name until it is complete and durable."""

    def __init__(self, final: Path) -> None:
        self.final = final
        self.partial = final.with_name(f".{final.name}.partial")
        self._file: IO[bytes] = self.partial.open("xb")
        self.zip = zipfile.ZipFile(self._file, "w", zipfile.ZIP_STORED)
        self.members: dict[str, str] = {}  # sha256 → member name
        self.size = 0
        self._made = time.localtime()[:6]  # each member's time: when it was archived

    def add(self, member: str, data: bytes) -> None:
        self.zip.writestr(zipfile.ZipInfo(member, self._made), data)
        self.size += len(data)

    def finish(self) -> None:
        """Close, flush to disk, then give the pack its name (made durable too)."""
        self.zip.close()
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        _rename(self.partial, self.final)
        sync_folder(self.final.parent)

    def discard(self) -> None:
        with contextlib.suppress(OSError, ValueError):  # half-written: closing may fail
            self.zip.close()
        self._file.close()
        self.partial.unlink(missing_ok=True)


def _rename(partial: Path, final: Path, attempts: int = 40) -> None:
    """On Windows a virus scanner may hold a file just written for a moment: the rename
    is tried again for up to two seconds before the error stands."""
    for attempt in range(attempts):
        try:
            os.replace(partial, final)
            return
        except PermissionError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.05)


class Archive:
    """Originals go into the open pack; ``flush`` completes it, and must come before the
    ledger names what it holds. ``label`` (the run) makes the pack names of concurrent
    runs differ."""

    def __init__(self, root: Path, label: str = "") -> None:
        self.root = root
        self.label = label or f"p{os.getpid()}"
        self._pack: _Pack | None = None
        self._count = 0

    def store(self, data: bytes, sha256: str, fmt: str, name: str = "") -> str:
        """Keep the original bytes; returns the path relative to the workspace, valid once
        the pack is flushed. The same bytes twice in one pack are kept once (a run checks each
        bytes once; a later run finds them in the ledger)."""
        pack = self._open()
        member = pack.members.get(sha256)
        if member is None:
            member = pack.members[sha256] = f"{sha256}.{extension(fmt, name)}"
            pack.add(member, data)
        return f"archive/{pack.final.name}/{member}"

    def flush(self) -> None:
        if self._pack is not None:
            pack, self._pack = self._pack, None
            with uninterrupted():  # a pack is named whole or not at all
                try:
                    pack.finish()
                except BaseException:
                    pack.discard()
                    raise

    def discard(self) -> None:
        """A failed run: drop the pack being written (nothing in it was recorded)."""
        if self._pack is not None:
            pack, self._pack = self._pack, None
            pack.discard()

    def _open(self) -> _Pack:
        if self._pack is not None and self._pack.size >= _PACK_BYTES:
            self.flush()
        if self._pack is None:
            folder = self.root / "archive"
            if not folder.is_dir():
                folder.mkdir(parents=True, exist_ok=True)
                sync_folder(folder.parent)  # the new folder outlives a power cut too
            with uninterrupted():  # the pack's file is made and known together
                self._pack = self._new_pack(folder, time.strftime("%Y%m%d-%H%M%S"))
        return self._pack

    def _new_pack(self, folder: Path, stamp: str) -> _Pack:
        for _ in range(1000):
            self._count += 1
            final = folder / f"{stamp}-{self.label}-{self._count:03d}.zip"
            if final.exists():
                continue
            try:
                return _Pack(final)
            except FileExistsError:  # a partial pack of a run killed the same second
                continue
        raise FileExistsError(f"no free pack name in {folder}")

    def quarantine(
        self, data: bytes, sha256: str, fmt: str, note: dict[str, Any], name: str = ""
    ) -> str:
        rel = f"quarantine/{sha256}.{extension(fmt, name)}"
        _write_once(self.root / rel, data, sha256)
        note_path = self.root / "quarantine" / f"{sha256}.json"
        if not note_path.exists():
            atomic_write_text(note_path, json.dumps(note, ensure_ascii=False, indent=2) + "\n")
        return rel


def read_original(root: Path, rel: str) -> bytes:
    """The bytes the ledger's ``archive_path`` names: a member of a pack, or a file of its
    own (archives made before packs). OSError when they are not there or are damaged."""
    pack, found, member = rel.partition(_IN_PACK)
    if not found:
        return (root / rel).read_bytes()
    try:
        with zipfile.ZipFile(root / f"{pack}.zip") as zf:
            return zf.read(member)  # the CRC is checked as it is read
    except (KeyError, zipfile.BadZipFile) as e:
        raise OSError(f"{rel}: {e}") from e


def _write_once(path: Path, data: bytes, sha256: str) -> None:
    """Content-addressed: the path names the bytes, so writing them over a copy already
    there (another run's) changes nothing, and a damaged copy is replaced — no need to
    read it first."""
    try:
        atomic_write_bytes(path, data, keep_mode=False)
    except OutputLockedError:
        if not _holds(path, sha256):  # on Windows another run may hold it open right now
            raise


def _holds(path: Path, sha256: str) -> bool:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() == sha256
    except OSError:
        return False


def quarantine_note(v: Validation, source: Source) -> dict[str, Any]:
    """What the JSON beside a file in quarantine says of it."""
    return {
        "file": v.file,
        "sha256": v.sha256,
        "size": v.size,
        "format": v.fmt,
        "codes": sorted({i.code for i in v.issues}),
        "issues": [i.to_dict("uk") for i in v.issues],
        "source": source.location,
        "sender": source.sender or None,
        "message_id": source.message_id,
        "quarantined_at": now().isoformat(timespec="seconds"),
    }


def hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()
