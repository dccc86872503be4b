"""Text out of untrusted mail headers: file names, subject, sender, date, Message-ID.

Clients send names as RFC 2047 words, RFC 2231 parameters (any charset), or raw 8-bit
bytes of the sender's code page; the default policy of ``email`` decodes the first two and
turns the third into U+FFFD, so those are decoded here from the raw header. Names are for
display only: :func:`clean_name` keeps the last path component."""

from __future__ import annotations

import email.policy
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from typing import Any

from toolkit.text import safe_filename, strip_control


def decode_8bit(raw: bytes) -> str:
    """Text of unknown 8-bit encoding: UTF-8 if valid, else windows-1251 or KOI8-U,
    whichever gives more lowercase Cyrillic (the wrong one of the two swaps cases)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    candidates = [raw.decode(enc, "replace") for enc in ("cp1251", "koi8_u")]
    return max(candidates, key=_lowercase_cyrillic)


def _lowercase_cyrillic(text: str) -> int:
    return sum(1 for ch in text if "\u0430" <= ch <= "\u045f")


@dataclass(frozen=True)
class Meta:
    message_id: str | None
    sender: str
    subject: str
    date: datetime | None


def meta(msg: Message) -> Meta:
    return Meta(message_id_of(msg), _sender(msg), header(msg, "subject"), _date(msg))


def normalize_message_id(value: str | None) -> str | None:
    """One spelling of a Message-ID for matching: no folding whitespace; None if empty."""
    if value is None:
        return None
    text = re.sub(r"\s+", "", str(value))
    return text or None


def message_id_of(msg: Message) -> str | None:
    return normalize_message_id(header(msg, "message-id") or None)


def attachment_name(part: Message) -> str:
    """The part's file name, decoded (RFC 2047, RFC 2231, raw 8-bit) and cleaned."""
    try:
        name = part.get_filename()
    except Exception:
        name = None
    if name and "\ufffd" in name:
        name = _raw_param(part) or name
    return clean_name(name or "")


def clean_name(name: str) -> str:
    """A display name: the last path component, no control characters, NFC."""
    name = unicodedata.normalize("NFC", strip_control(str(name)).replace("\\", "/"))
    base = name.rsplit("/", 1)[-1].strip()
    return safe_filename(base, max_len=120) if base.strip(". ") else ""


def _raw_param(part: Message) -> str | None:
    """Re-read a file name sent as raw 8-bit bytes (not RFC 2047/2231); the default
    policy turns such bytes into U+FFFD, so decode the header ourselves."""
    for key, value in part.raw_items():
        if key.lower() not in ("content-disposition", "content-type"):
            continue
        text = decode_8bit(_raw_bytes(value))
        try:
            params: Any = email.policy.default.header_factory(key, text).params
        except Exception:
            continue
        found = params.get("filename") or params.get("name")
        if found and "\ufffd" not in found:
            return str(found)
    return None


def _raw_bytes(value: Any) -> bytes:
    return str(value).encode("utf-8", "surrogateescape")


def header(msg: Message, name: str) -> str:
    """A header's text on one line; raw 8-bit text decoded; "" when missing."""
    failed = False
    try:
        value = msg.get(name)
        text = "" if value is None else str(value)
    except Exception:  # the default policy's parser can trip over broken headers
        text, failed = "", True
    if failed or "\ufffd" in text:
        for key, raw in msg.raw_items():
            if key.lower() == name:
                text = decode_8bit(_raw_bytes(raw))
                break
    return " ".join(text.split())


_ADDRESS = re.compile(r"[^@\s\"<>()]+@[^@\s\"<>()]+")


def _sender(msg: Message) -> str:
    try:
        value: Any = msg.get("from")
        addresses = value.addresses if value is not None else ()
        for address in addresses:
            if _ADDRESS.fullmatch(str(address.addr_spec)):
                return str(address.addr_spec).lower()
    except Exception:
        pass
    match = re.search(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", header(msg, "from"))
    return match.group(0).lower() if match else ""


def _date(msg: Message) -> datetime | None:
    try:
        field: Any = msg.get("date")
        value = field.datetime if field is not None else None
    except Exception:
        return None
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)
