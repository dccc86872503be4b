"""The ledger read as another program would, while zvit may be writing it."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def submissions_recorded(db: Path) -> int:
    """How many submissions ``db`` holds now (0 before zvit has made it)."""
    try:
        raw = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return int(raw.execute("SELECT count(*) FROM submissions").fetchone()[0])
        finally:
            raw.close()
    except sqlite3.OperationalError:
        return 0  # not made yet
