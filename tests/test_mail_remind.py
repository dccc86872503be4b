"""``zvit mail remind``: only units whose report is missing or has errors, the latter with
the feedback copy collect made of their own file; once a day unless --again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.collect_support import EMAIL, PERIOD, UNITS, broken, filled, message, write_eml
from tests.mail_support import SMTP_PASSWORD, attachment, mail_workspace, parse, smtp_server
from tests.support.mailservers import MailCerts, SmtpServer
from toolkit.collect.run import collect
from toolkit.ledger.mail import MailLedger
from toolkit.mail.dispatch import send_forms
from toolkit.mail.outbox import compose_forms
from toolkit.mail.remind import remind

ENV = {"ZVIT_SMTP_PASSWORD": SMTP_PASSWORD}


@pytest.fixture
def smtp(mail_certs: MailCerts) -> Iterator[SmtpServer]:
    with smtp_server(mail_certs) as server:
        yield server


def test_remind_missing_and_erroneous_only(
    tmp_path: Path, mail_certs: MailCerts, smtp: SmtpServer
) -> None:
    ws, forms = mail_workspace(tmp_path / "ws", mail_certs, smtp=smtp)
    compose_forms(ws, PERIOD)
    assert send_forms(ws, PERIOD, env=ENV).clean
    sent_forms = {u: parse(m.data) for u in UNITS for m in smtp.messages if EMAIL[u] in m.rcpt_tos}
    smtp.messages.clear()
    # osvita reports well, szn with errors (a feedback copy is made); the rest are missing
    when = datetime(2026, 1, 3, 9, 0, tzinfo=UTC)
    good, bad = filled(ws, forms["loda-osvita"]), broken(ws, forms["loda-szn"])
    write_eml(
        tmp_path / "in" / "1.eml",
        message([("osvita.xlsx", good)], sender=EMAIL["loda-osvita"], when=when),
    )
    write_eml(
        tmp_path / "in" / "2.eml", message([("szn.xlsx", bad)], sender=EMAIL["loda-szn"], when=when)
    )
    run = collect(ws, [tmp_path / "in"], PERIOD)
    [feedback] = run.feedback
    expected = set(UNITS) - {"loda-osvita"}

    dry = remind(ws, PERIOD, dry_run=True, env={})
    assert {t.unit for t in dry.targets} == expected
    assert dry.send is not None and dry.send.count("would_send") == len(expected)
    assert smtp.messages == []
    assert not list((ws.root / "outbox" / "2025").glob("reminders-*"))  # nothing written

    done = remind(ws, PERIOD, env=ENV)
    assert done.clean, done.problems
    assert done.send is not None and done.send.count("sent") == len(expected)
    got = {u: parse(m.data) for u in UNITS for m in smtp.messages if EMAIL[u] in m.rcpt_tos}
    assert set(got) == expected
    # errors: the feedback copy of the unit's own file, and the errors listed in the text
    name, data = attachment(got["loda-szn"])
    assert (name, data) == (feedback.name, feedback.read_bytes())
    body = got["loda-szn"].get_body(("plain",))
    assert body is not None and "Помилки:" in body.get_content()
    assert "виправлень" in got["loda-szn"]["Subject"]
    # missing: the form again, in the thread of the form message
    for unit in expected - {"loda-szn"}:
        assert attachment(got[unit]) == (forms[unit].path.name, forms[unit].path.read_bytes())
        assert got[unit]["In-Reply-To"].strip() == sent_forms[unit]["Message-ID"]
        assert "не надійшов" in got[unit]["Subject"]

    again = remind(ws, PERIOD, env=ENV)
    assert again.send is not None and again.send.count("sent") == 0
    assert {p.code for p in again.problems} == {"I_REMIND_ALREADY_TODAY", "W_MAIL_NO_FORM"}
    assert len(smtp.messages) == len(expected)
    forced = remind(ws, PERIOD, units=("loda-mrg",), again=True, env=ENV)
    assert forced.send is not None and forced.send.count("sent") == 1
    with MailLedger.open(ws) as ledger:
        sends = ledger.sends("2025", "reminder")
    assert sorted(s.unit for s in sends) == sorted([*expected, "loda-mrg"])


def test_reminder_left_by_a_stopped_run_is_sent_next_time(
    tmp_path: Path, mail_certs: MailCerts, smtp: SmtpServer
) -> None:
    ws, _ = mail_workspace(tmp_path / "ws", mail_certs, smtp=smtp)
    smtp.drop_after = 1
    first = remind(ws, PERIOD, env=ENV)
    assert first.send is not None and first.send.count("sent") == 1 and first.send.left
    smtp.drop_after = None
    second = remind(ws, PERIOD, env=ENV)
    assert second.send is not None and second.send.clean
    # the reminders composed by the first run went, none was made twice
    with MailLedger.open(ws) as ledger:
        composed = ledger.composed("2025", "reminder")
    ids = sorted(parse(m.data)["Message-ID"] for m in smtp.messages)
    assert ids == sorted(m.message_id for m in composed.values())
    assert len(smtp.messages) == len(UNITS)
