"""``zvit mail compose | send``: the outbox, and sending it to a real SMTP server on
127.0.0.1 (aiosmtpd: STARTTLS or implicit TLS, AUTH) — resumable, paced, never twice."""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.collect_support import EMAIL, PERIOD, UNITS
from tests.mail_support import (
    COORDINATOR,
    SMTP_PASSWORD,
    attachment,
    mail_workspace,
    parse,
    set_emails,
    smtp_server,
)
from tests.support.mailservers import MailCerts, SmtpServer
from toolkit.errors import UsageError
from toolkit.forms.make import due_date
from toolkit.ledger.mail import MailLedger
from toolkit.mail.dispatch import send_forms
from toolkit.mail.outbox import compose_forms
from toolkit.mailio.settings import smtp_settings
from toolkit.workspace import open_workspace

ENV = {"ZVIT_SMTP_PASSWORD": SMTP_PASSWORD}


@pytest.fixture
def smtp(mail_certs: MailCerts) -> Iterator[SmtpServer]:
    with smtp_server(mail_certs) as server:
        yield server


def received_by(server: SmtpServer) -> Counter[str]:
    return Counter(r for m in server.messages for r in m.rcpt_tos)


# ---------------------------------------------------------------- compose


def test_compose_one_message_per_unit(tmp_path: Path, mail_certs: MailCerts) -> None:
    ws, forms = mail_workspace(tmp_path / "ws", mail_certs)
    set_emails(ws, {"loda-mrg": []})
    result = compose_forms(ws, PERIOD, units=UNITS)
    assert {m.unit for m in result.made} == set(UNITS) - {"loda-mrg"}
    assert [p.code for p in result.problems] == ["W_MAIL_NO_ADDRESS"]
    assert result.problems[0].where.unit == "loda-mrg"
    due = due_date(ws.plan(), PERIOD, ws.executors_due())
    assert due is not None
    with MailLedger.open(ws) as ledger:
        recorded = ledger.composed("2025", "form")
    for m in result.made:
        path = ws.root / m.eml
        assert path.parent == ws.root / "outbox" / "2025"
        raw = path.read_bytes()
        assert b"\r\n" in raw and b"filename*0*=utf-8''" in raw  # CRLF; RFC 2231 name
        msg = parse(raw)
        assert msg["To"] == EMAIL[m.unit]
        for field in ("From", "Reply-To"):
            [address] = msg[field].addresses
            assert address.addr_spec == COORDINATOR
            # CPython's parser puts a space between two encoded-words of one folded word;
            # RFC 2047 (6.2) says to drop it, as mail clients do
            assert address.display_name.replace(" ", "") == "СлужбаусправахдітейОДА"
        assert msg["X-Unsent"] == "1"
        unit = ws.registry().units[m.unit]
        assert "2025" in msg["Subject"] and unit.short in msg["Subject"]
        body = msg.get_body(("plain",))
        assert body is not None
        text = body.get_content()
        assert f"до {due:%d.%m.%Y}" in text and "Відповісти" in text
        name, data = attachment(msg)
        assert name == forms[m.unit].path.name and "звіт" in name  # Cyrillic, intact
        assert data == forms[m.unit].path.read_bytes()
        assert recorded[m.unit].message_id == str(msg["Message-ID"])
        assert recorded[m.unit].attachment_sha256 == hashlib.sha256(data).hexdigest()


def test_compose_again_keeps_unchanged_and_renews_changed(
    tmp_path: Path, mail_certs: MailCerts
) -> None:
    ws, _ = mail_workspace(tmp_path / "ws", mail_certs, units=("loda-osvita", "loda-szn"))
    first = {m.unit: m for m in compose_forms(ws, PERIOD).made}
    (ws.root / first["loda-szn"].eml).unlink()  # deleted by hand: written again, same message
    again = compose_forms(ws, PERIOD)
    assert not again.made and {m.message_id for m in again.kept} == {
        m.message_id for m in first.values()
    }
    assert (ws.root / first["loda-szn"].eml).is_file()
    set_emails(ws, {"loda-osvita": ["new@loga.gov.ua.example"]})
    ws = open_workspace(ws.root)
    third = compose_forms(ws, PERIOD)
    [renewed] = third.made
    assert renewed.unit == "loda-osvita" and renewed.recipients == ("new@loga.gov.ua.example",)
    assert renewed.message_id != first["loda-osvita"].message_id
    assert renewed.eml != first["loda-osvita"].eml  # the old one is kept, not overwritten


def test_bad_address_is_reported(tmp_path: Path, mail_certs: MailCerts) -> None:
    ws, _ = mail_workspace(tmp_path / "ws", mail_certs, units=("loda-osvita",))
    typo = "osvita@loga.gov.ua.example."  # passes the registry's schema, not a mail server
    set_emails(ws, {"loda-osvita": [typo, "osvita@loga.gov.ua.example"]})
    result = compose_forms(ws, PERIOD, units=("loda-osvita",))
    assert [(p.code, p.params["address"]) for p in result.problems] == [
        ("E_MAIL_BAD_ADDRESS", typo)
    ]
    assert result.made[0].recipients == ("osvita@loga.gov.ua.example",)


