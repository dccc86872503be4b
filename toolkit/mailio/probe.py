"""Trying the mail settings on the servers themselves (``zvit mail check``): connect,
secure the connection, log in and, for IMAP, open the folder read-only; then leave.
Nothing is sent and the mailbox is not changed. The step that failed is named, with the
words of the system or the server (which never hold the password)."""

from __future__ import annotations

import imaplib
import smtplib
import ssl
from contextlib import suppress
from dataclasses import dataclass

from toolkit.mailio.imap import ImapSettings, MailServerError, Stage, open_folder, session
from toolkit.mailio.smtp import SmtpSettings, connect
from toolkit.messages import Message


@dataclass(frozen=True)
class Probe:
    """How far a try got: ``stage`` is the last step begun — where it stopped when
    ``error`` says why. ``messages``: how many the IMAP folder holds, once opened."""

    stage: Stage
    error: str | Message = ""
    messages: int | None = None

    @property
    def ok(self) -> bool:
        return not self.error


def probe_smtp(settings: SmtpSettings) -> Probe:
    steps: list[Stage] = ["connect"]
    try:
        conn = connect(settings, steps.append)
    except (smtplib.SMTPException, OSError) as exc:
        return Probe(_stage(steps, exc), _words(exc))
    with suppress(smtplib.SMTPException, OSError):
        conn.quit()
    conn.close()
    return Probe(steps[-1])


def probe_imap(settings: ImapSettings) -> Probe:
    steps: list[Stage] = ["connect"]
    try:
        with session(settings, steps.append) as conn:
            steps.append("folder")
            open_folder(conn, settings.folder, readonly=True)
            _, exists = conn.response("EXISTS")
    except (imaplib.IMAP4.error, MailServerError, OSError) as exc:
        return Probe(_stage(steps, exc), _words(exc))
    count = exists[-1] if exists and exists[-1] is not None else None
    return Probe("folder", messages=int(count) if count is not None else None)


def _stage(steps: list[Stage], exc: BaseException) -> Stage:
    # with implicit TLS the handshake is part of connecting: a TLS error names it
    return "tls" if isinstance(exc, ssl.SSLError) else steps[-1]


def _words(exc: BaseException) -> str | Message:
    if isinstance(exc, MailServerError) and exc.message is not None:
        return exc.message
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error
        said = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        return f"{exc.smtp_code} {said}"[:300]
    text = str(exc) or type(exc).__name__
    if text.startswith(("b'", 'b"')):  # imaplib gives the server's bytes as their repr
        text = text[2:-1]
    return text[:300]
