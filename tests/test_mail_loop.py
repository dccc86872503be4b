"""The whole exchange through the command line, against real servers on 127.0.0.1:
compose → send (STARTTLS + login) → a unit takes its form from the message, fills it in
LibreOffice and replies → ``zvit collect --imap`` (IMAPS, the test CA) → ``zvit status``
→ ``zvit mail remind``. The passwords appear in no file of the workspace and no output."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.collect_support import EMAIL, UNITS, answers, broken
from tests.mail_support import (
    IMAP_PASSWORD,
    SMTP_PASSWORD,
    attachment,
    mail_workspace,
    parse,
    reply,
    smtp_server,
    workspace_bytes,
)
from tests.support.libreoffice import LibreOffice
from tests.support.mailservers import Dovecot, MailCerts, SmtpServer
from toolkit.cli import cli

ENV = {"ZVIT_SMTP_PASSWORD": SMTP_PASSWORD, "ZVIT_IMAP_PASSWORD": IMAP_PASSWORD}


@pytest.fixture
def smtp(mail_certs: MailCerts) -> Iterator[SmtpServer]:
    with smtp_server(mail_certs) as server:
        yield server


def test_forms_out_and_replies_in(
    tmp_path: Path,
    mail_certs: MailCerts,
    smtp: SmtpServer,
    dovecot: Dovecot,
    libreoffice: LibreOffice,
) -> None:
    user, _ = dovecot.add_user(IMAP_PASSWORD)
    ws, forms = mail_workspace(
        tmp_path / "ws", mail_certs, smtp=smtp, dovecot=dovecot, imap_user=user
    )
    outputs: list[str] = []

    def zvit(*args: str) -> tuple[int, str]:
        result = CliRunner(env=ENV).invoke(cli, ["-w", str(ws.root), *args], catch_exceptions=False)
        outputs.extend([result.stdout, result.stderr])
        return result.exit_code, result.stdout

    only = [a for u in UNITS for a in ("--unit", u)]
    code, out = zvit("mail", "compose", "--period", "2025", *only)
    assert code == 0 and "Складено листів: 5" in out
    code, out = zvit("mail", "send", "--period", "2025", "--dry-run")
    assert code == 0 and "Буде надіслано листів: 5" in out and smtp.messages == []
    code, out = zvit("mail", "send", "--period", "2025")
    assert code == 0 and "Надіслано: 5" in out
    assert len(smtp.messages) == 5

    # loda-media fills its form in LibreOffice and replies; loda-szn replies with errors
    [sent] = [parse(m.data) for m in smtp.messages if EMAIL["loda-media"] in m.rcpt_tos]
    name, data = attachment(sent)
    received = tmp_path / "unit" / name
    received.parent.mkdir()
    received.write_bytes(data)
    cells = {
        k: (v.isoformat() if isinstance(v, date) else v)
        for k, v in answers(ws, forms["loda-media"]).items()
    }
    saved = tmp_path / "unit" / "Звіт ДМК ОДА (заповнено).xlsx"
    libreoffice.fill(received, saved, cells)
    dovecot.deliver(reply(sent, "loda-media", saved.name, saved.read_bytes()), user=user)
    [sent_szn] = [parse(m.data) for m in smtp.messages if EMAIL["loda-szn"] in m.rcpt_tos]
    dovecot.deliver(
        reply(sent_szn, "loda-szn", "звіт.xlsx", broken(ws, forms["loda-szn"])), user=user
    )

    code, out = zvit("collect", "--imap", "--period", "2025")
    assert code == 1  # the report with errors
    assert "нових листів 2" in out
    code, out = zvit("status", "--period", "2025", "--json")
    states = {u["unit"]: u for u in json.loads(out)["units"]}
    assert states["loda-media"]["state"] == "accepted"
    assert states["loda-media"]["file"] == saved.name
    assert states["loda-szn"]["state"] == "rejected"
    code, out = zvit("collect", "--imap", "--period", "2025")
    assert code == 0 and "нових листів 0" in out

    smtp.messages.clear()
    code, out = zvit("mail", "remind", "--period", "2025", *only)
    assert code == 0, out
    print("\n".join(outputs))
    reminded = {u for u in UNITS for m in smtp.messages if EMAIL[u] in m.rcpt_tos}
    assert reminded == set(UNITS) - {"loda-media"}

    for path, content in workspace_bytes(ws.root):
        for secret in (SMTP_PASSWORD, IMAP_PASSWORD):
            assert secret.encode() not in content, path
    for text in outputs:
        assert SMTP_PASSWORD not in text and IMAP_PASSWORD not in text