def test_unknown_unit_is_a_usage_error(tmp_path: Path, mail_certs: MailCerts) -> None:
    ws, _ = mail_workspace(tmp_path / "ws", mail_certs, units=("loda-osvita",))
    with pytest.raises(UsageError):
        compose_forms(ws, PERIOD, units=("nobody",))


# ---------------------------------------------------------------- send


def test_send_over_starttls_with_login_then_nothing_twice(
    tmp_path: Path, mail_certs: MailCerts, smtp: SmtpServer
) -> None:
    ws, forms = mail_workspace(tmp_path / "ws", mail_certs, smtp=smtp)
    composed = {m.unit: m for m in compose_forms(ws, PERIOD).made}
    run = send_forms(ws, PERIOD, env=ENV)
    assert run.clean and run.count("sent") == len(UNITS)
    assert received_by(smtp) == Counter(EMAIL[u] for u in UNITS)
    for got in smtp.messages:
        assert got.login == "mailer" and got.mail_from == COORDINATOR
        msg = parse(got.data)
        assert "X-Unsent" not in msg
        [unit] = [u for u in UNITS if EMAIL[u] in got.rcpt_tos]
        assert msg["Message-ID"] == composed[unit].message_id
        assert attachment(msg) == (forms[unit].path.name, forms[unit].path.read_bytes())
    again = send_forms(ws, PERIOD, env=ENV)
    assert again.count("done") == len(UNITS) and again.count("sent") == 0
    assert len(smtp.messages) == len(UNITS)
    with MailLedger.open(ws) as ledger:
        sends = ledger.sends("2025", "form")
    assert [s.status for s in sends] == ["sent"] * len(UNITS)


def test_dry_run_sends_and_records_nothing(
    tmp_path: Path, mail_certs: MailCerts, smtp: SmtpServer
) -> None:
    ws, _ = mail_workspace(tmp_path / "ws", mail_certs, smtp=smtp)
    compose_forms(ws, PERIOD)
    run = send_forms(ws, PERIOD, dry_run=True, env={})  # no password needed to look
    assert run.count("would_send") == len(UNITS)
    assert smtp.messages == []
    with MailLedger.open(ws) as ledger:
        assert ledger.sends("2025") == []


def test_refused_recipient_does_not_stop_the_others(
    tmp_path: Path, mail_certs: MailCerts, smtp: SmtpServer
) -> None:
    ws, _ = mail_workspace(tmp_path / "ws", mail_certs, smtp=smtp)
    gone = "gone@loga.gov.ua.example"
    set_emails(ws, {"loda-szn": [EMAIL["loda-szn"], gone]})
    compose_forms(open_workspace(ws.root), PERIOD)
    smtp.refuse = {gone}
    run = send_forms(ws, PERIOD, env=ENV)
    assert not run.clean and not run.left
    assert run.count("sent") == len(UNITS) - 1 and run.count("refused") == 1
    [refused] = [d for d in run.deliveries if d.status == "refused"]
    assert list(refused.refused) == [gone] and "550" in refused.refused[gone]
    assert received_by(smtp) == Counter(EMAIL[u] for u in UNITS)
    # the address is fixed on the server's side: a re-run sends to it alone
    smtp.refuse = set()
    again = send_forms(ws, PERIOD, env=ENV)
    assert [(d.message.unit, d.recipients) for d in again.deliveries if d.status == "sent"] == [
        ("loda-szn", (gone,))
    ]
    assert received_by(smtp) == Counter([*(EMAIL[u] for u in UNITS), gone])


def test_dropped_connection_leaves_the_rest_for_the_next_run(
    tmp_path: Path, mail_certs: MailCerts, smtp: SmtpServer
) -> None:
    ws, _ = mail_workspace(tmp_path / "ws", mail_certs, smtp=smtp)
    compose_forms(ws, PERIOD)
    smtp.drop_after = 2
    first = send_forms(ws, PERIOD, env=ENV)
    assert first.count("sent") == 2 and first.count("failed") == 1
    assert len(first.left) == len(UNITS) - 3 and first.stopped
    smtp.drop_after = None
    second = send_forms(ws, PERIOD, env=ENV)
    assert second.clean and second.count("sent") == len(UNITS) - 2
    assert second.count("done") == 2
    assert received_by(smtp) == Counter(EMAIL[u] for u in UNITS)  # each exactly once
    ids = [parse(m.data)["Message-ID"] for m in smtp.messages]
    assert len(set(ids)) == len(ids) == len(UNITS)


