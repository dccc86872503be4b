"""Send messages over SMTP (implicit TLS, STARTTLS, or plain for tests), and pace sends."""

from __future__ import annotations

import smtplib
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path
from typing import Any

from toolkit.mailio.imap import MailServerError, Security, Stage, tls_context


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int | None = None  # default: 465 for ssl, 587 for starttls, 25 for plain
    security: Security = "ssl"
    user: str | None = None  # log in only when set
    password: str | None = field(default=None, repr=False)
    ca_file: Path | None = None
    timeout: float = 60.0
    local_hostname: str | None = None

    @property
    def effective_port(self) -> int:
        return self.port or {"ssl": 465, "starttls": 587, "plain": 25}[self.security]


class RecipientsRefused(MailServerError):
    """The server refused some recipients (``refused``: address → its reply); the message
    went to the others unless every one was refused."""

    def __init__(self, refused: dict[str, str], key: str, /, **params: Any) -> None:
        super().__init__(key, **params)
        self.refused = refused


def send(
    settings: SmtpSettings, message: EmailMessage, recipients: Sequence[str] | None = None
) -> str:
    """Send one message over a connection of its own; see ``SmtpSession.send``."""
    with SmtpSession(settings) as session:
        return session.send(message, recipients)


class SmtpSession:
    """One connection for many messages, opened at the first send. Servers limit the
    messages of one connection, so it is renewed every ``per_connection`` messages, and
    a connection the server closed while we waited is reopened once."""

    def __init__(self, settings: SmtpSettings, per_connection: int = 50) -> None:
        self.settings, self.per_connection = settings, per_connection
        self._conn: smtplib.SMTP | None = None
        self._sent = 0

    def __enter__(self) -> SmtpSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with suppress(smtplib.SMTPException, OSError):
                conn.quit()
            conn.close()

    def send(self, message: EmailMessage, recipients: Sequence[str] | None = None) -> str:
        """Send ``message`` (to ``recipients`` when given, else to its To/Cc/Bcc) and
        return its Message-ID. A missing Message-ID or Date is added to ``message`` itself,
        so the caller's copy is what was sent. Raises :class:`RecipientsRefused` when the
        server refuses any recipient, :class:`MailServerError` for any other failure."""
        _complete(message)
        server = f"{self.settings.host}:{self.settings.effective_port}"
        to = list(recipients) if recipients is not None else None
        try:
            refused = self._transact(message, to)
        except smtplib.SMTPRecipientsRefused as exc:
            raise RecipientsRefused(
                _replies(exc.recipients), "mail.server.all_refused", server=server
            ) from exc
        except (smtplib.SMTPException, OSError) as exc:
            if not isinstance(exc, smtplib.SMTPResponseException):
                self.close()  # the connection is in no known state
            raise MailServerError("mail.server.smtp", server=server, detail=str(exc)[:300]) from exc
        if refused:
            raise RecipientsRefused(
                _replies(refused),
                "mail.server.some_refused",
                server=server,
                addresses=", ".join(sorted(refused)),
            )
        return str(message["Message-ID"])

    def _transact(
        self, message: EmailMessage, to: list[str] | None
    ) -> dict[str, tuple[int, bytes]]:
        if self._conn is not None and self._sent >= self.per_connection:
            self.close()
        reused = self._conn is not None
        if self._conn is None:
            self._conn, self._sent = connect(self.settings), 0
        try:
            refused = self._conn.send_message(message, to_addrs=to)
        except smtplib.SMTPServerDisconnected:
            if not reused:
                raise
            self.close()  # closed by the server while idle: once more, afresh
            self._conn, self._sent = connect(self.settings), 0
            refused = self._conn.send_message(message, to_addrs=to)
        self._sent += 1
        return refused


def _complete(message: EmailMessage) -> None:
    if message["Message-ID"] is None:
        domain = parseaddr(str(message["From"] or ""))[1].rpartition("@")[2] or None
        message["Message-ID"] = make_msgid(domain=domain)
    if message["Date"] is None:
        message["Date"] = formatdate(localtime=True)


def _replies(refused: dict[str, tuple[int, bytes]]) -> dict[str, str]:
    return {
        addr: f"{code} {text.decode('utf-8', 'replace')}"[:300]
        for addr, (code, text) in refused.items()
    }


def connect(settings: SmtpSettings, step: Callable[[Stage], None] = lambda _: None) -> smtplib.SMTP:
    """A connection, secured and logged in as ``settings`` say; ``step`` hears of each step
    as it begins (``zvit mail check`` names the one that failed)."""
    host, port = settings.host, settings.effective_port
    local, timeout = settings.local_hostname, settings.timeout
    conn: smtplib.SMTP
    if settings.security == "ssl":
        ctx = tls_context(settings.ca_file)
        conn = smtplib.SMTP_SSL(host, port, local_hostname=local, timeout=timeout, context=ctx)
    else:
        conn = smtplib.SMTP(host, port, local_hostname=local, timeout=timeout)
    try:
        if settings.security == "starttls":
            step("tls")
            conn.starttls(context=tls_context(settings.ca_file))
        if settings.user:
            step("login")
            conn.login(settings.user, settings.password or "")
    except BaseException:
        conn.close()
        raise
    return conn


class Throttle:
    """Keeps at least ``min_interval`` seconds between sends (servers limit senders)."""

    def __init__(
        self,
        min_interval: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.min_interval, self._clock, self._sleep = min_interval, clock, sleep
        self._last: float | None = None

    def wait(self) -> float:
        """Sleep until the next send is allowed; return the seconds slept."""
        now = self._clock()
        pause = 0.0
        if self._last is not None:
            pause = max(0.0, self._last + self.min_interval - now)
            if pause:
                self._sleep(pause)
        self._last = now + pause
        return pause
