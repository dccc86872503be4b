"""The ledger's record of the e-mail exchange: messages composed for the units, every
attempt to send one, and the IMAP messages collect has taken in. Same database, same
rules as :mod:`toolkit.ledger.store` (append-only, one ``BEGIN IMMEDIATE`` per write).

A message may go to several addresses; a send attempt records the addresses it was for,
so a message whose one recipient was refused is sent again to that one only."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import Any, Literal

from toolkit.ledger.base import now
from toolkit.ledger.rows import IssuedForm, iso
from toolkit.ledger.store import Ledger
from toolkit.workspace import Workspace

Kind = Literal["form", "reminder"]
SendStatus = Literal["sent", "failed"]


@dataclass(frozen=True)
class OutMessage:
    """A message composed for a unit, as the ledger knows it."""

    message_id: str
    unit: str
    period: str
    kind: Kind
    recipients: tuple[str, ...]
    subject: str
    attachment: str
    attachment_sha256: str | None
    form_id: str
    eml: str  # relative to the workspace, '/'-separated
    composed_at: datetime

    @classmethod
    def from_row(cls, row: Any) -> OutMessage:
        return cls(
            row["message_id"],
            row["unit"],
            row["period"],
            row["kind"],
            tuple(json.loads(row["recipients"])),
            row["subject"],
            row["attachment"],
            row["attachment_sha256"],
            row["form_id"],
            row["eml"],
            datetime.fromisoformat(row["composed_at"]),
        )


@dataclass(frozen=True)
class SendRecord:
    message_id: str
    unit: str
    kind: Kind
    recipients: tuple[str, ...]
    status: SendStatus
    error: str
    sent_at: datetime


@dataclass(frozen=True)
class ImapTaken:
    """One IMAP message a collect run took in."""

    uidvalidity: int
    uid: int
    message_id: str | None
    size: int


class MailLedger(Ledger):
    """The ledger with the e-mail tables; use as a context manager."""

    @classmethod
    def open(cls, ws: Workspace) -> MailLedger:
        from toolkit.ledger.base import DB_NAME

        return cls(ws.root / DB_NAME)

    def __enter__(self) -> MailLedger:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- forms issued -----------------------------------------------------------------

    def issued_for(self, period: str) -> dict[str, IssuedForm]:
        """Unit → the newest form issued to it for the period."""
        rows = self._conn.execute(
            "SELECT * FROM issued_forms WHERE period = ? ORDER BY created_at, rowid", (str(period),)
        )
        return {r["unit"]: IssuedForm.from_row(r) for r in rows}

    # --- composed messages ------------------------------------------------------------

    def record_composed(self, message: OutMessage, run_id: int | None = None) -> None:
        m = message
        with self._write() as c:
            c.execute(
                "INSERT INTO mail_messages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    m.message_id,
                    m.unit,
                    m.period,
                    m.kind,
                    json.dumps(list(m.recipients), ensure_ascii=False),
                    m.subject,
                    m.attachment,
                    m.attachment_sha256,
                    m.form_id,
                    m.eml,
                    iso(m.composed_at),
                    run_id,
                ),
            )

    def composed(self, period: str, kind: Kind) -> dict[str, OutMessage]:
        """Unit → the newest message of this kind composed for it and the period."""
        rows = self._conn.execute(
            "SELECT * FROM mail_messages WHERE period = ? AND kind = ? ORDER BY composed_at, rowid",
            (str(period), kind),
        )
        return {r["unit"]: OutMessage.from_row(r) for r in rows}

    def message(self, message_id: str) -> OutMessage | None:
        row = self._conn.execute(
            "SELECT * FROM mail_messages WHERE message_id = ?", (message_id,)
        ).fetchone()
        return None if row is None else OutMessage.from_row(row)

    # --- sending ----------------------------------------------------------------------

    def record_send(
        self,
        message: OutMessage,
        recipients: Sequence[str],
        status: SendStatus,
        error: str = "",
        run_id: int | None = None,
    ) -> None:
        with self._write() as c:
            c.execute(
                "INSERT INTO mail_sends (message_id, unit, period, kind, recipients, "
                "attachment_sha256, status, error, sent_at, run_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    message.message_id,
                    message.unit,
                    message.period,
                    message.kind,
                    json.dumps(list(recipients), ensure_ascii=False),
                    message.attachment_sha256,
                    status,
                    error[:500],
                    iso(now()),
                    run_id,
                ),
            )

    def sent_to(self, message_id: str) -> set[str]:
        """The addresses a message has reached (lower case)."""
        rows = self._conn.execute(
            "SELECT recipients FROM mail_sends WHERE message_id = ? AND status = 'sent'",
            (message_id,),
        )
        return {a.lower() for r in rows for a in json.loads(r[0])}

    def sends(self, period: str, kind: Kind | None = None) -> list[SendRecord]:
        """Every attempt for the period, oldest first."""
        sql = "SELECT * FROM mail_sends WHERE period = ?"
        params: tuple[Any, ...] = (str(period),)
        if kind is not None:
            sql, params = sql + " AND kind = ?", (*params, kind)
        rows = self._conn.execute(sql + " ORDER BY id", params)
        return [
            SendRecord(
                r["message_id"],
                r["unit"],
                r["kind"],
                tuple(json.loads(r["recipients"])),
                r["status"],
                r["error"],
                datetime.fromisoformat(r["sent_at"]),
            )
            for r in rows
        ]

    def reminded_on(self, period: str, day: date) -> set[str]:
        """Units a reminder for the period reached on ``day`` (local date of the send)."""
        return {
            s.unit
            for s in self.sends(period, "reminder")
            if s.status == "sent" and s.sent_at.date() == day
        }

    # --- IMAP -------------------------------------------------------------------------

    def imap_seen(self, mailbox: str) -> ImapSeen:
        return ImapSeen(self, mailbox)

    def imap_has_uid(self, mailbox: str, uidvalidity: int, uid: int) -> bool:
        row = self._conn.execute(
            "SELECT 1 FROM imap_messages WHERE mailbox = ? AND uidvalidity = ? AND uid = ?",
            (mailbox, uidvalidity, uid),
        ).fetchone()
        return row is not None

    def imap_has_message_id(self, message_id: str) -> bool:
        row = self._conn.execute(
            "SELECT 1 FROM imap_messages WHERE message_id = ? LIMIT 1", (message_id,)
        ).fetchone()
        return row is not None

    def record_imap(
        self, mailbox: str, taken: Iterable[ImapTaken], run_id: int | None = None
    ) -> int:
        """Remember messages taken in (a message already known is left as it was)."""
        seen, added = iso(now()), 0
        with self._write() as c:
            for t in taken:
                cur = c.execute(
                    "INSERT OR IGNORE INTO imap_messages (mailbox, uidvalidity, uid, message_id, "
                    "size, seen_at, run_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (mailbox, t.uidvalidity, t.uid, t.message_id, t.size, seen, run_id),
                )
                added += cur.rowcount
        return added

    def imap_count(self, mailbox: str) -> int:
        row = self._conn.execute(
            "SELECT count(*) FROM imap_messages WHERE mailbox = ?", (mailbox,)
        ).fetchone()
        return int(row[0])


class ImapSeen(AbstractSet[Any]):
    """What :func:`toolkit.mailio.imap.fetch` asks ``in``: a (UIDVALIDITY, UID) pair of this
    mailbox, or a Message-ID taken in from any mailbox. Answered from the ledger one
    question at a time, so memory does not grow with the mailbox."""

    def __init__(self, ledger: MailLedger, mailbox: str) -> None:
        self.ledger, self.mailbox = ledger, mailbox
        self.by_message_id = 0  # messages known only by their Message-ID (UIDVALIDITY changed)

    def __contains__(self, item: object) -> bool:
        if isinstance(item, tuple) and len(item) == 2:
            validity, uid = item
            return self.ledger.imap_has_uid(self.mailbox, int(validity), int(uid))
        if isinstance(item, str):
            found = self.ledger.imap_has_message_id(item)
            self.by_message_id += found
            return found
        return False

    def __iter__(self) -> Iterator[Any]:
        return iter(())  # never listed: only asked

    def __len__(self) -> int:
        return self.ledger.imap_count(self.mailbox)