def test_wrong_password_stops_at_once(
    tmp_path: Path, mail_certs: MailCerts, smtp: SmtpServer
) -> None:
    ws, _ = mail_workspace(tmp_path / "ws", mail_certs, smtp=smtp)
    compose_forms(ws, PERIOD)
    run = send_forms(ws, PERIOD, env={"ZVIT_SMTP_PASSWORD": "wrong-" + SMTP_PASSWORD})
    assert run.count("failed") == 1 and len(run.left) == len(UNITS) - 1
    assert "535" in run.stopped and SMTP_PASSWORD not in run.stopped
    assert smtp.messages == []


def test_implicit_tls_and_throttle(tmp_path: Path, mail_certs: MailCerts) -> None:
    with smtp_server(mail_certs, implicit_tls=True) as server:
        ws, _ = mail_workspace(
            tmp_path / "ws",
            mail_certs,
            smtp=server,
            units=("loda-osvita", "loda-szn", "loda-media"),
            mail={"throttle_seconds": 0.3},
        )
        compose_forms(ws, PERIOD)
        started = time.monotonic()
        run = send_forms(ws, PERIOD, env=ENV)
        assert run.count("sent") == 3 and len(server.messages) == 3
        assert time.monotonic() - started >= 0.6  # two pauses between three messages


def test_send_many_measured(tmp_path: Path, mail_certs: MailCerts, smtp: SmtpServer) -> None:
    """All units of the example with an address and a form, over a few connections: one
    for every 50 messages."""
    ws, _ = mail_workspace(tmp_path / "ws", mail_certs, smtp=smtp, units=())
    compose_forms(ws, PERIOD)
    run = send_forms(ws, PERIOD, env=ENV)
    assert run.clean and run.count("sent") == len(smtp.messages) >= 50
    assert len({m.peer for m in smtp.messages}) == -(-len(smtp.messages) // 50)
    print(f"\nsent {len(smtp.messages)} messages in {run.seconds:.2f} s")


# ---------------------------------------------------------------- settings and passwords


def test_password_comes_from_env_never_from_the_file(
    tmp_path: Path, mail_certs: MailCerts, smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, _ = mail_workspace(
        tmp_path / "ws", mail_certs, smtp=smtp, mail={"password_env": "MY_SMTP_SECRET"}
    )
    assert smtp_settings(ws, {"MY_SMTP_SECRET": "x1"}).password == "x1"
    assert "x1" not in repr(smtp_settings(ws, {"MY_SMTP_SECRET": "x1"}))
    with pytest.raises(UsageError, match="латинськ"):
        smtp_settings(ws, {"MY_SMTP_SECRET": "пароль"})
    monkeypatch.setitem(__import__("sys").modules, "keyring", None)  # not installed
    with pytest.raises(UsageError) as e:
        smtp_settings(ws, {})
    assert "MY_SMTP_SECRET" in str(e.value) and "keyring" in str(e.value)


def test_password_over_plain_text_is_refused(tmp_path: Path, mail_certs: MailCerts) -> None:
    ws, _ = mail_workspace(
        tmp_path / "ws",
        mail_certs,
        mail={"smtp_host": "mail.example.gov.ua", "smtp_security": "plain", "user": "u"},
    )
    with pytest.raises(UsageError, match="plain"):
        smtp_settings(ws, ENV)


def test_cli_in_english_and_without_keyring(
    tmp_path: Path, mail_certs: MailCerts, smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from toolkit.cli import cli

    ws, _ = mail_workspace(tmp_path / "ws", mail_certs, smtp=smtp, units=("loda-osvita",))
    runner = CliRunner(env={"ZVIT_SMTP_PASSWORD": ""})
    base = ["-w", str(ws.root)]
    result = runner.invoke(cli, [*base, "mail", "compose", "-p", "2025", "--unit", "loda-osvita"])
    assert result.exit_code == 0, result.output
    monkeypatch.setitem(__import__("sys").modules, "keyring", None)
    # a dry run says what would go, and that without a password nothing can
    result = runner.invoke(cli, [*base, "--lang", "en", "mail", "send", "-p", "2025", "--dry-run"])
    assert result.exit_code == 1 and "Dry run. Would send 1" in result.stdout
    assert "The SMTP settings cannot be used" in result.stdout
    assert "[E_MAIL_NO_KEYRING]" in result.stdout and "ZVIT_SMTP_PASSWORD" in result.stdout
    result = runner.invoke(cli, [*base, "mail", "send", "-p", "2025"])
    assert result.exit_code == 2 and "ZVIT_SMTP_PASSWORD" in result.stderr
    assert "keyring" in result.stderr and smtp.messages == []
    result = runner.invoke(cli, [*base, "mail", "password", "smtp"], input="secret-1\n")
    assert result.exit_code == 2 and "keyring" in result.stderr
    assert "secret-1" not in result.stdout + result.stderr
