"""«The coordinator's year, step by step» runs as the README writes it: ``uv tool install .``
from this checkout (into a tool folder of the test's own), then every line of the block,
one after the other, in a fresh folder outside the repository, with the installed ``zvit``
first on the PATH. The mail goes to a real SMTP server and the replies come from a real
Dovecot mailbox: what the README leaves to the person (filling in [mail] and [imap], the
units answering) the test does at that point, as they would."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from email.parser import BytesParser
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.conftest import required
from tests.mail_support import COORDINATOR, IMAP_PASSWORD, SMTP_PASSWORD, smtp_server
from tests.support.mailservers import Dovecot, MailCerts, SmtpServer
from tests.support.readme import README, install, steps, words
from tests.support.settings import set_settings
from toolkit.demo import executors
from toolkit.forms.definition import load_definition
from toolkit.plan.io import load_plan

pytestmark = pytest.mark.slow

REPLY_FIRST = 8  # units that answer the form at once
REPLY_LATE = 2  # units that answer after the reminder


def uv() -> str:
    found = os.environ.get("UV") or shutil.which("uv")
    if found is None:
        reason = "uv is not installed (pip install uv)"
        if required():
            pytest.fail(f"{reason}; CI=true requires it", pytrace=False)
        pytest.skip(reason)
    return found


class Year:
    """The coordinator's folder, the servers, and what happens between the steps."""

    def __init__(self, office: Path, env: dict[str, str], smtp: SmtpServer, dovecot: Dovecot):
        self.cwd, self.env, self.smtp, self.dovecot = office, env, smtp, dovecot
        self.imap_user = dovecot.add_user(IMAP_PASSWORD)[0]
        self.answered: list[str] = []

    def fill_in_mail_settings(self) -> None:
        """What the coordinator writes into zvit.toml's [mail] and [imap] (the password
        in the environment, as zvit.toml tells)."""
        certs = self.smtp.certs.ca
        set_settings(
            self.cwd / "zvit.toml",
            {
                "mail": {
                    "from": f"Служба у справах дітей ОДА <{COORDINATOR}>",
                    "smtp_host": "127.0.0.1",
                    "smtp_port": self.smtp.port,
                    "smtp_security": "starttls",
                    "user": "mailer",
                    "ca_file": str(certs),
                    "throttle_seconds": 0,
                },
                "imap": {
                    "host": "127.0.0.1",
                    "port": self.dovecot.imaps_port,
                    "security": "ssl",
                    "user": self.imap_user,
                    "ca_file": str(certs),
                },
            },
        )
        self.env |= {"ZVIT_SMTP_PASSWORD": SMTP_PASSWORD, "ZVIT_IMAP_PASSWORD": IMAP_PASSWORD}

    def units_answer(self, count: int) -> None:
        """Units that have not answered yet fill the form they were sent and reply."""
        plan = load_plan(self.cwd / "plan.yaml")
        definition = load_definition("annual")
        for received in list(self.smtp.messages):
            address = received.rcpt_tos[0]
            # the coordinator's own unit: a reply from its address is zvit's own mail
            if address in self.answered or address == COORDINATOR or count == 0:
                continue
            msg = _parsed(received)
            [part] = list(msg.iter_attachments())
            form = part.get_payload(decode=True)
            filled = executors.fill(form, plan, definition, "good", seed=len(self.answered))
            when = datetime.now(UTC)
            raw = executors.reply(
                COORDINATOR, address, filled, str(part.get_filename()), when, msg["Subject"]
            )
            self.dovecot.deliver(raw, user=self.imap_user)
            self.answered.append(address)
            count -= 1


def _parsed(received: Any) -> Any:
    return BytesParser(policy=default_policy).parsebytes(received.data)


def test_the_coordinators_year_runs_as_written(
    tmp_path: Path, mail_certs: MailCerts, dovecot: Dovecot
) -> None:
    tools, office = tmp_path / "tools", tmp_path / "office"
    office.mkdir()
    env = {
        **os.environ,
        "UV_TOOL_DIR": str(tools / "lib"),  # the test's own, not the user's tools
        "UV_TOOL_BIN_DIR": str(tools / "bin"),
        "UV_OFFLINE": "1",  # from the packages uv sync already fetched
    }
    for line in install():
        args = words(line)
        assert args[:3] == ["uv", "tool", "install"]
        done = subprocess.run(
            [uv(), *args[1:]], cwd=README.parent, env=env, capture_output=True, timeout=300
        )
        assert done.returncode == 0, done.stderr.decode()
    env["PATH"] = f"{tools / 'bin'}{os.pathsep}{env['PATH']}"
    zvit = shutil.which("zvit", path=env["PATH"])
    assert zvit is not None and Path(zvit).parent == tools / "bin"
    # the installed zvit is a copy: nothing of it comes from this checkout
    site = next((tools / "lib").rglob("toolkit/_bundled/examples"))
    assert {p.name for p in site.iterdir()} >= {"luhansk-2018-2026", "hlukhiv-2020-2026"}

    with smtp_server(mail_certs) as smtp:
        year = Year(
            office, {k: v for k, v in env.items() if not k.startswith("ZVIT_")}, smtp, dovecot
        )
        before: dict[str, Callable[[], None]] = {"mail check": year.fill_in_mail_settings}
        after: dict[str, Callable[[], None]] = {
            "mail send --period 2025": lambda: year.units_answer(REPLY_FIRST),
            "mail remind --period 2025": lambda: year.units_answer(REPLY_LATE),
        }
        outputs: list[tuple[str, str]] = []
        for line in steps():
            args = words(line)
            if args[0] == "cd":
                year.cwd = year.cwd / args[1]
                continue
            assert args[0] == "zvit", line
            said = " ".join(args[1:])
            before.get(said, lambda: None)()
            done = subprocess.run(
                args, cwd=year.cwd, env=year.env, capture_output=True, timeout=300
            )
            out, err = done.stdout.decode(), done.stderr.decode()
            assert done.returncode == 0, f"{line}\n{out}\n{err}"
            assert "Traceback" not in err, line
            outputs.append((said, out))
            after.get(said, lambda: None)()
        sent = [r for m in smtp.messages for r in m.rcpt_tos]

    said = dict(outputs)
    lg = office / "lg"
    assert "Пошта працює." in said["mail check"]
    assert "Буде надіслано листів: 58" in said["mail send --period 2025 --dry-run"]
    assert "Налаштування SMTP придатні" in said["mail send --period 2025 --dry-run"]
    # 58 forms, then a reminder to each unit that had not answered
    assert len(sent) == 58 + 58 - REPLY_FIRST
    assert f"Очікується звітів: 58; прийнято: {REPLY_FIRST};" in said["status --period 2025"]
    report = lg / "reports" / "Зведений звіт 2025.xlsx"
    facts = {
        row[0]: row[1]
        for row in openpyxl.load_workbook(report, read_only=True)["Титульний аркуш"].iter_rows(
            values_only=True
        )
        if row[0]
    }
    assert facts["Подали звіт (прийнято)"] == REPLY_FIRST + REPLY_LATE
    assert (lg / "site" / "index.html").is_file()
    [document] = (lg / "reports").glob("*.docx")
    with zipfile.ZipFile(document) as zf:
        assert "word/document.xml" in zf.namelist()
