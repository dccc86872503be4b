"""The ledger's connection: ``zvit.db`` opened, brought up to the current schema, written
in transactions taken at once, and the runs that wrote it. Every write is one
``BEGIN IMMEDIATE`` transaction and the database runs in WAL mode with a busy timeout, so
several ``zvit collect`` runs may share it. ``toolkit.ledger.store`` holds what is
recorded in it."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from toolkit.errors import WorkspaceError
from toolkit.ledger.rows import iso
from toolkit.ledger.schema import LATEST, MIGRATIONS
from toolkit.workspace import Workspace

DB_NAME = "zvit.db"
BUSY_SECONDS = 60.0


def now() -> datetime:
    """The local time with its offset: what received_at records."""
    return datetime.now().astimezone()


class LedgerBase:
    """One connection to a workspace's ledger; use as a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection
        try:
            self._conn = _connect(path)
            self._migrate()
        except sqlite3.DatabaseError as e:
            raise WorkspaceError("counting.ledger.unreadable", path=path, detail=e) from e

    @classmethod
    def open(cls, ws: Workspace) -> Self:
        return cls(ws.root / DB_NAME)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (BEGIN IMMEDIATE): no other writer can slip
        in between a read and the write that depends on it. Inside ``batch`` it joins the
        batch's transaction."""
        if self._conn.in_transaction:
            yield self._conn
            return
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            if self._conn.in_transaction:  # SQLite may have rolled back by itself (disk full)
                self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def batch(self) -> AbstractContextManager[sqlite3.Connection]:
        """Several records in one transaction (one sync to disk instead of one each)."""
        return self._write()

    def _migrate(self) -> None:
        """Bring the schema up to date; a ledger already current costs one read."""
        if self._version() == LATEST:
            return
        with self._write() as c:
            c.execute(
                "CREATE TABLE IF NOT EXISTS schema_version "
                "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            current = self._version()  # again: another run may have migrated meanwhile
            if current > LATEST:
                raise WorkspaceError("counting.ledger.newer", path=self.path, schema=current)
            for version in range(current + 1, LATEST + 1):
                for statement in MIGRATIONS[version]:
                    c.execute(statement)
                c.execute("INSERT INTO schema_version VALUES (?, ?)", (version, iso(now())))

    def _version(self) -> int:
        try:
            row = self._conn.execute("SELECT max(version) FROM schema_version").fetchone()
        except sqlite3.OperationalError:  # no such table: a new ledger
            return 0
        return int(row[0] or 0)

    @property
    def schema_version(self) -> int:
        return self._version()

    # --- runs -------------------------------------------------------------------------

    def start_run(self, command: str, period: str | None, inputs: Sequence[str]) -> int:
        from toolkit import __version__

        with self._write() as c:
            cur = c.execute(
                "INSERT INTO runs (command, started_at, period, inputs, host, pid, version) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    command,
                    iso(now()),
                    period,
                    json.dumps(list(inputs), ensure_ascii=False),
                    socket.gethostname(),
                    os.getpid(),
                    __version__,
                ),
            )
            return int(cur.lastrowid or 0)

    @contextmanager
    def interruptible(self, run_id: int) -> Iterator[None]:
        """A run stopped by Ctrl+C ends recorded as interrupted (one killed outright keeps
        no end at all); what it recorded before stays, each batch whole."""
        try:
            yield
        except KeyboardInterrupt:
            self.finish_run(run_id, {"interrupted": True}, None)
            raise

    def finish_run(self, run_id: int, summary: dict[str, Any], report: str | None) -> None:
        with self._write() as c:
            c.execute(
                "UPDATE runs SET finished_at = ?, summary = ?, report = ? WHERE id = ?",
                (iso(now()), json.dumps(summary, ensure_ascii=False), report, run_id),
            )

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        """Rows of a read-only query (for the ledger's own modules: counting, mail)."""
        return list(self._conn.execute(sql, params))


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
    # WAL lets readers and one writer work at once. On a network share SQLite may refuse
    # it and keep its rollback journal: still safe, only less concurrent.
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn
