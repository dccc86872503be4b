"""``zvit mail check`` against a real SMTP server (aiosmtpd: STARTTLS, AUTH) and a real
Dovecot (IMAPS) on 127.0.0.1: what works is said to work, each thing that does not is
named with its code and what to change — never with the password; and ``mail send
--dry-run`` checks the settings and the recipients before it says what it would send."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.collect_support import UNITS
from tests.mail_support import IMAP_PASSWORD, SMTP_PASSWORD, mail_workspace, set_emails, smtp_server
from tests.support.mailservers import Dovecot, MailCerts, SmtpServer, free_port
from tests.support.settings import set_settings
from toolkit.cli import cli

ENV = {"ZVIT_SMTP_PASSWORD": SMTP_PASSWORD, "ZVIT_IMAP_PASSWORD": IMAP_PASSWORD}
SECRETS = (SMTP_PASSWORD, IMAP_PASSWORD, "wrong-Pass-4711")


@pytest.fixture
def smtp(mail_certs: MailCerts) -> Any:
    with smtp_server(mail_certs) as server:
        yield server


def check(root: Path, *extra: str, env: dict[str, str] | None = None) -> Any:
    result = CliRunner(env=env or ENV).invoke(cli, ["-w", str(root), *extra, "mail", "check"])
    for secret in SECRETS:
        assert secret not in result.output, "a password was printed"
    return result


def workspace(
    tmp_path: Path, certs: MailCerts, smtp: SmtpServer, dovecot: Dovecot | None = None
) -> Path:
    user = dovecot.add_user(IMAP_PASSWORD)[0] if dovecot else None
    ws, _ = mail_workspace(tmp_path / "ws", certs, smtp=smtp, dovecot=dovecot, imap_user=user)
    return ws.root


def test_everything_works(
    tmp_path: Path, mail_certs: MailCerts, smtp: SmtpServer, dovecot: Dovecot
) -> None:
    root = workspace(tmp_path, mail_certs, smtp, dovecot)
    result = check(root)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1].startswith("  ✓ Відправник: Служба у справах дітей ОДА")
    assert lines[2] == (
        f"  ✓ SMTP 127.0.0.1:{smtp.port} (starttls), вхід як mailer: з'єднання встановлено, "
        "надсилати можна."
    )
    assert lines[3].startswith(f"  ✓ IMAP 127.0.0.1:{dovecot.imaps_port} (ssl), вхід як u")
    assert lines[3].endswith("папка «INBOX» відкривається, листів у ній: 0.")
    assert lines[4] == "Пошта працює." and "[" not in result.output
    assert smtp.messages == []  # nothing was sent
    english = check(root, "--lang", "en")
    assert english.exit_code == 0 and "The mail works." in english.output
    assert "connected, ready to send" in english.output


def test_wrong_passwords_are_named_and_not_shown(
    tmp_path: Path, mail_certs: MailCerts, smtp: SmtpServer, dovecot: Dovecot
) -> None:
    root = workspace(tmp_path, mail_certs, smtp, dovecot)
    wrong = {"ZVIT_SMTP_PASSWORD": "wrong-Pass-4711", "ZVIT_IMAP_PASSWORD": "wrong-Pass-4711"}
    result = check(root, env=wrong)
    assert result.exit_code == 1
    assert "  ✗ SMTP" in result.output and "  ✗ IMAP" in result.output
    assert result.output.count("зупинилося на кроці «вхід»") == 2
    assert result.output.count("[E_MAIL_LOGIN]") == 2
    assert "535" in result.output  # the server's own words
    assert "Пошта не працює" in result.output


def test_no_password_at_all(tmp_path: Path, mail_certs: MailCerts, smtp: SmtpServer) -> None:
    root = workspace(tmp_path, mail_certs, smtp)
    result = check(root, env={"ZVIT_SMTP_PASSWORD": ""})
    assert result.exit_code == 1
    assert "  ✗ SMTP: не перевірено" in result.output
    assert "ZVIT_SMTP_PASSWORD" in result.output and "zvit mail password smtp" in result.output


def test_each_step_that_fails_is_named(
    tmp_path: Path, mail_certs: MailCerts, smtp: SmtpServer, dovecot: Dovecot
) -> None:
    root = workspace(tmp_path, mail_certs, smtp, dovecot)
    toml = root / "zvit.toml"
    # nothing listens on the port
    set_settings(toml, {"mail": {"smtp_port": free_port()}, "imap": {"folder": "Звіти"}})
    result = check(root)
    assert result.exit_code == 1
    assert "[E_MAIL_CONNECT]" in result.output and "кроці «з'єднання»" in result.output
    assert "[E_IMAP_FOLDER]" in result.output and "«Звіти»" in result.output
    # the server's certificate is not one the system trusts (no ca_file)
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace(f'ca_file = "{mail_certs.ca}"', ""), encoding="utf-8")
    set_settings(toml, {"mail": {"smtp_port": smtp.port}, "imap": {"folder": "INBOX"}})
    result = check(root)
    assert result.exit_code == 1
    assert result.output.count("[E_MAIL_TLS]") == 2, result.output
    assert "CERTIFICATE_VERIFY_FAILED" in result.output
    english = check(root, "--lang", "en")
    assert "it stopped at 'securing the connection'" in english.output


def test_without_imap_the_check_says_so(
    tmp_path: Path, mail_certs: MailCerts, smtp: SmtpServer
) -> None:
    root = workspace(tmp_path, mail_certs, smtp)
    result = check(root)
    assert result.exit_code == 0, result.output  # sending works; collecting files needs no IMAP
    assert "  – IMAP: не налаштовано." in result.output and "[W_IMAP_NOT_SET]" in result.output


def test_dry_run_checks_settings_and_recipients(
    tmp_path: Path, mail_certs: MailCerts, smtp: SmtpServer
) -> None:
    root = workspace(tmp_path, mail_certs, smtp)
    run = CliRunner(env=ENV).invoke
    base = ["-w", str(root), "mail"]
    chosen = [word for unit in UNITS for word in ("--unit", unit)]
    composed = run(cli, [*base, "compose", "-p", "2025", *chosen])
    assert composed.exit_code == 0, composed.output
    ready = run(cli, [*base, "send", "-p", "2025", "--dry-run"])
    assert ready.exit_code == 0, ready.output
    assert "Налаштування SMTP придатні" in ready.output and "вхід як mailer" in ready.output
    # a unit's address corrected after composing: the message would go to the old one
    from toolkit.workspace import open_workspace

    set_emails(open_workspace(root), {"loda-szn": ["szn-new@loga.gov.ua.example"]})
    moved = run(cli, [*base, "send", "-p", "2025", "--dry-run"])
    assert moved.exit_code == 1
    assert "[W_MAIL_RECIPIENTS_CHANGED]" in moved.output and "szn-new@" in moved.output
    # settings that cannot work: said before anything is sent
    set_settings(root / "zvit.toml", {"mail": {"smtp_security": "tls"}})
    broken = run(cli, [*base, "send", "-p", "2025", "--dry-run"])
    assert broken.exit_code == 1
    assert "Буде надіслано листів: 5" in broken.output
    assert "Налаштування SMTP непридатні" in broken.output
    assert "[E_SETTING_CHOICE]" in broken.output and "ssl, starttls, plain" in broken.output
    assert smtp.messages == []
