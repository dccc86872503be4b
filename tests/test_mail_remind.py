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
    # the letters it composed in memory are not taken for files missing from the outbox
    found = {i.code for i in [*dry.problems, *dry.send.problems]}
    assert "E_MAIL_OUTBOX_CHANGED" not in found, found

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


def test_a_season_with_own_copies_blank_forms_a_csv_and_a_faulty_correction(
    tmp_path: Path, mail_certs: MailCerts, smtp: SmtpServer
) -> None:
    """What the coordinator's mailbox holds in a real season: zvit's own form messages
    (copies of what it sent), a blank form sent back as it came, a CSV, an accepted report
    and a later correction with errors. Status says what each unit sent; the reminders say
    exactly what was wrong and carry the right attachment."""
    ws, forms = mail_workspace(tmp_path / "ws", mail_certs, smtp=smtp)
    compose_forms(ws, PERIOD)
    assert send_forms(ws, PERIOD, env=ENV).clean
    smtp.messages.clear()
    inbox = tmp_path / "in"
    day = lambda d: datetime(2026, 1, d, 9, 0, tzinfo=UTC)  # noqa: E731
    osvita, szn, zdorovia = EMAIL["loda-osvita"], EMAIL["loda-szn"], EMAIL["loda-zdorovia"]
    write_eml(
        inbox / "1.eml",
        message([("a.xlsx", filled(ws, forms["loda-osvita"]))], sender=osvita, when=day(2)),
    )
    write_eml(
        inbox / "2.eml",
        message([("b.xlsx", broken(ws, forms["loda-osvita"]))], sender=osvita, when=day(4)),
    )
    write_eml(
        inbox / "3.eml",
        message([("звіт.xlsx", b"measure;status\nI.1;done\n")], sender=szn, when=day(3)),
    )
    blank = forms["loda-zdorovia"].path.read_bytes()
    write_eml(inbox / "4.eml", message([("форма.xlsx", blank)], sender=zdorovia, when=day(3)))
    # the copies of zvit's own messages, collected after the units had replied
    for n, own in enumerate(sorted((ws.root / "outbox" / "2025").glob("*.eml"))):
        (inbox / f"9{n}-own.eml").write_bytes(own.read_bytes())
    run = collect(ws, [inbox], PERIOD)
    notes = {n.code for f in run.files for n in f.notes}
    assert {"I_OWN_MESSAGE", "W_CORRECTION_HAS_ERRORS"} <= notes

    from toolkit.ledger.status import period_status
    from toolkit.ledger.status_text import state_text

    status = {u.unit: u for u in period_status(ws, PERIOD).units}
    assert status["loda-osvita"].state == "accepted" and status["loda-osvita"].standing.newer
    assert status["loda-szn"].state == "unusable"
    assert "CSV" in state_text(status["loda-szn"].standing, "uk")
    assert state_text(status["loda-zdorovia"].standing, "uk") == (
        "надійшло, але не прийнято: порожня форма"
    )
    assert status["loda-media"].state == "missing"  # only zvit's own copy of its form came

    done = remind(ws, PERIOD, env=ENV)
    reasons = {t.unit: t.reason for t in done.targets}
    assert reasons["loda-osvita"] == "correction" and reasons["loda-media"] == "missing"
    assert reasons["loda-szn"] == reasons["loda-zdorovia"] == "unusable"
    got = {u: parse(m.data) for u in UNITS for m in smtp.messages if EMAIL[u] in m.rcpt_tos}
    for unit, why in (("loda-szn", "CSV"), ("loda-zdorovia", "порожня форма")):
        body = got[unit].get_body(("plain",))
        assert body is not None and why in body.get_content()
        assert attachment(got[unit]) == (forms[unit].path.name, forms[unit].path.read_bytes())
    body = got["loda-osvita"].get_body(("plain",))
    assert body is not None and "прийнято і враховано" in body.get_content()
    name, _ = attachment(got["loda-osvita"])
    assert name.endswith(".xlsx") and "зауваження" in name
