"""A workspace's plan and registry, once read and checked, kept as JSON in ``.cache/``:
every command reads them, and parsing a registry of a thousand units as YAML takes a
good part of a second. An entry is found by the file's bytes, its schema and zvit's
version, so any edit (or another zvit) reads and checks the file afresh; a missing or
damaged entry only costs that."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from toolkit import __version__
from toolkit.fsutil import atomic_write_text
from toolkit.resources import schemas_dir


def cache_key(raw: bytes, schema_name: str) -> str:
    h = hashlib.sha256(__version__.encode())
    for part in (raw, (schemas_dir() / schema_name).read_bytes()):
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()[:32]


def recall(folder: Path, stem: str, key: str) -> Any | None:
    try:
        return json.loads((folder / f"{stem}-{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def remember(folder: Path, stem: str, key: str, data: Any) -> None:
    """Keep the data of a file that passed its checks (and only what JSON gives back
    unchanged: a number used as a key would not be)."""
    text = json.dumps(data, ensure_ascii=False)
    if json.loads(text) != data:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob(f"{stem}-*.json"):  # of an earlier version of the file
            old.unlink(missing_ok=True)
        atomic_write_text(folder / f"{stem}-{key}.json", text)
    except OSError:
        pass  # a read-only workspace: the file is simply read again next time
