"""Send one message over SMTP (implicit TLS, STARTTLS, or plain for tests), and pace sends."""

from __future__ import annotations

import smtplib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path

from toolkit.intake.imap import MailServerError, Security, tls_context


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

    def __init__(self, text: str, refused: dict[str, str]) -> None:
        super().__init__(text)
        self.refused = refused


def send(settings: SmtpSettings, message: EmailMessage,
         recipients: Sequence[str] | None = None) -> str:
    """Send ``message`` (to ``recipients`` when given, else to its To/Cc/Bcc) and return
    its Message-ID. A missing Message-ID or Date is added to ``message`` itself, so the
    caller's copy is what was sent. Raises :class:`RecipientsRefused` when the server
    refuses any recipient, :class:`MailServerError` for any other failure."""
    if message["Message-ID"] is None:
        domain = parseaddr(str(message["From"] or ""))[1].rpartition("@")[2] or None
        message["Message-ID"] = make_msgid(domain=domain)
    if message["Date"] is None:
        message["Date"] = formatdate(localtime=True)
    where = f"SMTP {settings.host}:{settings.effective_port}"
    to = list(recipients) if recipients is not None else None
    try:
        with _connect(settings) as conn:
            refused = conn.send_message(message, to_addrs=to)
    except smtplib.SMTPRecipientsRefused as exc:
        raise RecipientsRefused(f"{where}: every recipient refused",
                                _replies(exc.recipients)) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise MailServerError(f"{where}: {exc}") from exc
    if refused:
        raise RecipientsRefused(f"{where}: refused {', '.join(sorted(refused))} "
                                "(sent to the other recipients)", _replies(refused))
    return str(message["Message-ID"])


def _replies(refused: dict[str, tuple[int, bytes]]) -> dict[str, str]:
    return {addr: f"{code} {text.decode('utf-8', 'replace')}"[:300]
            for addr, (code, text) in refused.items()}


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
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
            conn.starttls(context=tls_context(settings.ca_file))
        if settings.user:
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
