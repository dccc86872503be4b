"""Migration 2 (the e-mail tables) on a ledger made by the first schema, and the rules it
keeps: nothing deleted, nothing changed."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from toolkit.ledger.mail import ImapTaken, MailLedger, OutMessage
from toolkit.ledger.schema import LATEST, MIGRATIONS


def version_one(path: Path) -> None:
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT)")
    for statement in MIGRATIONS[1]:
        raw.execute(statement)
    raw.execute("INSERT INTO schema_version VALUES (1, 'then')")
    raw.commit()
    raw.close()


def test_a_first_schema_ledger_gets_the_mail_tables(tmp_path: Path) -> None:
    db = tmp_path / "zvit.db"
    version_one(db)
    message = OutMessage(
        "<m1@x.ua>",
        "loda-osvita",
        "2025",
        "form",
        ("a@x.ua", "b@x.ua"),
        "Звіт",
        "форма.xlsx",
        "0" * 64,
        "F1",
        "outbox/2025/a.eml",
        datetime(2026, 1, 1).astimezone(),
    )
    with MailLedger(db) as ledger:
        assert ledger.schema_version == LATEST >= 2
        ledger.record_composed(message)
        ledger.record_send(message, ["a@x.ua"], "sent")
        ledger.record_send(message, ["b@x.ua"], "failed", "550 no such user")
        assert ledger.sent_to("<m1@x.ua>") == {"a@x.ua"}
        assert ledger.composed("2025", "form")["loda-osvita"] == message
        ledger.record_imap("u@h/INBOX", [ImapTaken(7, 1, "<r1@x.ua>", 100)])
        seen = ledger.imap_seen("u@h/INBOX")
        assert (7, 1) in seen and (8, 1) not in seen and "<r1@x.ua>" in seen
        assert ledger.imap_seen("other@h/INBOX").__contains__((7, 1)) is False
    raw = sqlite3.connect(db)
    for sql in (
        "DELETE FROM mail_sends",
        "UPDATE mail_messages SET subject = 'x'",
        "DELETE FROM imap_messages",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="zvit ledger"):
            raw.execute(sql)
    raw.close()
