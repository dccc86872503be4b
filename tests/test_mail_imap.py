"""``zvit collect --imap`` against a real Dovecot on 127.0.0.1 over IMAPS: the same
pipeline as collect, each message once, the mailbox left as it was (unless move_to), a
changed UIDVALIDITY re-read without duplicates, thousands of messages in bounded memory."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.collect_support import PERIOD, XLSX_TYPE, broken, filled, in_force
from tests.mail_support import IMAP_PASSWORD, mail_workspace, reply
from tests.support.mailfiles import build_msg, build_tnef, xlsx_bytes
from tests.support.mailfiles import message as plain_message
from tests.support.mailservers import Dovecot, MailCerts
from toolkit.collect.imap import collect_imap
from toolkit.errors import ZvitError
from toolkit.ledger.mail import MailLedger
from toolkit.ledger.status import period_status
from toolkit.ledger.store import Ledger
from toolkit.mailio.imap import quote_mailbox
from toolkit.mailio.settings import imap_settings

ENV = {"ZVIT_IMAP_PASSWORD": IMAP_PASSWORD}
WHEN = datetime(2026, 1, 3, 9, 0, tzinfo=UTC)
REPLY_TO = plain_message(subject="Звіт за 2025 рік: форма", message_id="<form@loga.example>")


def test_replies_from_common_clients_are_collected_once(
    tmp_path: Path, mail_certs: MailCerts, dovecot: Dovecot
) -> None:
    user, _ = dovecot.add_user(IMAP_PASSWORD)
    ws, forms = mail_workspace(tmp_path / "ws", mail_certs, dovecot=dovecot, imap_user=user)
    name = "Звіт ДОН — заповнений.xlsx"
    dovecot.deliver(
        reply(REPLY_TO, "loda-osvita", name, filled(ws, forms["loda-osvita"]), when=WHEN), user=user
    )
    tnef = build_tnef([("ДСЗН звіт.xlsx", filled(ws, forms["loda-szn"]))])
    dovecot.deliver(
        reply(REPLY_TO, "loda-szn", "winmail.dat", tnef, when=WHEN, ctype="application/ms-tnef"),
        user=user,
    )
    msg = build_msg("Звіт", [("Звіт МРГ.xlsx", broken(ws, forms["loda-mrg"]))])
    dovecot.deliver(
        reply(REPLY_TO, "loda-mrg", "Звіт.msg", msg, when=WHEN, ctype="application/vnd.ms-outlook"),
        user=user,
    )
    dovecot.deliver(plain_message(subject="Спам", attachments=[]).as_bytes(), user=user)
    flags_before = dovecot.flags(user=user)

    run = collect_imap(ws, period=PERIOD, env=ENV)
    assert run.fetched == 4 and not run.problems
    new = {f.unit: f for f in run.collect.files if f.status == "new"}
    assert new["loda-osvita"].verdict == "accepted" and new["loda-osvita"].name == name
    assert new["loda-szn"].verdict == "accepted"  # out of winmail.dat
    assert new["loda-mrg"].verdict == "rejected"  # out of the .msg, and checked
    assert "I_MAIL_NO_ATTACHMENT" in {p.code for p in run.collect.problems}
    assert dovecot.flags(user=user) == flags_before  # not even \Seen
    with Ledger.open(ws) as ledger:
        sources = ledger.sources(in_force(ledger)["loda-osvita"].sha256)
        submissions = ledger.count("submissions")
    assert [(s.kind, s.imap_mailbox, s.imap_uid) for s in sources] == [
        ("imap", f"{user}@127.0.0.1/INBOX", 1)
    ]
    states = {u.unit: u.state for u in period_status(ws, PERIOD).units}
    assert states["loda-osvita"] == "accepted" and states["loda-mrg"] == "rejected"

    again = collect_imap(ws, period=PERIOD, env=ENV)
    assert again.fetched == 0 and again.collect.files == []
    with Ledger.open(ws) as ledger:
        assert ledger.count("submissions") == submissions


def test_changed_uidvalidity_reads_again_without_duplicates(
    tmp_path: Path, mail_certs: MailCerts, dovecot: Dovecot
) -> None:
    user, _ = dovecot.add_user(IMAP_PASSWORD)
    ws, forms = mail_workspace(tmp_path / "ws", mail_certs, dovecot=dovecot, imap_user=user)
    dovecot.deliver(
        reply(REPLY_TO, "loda-osvita", "звіт.xlsx", filled(ws, forms["loda-osvita"]), when=WHEN),
        user=user,
    )
    first = collect_imap(ws, period=PERIOD, env=ENV)
    assert first.fetched == 1
    # the server forgets its UIDs (a restored or migrated mailbox): new UIDVALIDITY
    box = dovecot.maildir(user)
    for index in [box / "dovecot-uidlist", *box.glob("dovecot.index*")]:
        index.unlink()
    time.sleep(1.1)  # Dovecot's new UIDVALIDITY is the time in seconds
    dovecot.deliver(
        reply(REPLY_TO, "loda-szn", "звіт.xlsx", filled(ws, forms["loda-szn"]), when=WHEN),
        user=user,
    )
    second = collect_imap(ws, period=PERIOD, env=ENV)
    assert second.fetched == 1 and second.known_by_id == 1  # only the new one downloaded
    assert [f.unit for f in second.collect.files] == ["loda-szn"]
    with Ledger.open(ws) as ledger:
        assert ledger.count("submissions") == 2


def test_move_to_after_recording(tmp_path: Path, mail_certs: MailCerts, dovecot: Dovecot) -> None:
    user, _ = dovecot.add_user(IMAP_PASSWORD)
    ws, forms = mail_workspace(
        tmp_path / "ws", mail_certs, dovecot=dovecot, imap_user=user, imap={"move_to": "Оброблено"}
    )
    dovecot.deliver(
        reply(REPLY_TO, "loda-media", "звіт.xlsx", filled(ws, forms["loda-media"]), when=WHEN),
        user=user,
    )
    run = collect_imap(ws, period=PERIOD, env=ENV)
    assert run.fetched == 1 and run.moved == 1
    assert dovecot.flags(user=user) == {}
    assert len(dovecot.flags(quote_mailbox("Оброблено"), user=user)) == 1
    assert collect_imap(ws, period=PERIOD, env=ENV).fetched == 0


def test_wrong_password_is_an_error_before_any_run(
    tmp_path: Path, mail_certs: MailCerts, dovecot: Dovecot
) -> None:
    user, _ = dovecot.add_user(IMAP_PASSWORD)
    ws, _ = mail_workspace(tmp_path / "ws", mail_certs, dovecot=dovecot, imap_user=user)
    wrong = "not-" + IMAP_PASSWORD
    with pytest.raises(ZvitError) as e:
        collect_imap(ws, period=PERIOD, env={"ZVIT_IMAP_PASSWORD": wrong})
    assert wrong not in str(e.value) and IMAP_PASSWORD not in str(e.value)
    with Ledger.open(ws) as ledger:
        assert ledger.count("runs") == 0


class RssPeak:
    """The highest resident memory of this process while the block runs, sampled (Linux
    /proc; elsewhere nothing is measured). tracemalloc would slow the run five times."""

    def __init__(self) -> None:
        self.base = self.peak = self._rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    @staticmethod
    def _rss() -> int:
        try:
            pages = int(Path("/proc/self/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            return 0
        return pages * os.sysconf("SC_PAGE_SIZE")

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self._rss())

    def __enter__(self) -> RssPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def growth(self) -> int:
        return self.peak - self.base


def test_thousands_of_messages_in_bounded_memory(
    tmp_path: Path, mail_certs: MailCerts, dovecot: Dovecot
) -> None:
    """1,000 messages (~140 MB): each with a distinct workbook and 100 kB of other data."""
    user, _ = dovecot.add_user(IMAP_PASSWORD)
    ws, _ = mail_workspace(
        tmp_path / "ws",
        mail_certs,
        dovecot=dovecot,
        imap_user=user,
        units=("loda-osvita",),
        imap={"batch_size": 50},
    )
    count, pad = 1000, b"\x00" * 100_000
    for i in range(count):
        msg = plain_message(
            subject=f"Лист {i}",
            message_id=f"<bulk{i}@example.gov.ua>",
            attachments=[
                (f"звіт {i}.xlsx", xlsx_bytes(f"лист {i}"), XLSX_TYPE),
                ("scan.bin", pad, "application/octet-stream"),
            ],
        )
        dovecot.deliver(msg.as_bytes(), user=user)
    mailbox = sum(p.stat().st_size for p in (dovecot.maildir(user) / "new").iterdir())
    started = time.monotonic()
    with RssPeak() as memory:
        run = collect_imap(ws, period=PERIOD, env=ENV)
    seconds = time.monotonic() - started
    print(
        f"\nIMAP: {count} messages ({mailbox / 2**20:.0f} MiB) collected in {seconds:.1f} s; "
        f"memory grew by {memory.growth / 2**20:.1f} MiB"
    )
    assert run.fetched == count and len(run.collect.files) == count
    if memory.base:
        assert memory.growth < mailbox / 2  # streamed, not held
    with MailLedger.open(ws) as ledger:
        assert ledger.imap_count(f"{user}@127.0.0.1/INBOX") == count
    started = time.monotonic()
    assert collect_imap(ws, period=PERIOD, env=ENV).fetched == 0
    assert time.monotonic() - started < 10  # nothing downloaded: one query per UID


def test_message_over_the_size_limit_is_recorded_not_read(
    tmp_path: Path, mail_certs: MailCerts, dovecot: Dovecot
) -> None:
    user, _ = dovecot.add_user(IMAP_PASSWORD)
    ws, forms = mail_workspace(tmp_path / "ws", mail_certs, dovecot=dovecot, imap_user=user)
    big = plain_message(
        subject="Великий", attachments=[("scan.bin", b"\x01" * 300_000, "application/octet-stream")]
    )
    dovecot.deliver(big.as_bytes(), user=user)
    dovecot.deliver(
        reply(REPLY_TO, "loda-osvita", "звіт.xlsx", filled(ws, forms["loda-osvita"]), when=WHEN),
        user=user,
    )
    settings = replace(imap_settings(ws, ENV), max_message_bytes=200_000)
    run = collect_imap(ws, period=PERIOD, settings=settings)
    assert run.fetched == 2
    assert [p.code for p in run.collect.problems] == ["E_MAIL_TOO_LARGE"]
    assert [f.unit for f in run.collect.files] == ["loda-osvita"]
    assert collect_imap(ws, period=PERIOD, settings=settings).fetched == 0  # not again
