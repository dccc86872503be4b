"""One outgoing message: built with ``email.message.EmailMessage`` (attachment names in
RFC 2231, so a Cyrillic file name arrives intact), written to the outbox as an .eml that
any mail client opens, and read back from there to be sent exactly as composed."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import SMTP
from email.policy import default as default_policy
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path

from toolkit.fsutil import atomic_write_bytes
from toolkit.text import safe_filename

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
# Outlook opens an .eml with this header as a draft ready to send, not as a received message.
UNSENT = "X-Unsent"
_ADDRESS = re.compile(
    r"[^@\s\"<>(),;:\[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?"
    r"\.[A-Za-z0-9-]{2,}"
)


@dataclass(frozen=True)
class Draft:
    sender: str
    to: tuple[str, ...]
    subject: str
    body: str
    message_id: str
    date: datetime
    attachment: str = ""  # file name as the unit sees it; "" for none
    data: bytes = field(default=b"", repr=False)
    in_reply_to: str | None = None

    @property
    def sha256(self) -> str | None:
        return hashlib.sha256(self.data).hexdigest() if self.attachment else None


def valid_address(address: str) -> bool:
    """A usable address. Letters outside ASCII before the @ are refused: in practice a
    Cyrillic "с" or "о" typed for a Latin one, which most mail servers will not take."""
    text = address.strip()
    return bool(_ADDRESS.fullmatch(text)) and text.isascii()


def split_addresses(addresses: Iterable[str]) -> tuple[list[str], list[str]]:
    """(usable, unusable) addresses, each once, in the order given."""
    good: list[str] = []
    bad: list[str] = []
    for address in addresses:
        text = address.strip()
        if valid_address(text):
            if text.lower() not in {a.lower() for a in good}:
                good.append(text)
        else:
            bad.append(text)
    return good, bad


def new_message_id(sender: str) -> str:
    """A fresh Message-ID in the sender's domain (never this computer's name)."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "zvit.invalid"
    return make_msgid(idstring="zvit", domain=domain)


def build(draft: Draft) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = draft.sender
    msg["Reply-To"] = draft.sender
    msg["To"] = ", ".join(draft.to)
    msg["Subject"] = draft.subject
    msg["Date"] = format_datetime(draft.date)
    msg["Message-ID"] = draft.message_id
    if draft.in_reply_to:
        msg["In-Reply-To"] = draft.in_reply_to
        msg["References"] = draft.in_reply_to
    msg[UNSENT] = "1"
    msg.set_content(draft.body)
    if draft.attachment:
        maintype, subtype = XLSX_TYPE
        msg.add_attachment(
            draft.data, maintype=maintype, subtype=subtype, filename=draft.attachment
        )
    return msg


def write_eml(path: Path, msg: EmailMessage) -> None:
    """CRLF line ends: what Outlook and Thunderbird expect of an .eml on Windows."""
    atomic_write_bytes(path, msg.as_bytes(policy=SMTP))


def read_eml(path: Path) -> EmailMessage:
    msg = BytesParser(policy=default_policy).parsebytes(path.read_bytes())
    assert isinstance(msg, EmailMessage)
    return msg


def attachment_sha256(msg: EmailMessage) -> str | None:
    for part in msg.iter_attachments():
        data = part.get_payload(decode=True)
        if isinstance(data, bytes):
            return hashlib.sha256(data).hexdigest()
    return None


def for_sending(msg: EmailMessage) -> EmailMessage:
    """The outbox copy made ready to go: no draft mark, today's date."""
    del msg[UNSENT]
    del msg["Date"]
    msg["Date"] = format_datetime(datetime.now().astimezone())
    return msg


def eml_path(folder: Path, stem: str, taken: set[Path]) -> Path:
    """``folder/<stem>.eml``, or ``<stem> (2).eml``… when that name is taken."""
    base = safe_filename(stem)
    path = folder / f"{base}.eml"
    n = 2
    while path in taken or path.exists():
        path = folder / f"{base} ({n}).eml"
        n += 1
    taken.add(path)
    return path
