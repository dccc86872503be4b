"""Helpers for the e-mail exchange tests: a workspace (from the example, forms issued and
recorded) whose zvit.toml points at the test servers on 127.0.0.1, and a unit's reply."""

from __future__ import annotations

from collections.abc import Mapping
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default as default_policy
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

import yaml

from tests.collect_support import EMAIL, PERIOD, UNITS, XLSX_TYPE, issue_forms, new_workspace
from tests.support.mailservers import Dovecot, MailCerts, SmtpServer
from tests.support.settings import set_settings
from toolkit.forms.generate import GeneratedForm
from toolkit.ledger.store import record_issued_forms
from toolkit.workspace import Workspace, open_workspace

COORDINATOR = "ssd@loga.gov.ua.example"
SENDER = f"Служба у справах дітей ОДА <{COORDINATOR}>"
# Distinctive, so a grep finds any copy; ASCII, since smtplib's AUTH encodes ASCII only.
SMTP_PASSWORD = "Zv1t-smtp-PW-93817"
IMAP_PASSWORD = "Zv1t-imap-PW-55120"


def smtp_server(certs: MailCerts, **kw: Any) -> SmtpServer:
    return SmtpServer(certs, users={"mailer": SMTP_PASSWORD}, **kw)


def mail_workspace(
    root: Path,
    certs: MailCerts,
    *,
    smtp: SmtpServer | None = None,
    dovecot: Dovecot | None = None,
    imap_user: str | None = None,
    units: tuple[str, ...] = UNITS,
    mail: Mapping[str, Any] | None = None,
    imap: Mapping[str, Any] | None = None,
) -> tuple[Workspace, dict[str, GeneratedForm]]:
    ws = new_workspace(root)
    forms = issue_forms(ws, units)
    record_issued_forms(ws, ws.plan(), PERIOD, forms.values())
    config: dict[str, dict[str, Any]] = {"mail": {"from": SENDER, "throttle_seconds": 0}}
    if smtp is not None:
        config["mail"] |= {
            "smtp_host": "127.0.0.1",
            "smtp_port": smtp.port,
            "smtp_security": "ssl" if smtp.implicit_tls else "starttls",
            "user": "mailer",
            "ca_file": str(certs.ca),
        }
    config["mail"] |= dict(mail or {})
    if dovecot is not None and imap_user is not None:
        config["imap"] = {
            "host": "127.0.0.1",
            "port": dovecot.imaps_port,
            "security": "ssl",
            "user": imap_user,
            "folder": "INBOX",
            "ca_file": str(certs.ca),
            "timeout": 20,
        } | dict(imap or {})
    set_settings(root / "zvit.toml", config)
    return open_workspace(root), forms


def set_emails(ws: Workspace, emails: Mapping[str, list[str]]) -> None:
    """Change units' addresses in the workspace's units.yaml."""
    data = yaml.safe_load(ws.units_path.read_text(encoding="utf-8"))
    for unit in data["units"]:
        if unit["id"] in emails:
            unit["emails"] = emails[unit["id"]]
    ws.units_path.write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


def parse(raw: bytes) -> EmailMessage:
    msg = BytesParser(policy=default_policy).parsebytes(raw)
    assert isinstance(msg, EmailMessage)
    return msg


def attachment(msg: EmailMessage) -> tuple[str, bytes]:
    [part] = list(msg.iter_attachments())
    data = part.get_payload(decode=True)
    assert isinstance(data, bytes)
    return str(part.get_filename()), data


def reply(
    original: EmailMessage,
    unit: str,
    name: str,
    data: bytes,
    *,
    when: Any = None,
    ctype: str = XLSX_TYPE,
) -> bytes:
    """What a unit sends back: Re: the form message, the filled file attached."""
    msg = EmailMessage()
    msg["From"] = f"Виконавець <{EMAIL.get(unit, unit + '@example.org')}>"
    msg["To"] = COORDINATOR
    msg["Subject"] = f"Re: {original['Subject']}"
    msg["In-Reply-To"] = str(original["Message-ID"])
    msg["References"] = str(original["Message-ID"])
    if when is not None:
        msg["Date"] = format_datetime(when)
    msg["Message-ID"] = make_msgid(domain="loga.gov.ua.example")
    msg.set_content("Добрий день! Звіт у вкладенні.")
    maintype, subtype = ctype.split("/", 1)
    msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes()


def workspace_bytes(root: Path) -> list[tuple[Path, bytes]]:
    return [(p, p.read_bytes()) for p in root.rglob("*") if p.is_file()]
