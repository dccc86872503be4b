"""Pull the workbooks out of returned e-mail: .eml files, mbox files, maildir folders.

Executors reply from any client, so a form may arrive as a plain attachment, inside a
forwarded message, inside Outlook's ``winmail.dat`` or an attached ``.msg``, with a file
name in any of the encodings mail clients use. Everything found that could be a
spreadsheet (or a container of one) comes back as an :class:`Attachment`; the caller sniffs
the bytes itself. Problems come back as coded issues; nothing here raises on bad mail.

File names are for display only: they are cleaned to a base name and never used as paths."""

from __future__ import annotations

import base64
import binascii
import email.policy
import glob
import hashlib
import os
import quopri
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email.message import Message
from email.parser import BytesParser
from functools import cached_property
from itertools import islice
from mailbox import mbox
from pathlib import Path

from toolkit.issues import Issue, Location, issue
from toolkit.mailio.headers import (
    Meta,
    attachment_name,
    clean_name,
    header,
    message_id_of,
    meta,
    normalize_message_id,
)
from toolkit.mailio.outlook import (
    CFB_MAGIC,
    TNEF_MAGIC,
    ContainerError,
    Found,
    looks_like_msg,
    msg_items,
    tnef_items,
)

__all__ = [
    "Attachment",
    "attachments_from_message",
    "clean_name",
    "iter_messages",
    "message_id_of",
    "normalize_message_id",
    "unique",
]

MAX_MESSAGE_BYTES = 64 * 1024 * 1024
MAX_ATTACHMENT_BYTES = 32 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"

KEEP_EXTENSIONS = frozenset({"xlsx", "xlsm", "xls", "ods", "xlsb", "csv", "zip", "msg"})
KEEP_TYPES = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.ms-excel",
        "application/vnd.ms-excel.sheet.macroenabled.12",
        "application/vnd.ms-excel.sheet.binary.macroenabled.12",
        "application/vnd.oasis.opendocument.spreadsheet",
        "text/csv",
        "application/csv",
        "application/zip",
        "application/x-zip-compressed",
        "application/vnd.ms-outlook",
    }
)
TNEF_TYPES = frozenset({"application/ms-tnef", "application/x-tnef", "application/vnd.ms-tnef"})
# Zip- or CFB-based formats that are certainly not a spreadsheet: not kept on magic alone.
OTHER_DOCUMENTS = frozenset(
    {"docx", "docm", "doc", "dotx", "pptx", "ppt", "odt", "odp", "vsdx", "epub", "jar", "apk"}
)
_PARSER = BytesParser(policy=email.policy.default)
MAX_MULTIPARTS = 100
_MULTIPART = re.compile(rb"^content-type:[ \t]*multipart/", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Attachment:
    """A file found in a message. ``depth`` counts forwarded/embedded messages above it
    (0 = attached to the message itself); ``via`` names the containers it came through,
    outermost first, joined by " > " (e.g. ``"rfc822:Fwd: звіт > winmail.dat"``)."""

    data: bytes = field(repr=False)
    filename: str
    content_type: str
    message_id: str | None
    sender: str
    subject: str
    date: datetime | None
    source: str
    depth: int = 0
    via: str = ""

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def size(self) -> int:
        return len(self.data)


def attachments_from_message(
    raw: bytes,
    source: str,
    max_depth: int = 3,
    *,
    max_message_bytes: int = MAX_MESSAGE_BYTES,
    max_attachment_bytes: int = MAX_ATTACHMENT_BYTES,
) -> tuple[list[Attachment], list[Issue]]:
    """Every attachment of one raw RFC 5322 message that could be a spreadsheet."""
    where = Location(file=source)
    if len(raw) > max_message_bytes:
        return [], [issue("E_MAIL_TOO_LARGE", where, size=len(raw), limit=max_message_bytes)]
    msg = _parse(raw)
    if isinstance(msg, str):
        return [], [issue("E_MAIL_UNREADABLE", where, detail=msg)]
    walker = _Walker(source, where, meta(msg), max_depth, max_attachment_bytes)
    try:
        walker.message(msg, 0, "")
    except RecursionError:
        walker.issues.append(issue("E_MAIL_UNREADABLE", where, detail="MIME nesting too deep"))
    return walker.found, walker.issues


def _parse(raw: bytes) -> Message | str:
    """The parsed message, or why it cannot be used."""
    if sum(1 for _ in islice(_MULTIPART.finditer(raw), MAX_MULTIPARTS + 1)) > MAX_MULTIPARTS:
        # the stdlib parser checks every line against every open boundary: deep nesting
        # makes it quadratic (500 levels: 1 s for 32 kB)
        return f"more than {MAX_MULTIPARTS} multipart sections"
    try:
        msg = _PARSER.parsebytes(raw)
    except Exception as exc:  # the parser is lenient; this is a last resort
        return f"{type(exc).__name__}: {exc}"[:200]
    return msg if msg.keys() else "no message headers"


def unique(attachments: list[Attachment]) -> list[Attachment]:
    """Drop repeats of the same file from the same message (key: Message-ID + sha256)."""
    seen: set[tuple[str | None, str]] = set()
    out = []
    for att in attachments:
        key = (att.message_id, att.sha256)
        if key not in seen:
            seen.add(key)
            out.append(att)
    return out


class _Walker:
    def __init__(
        self, source: str, where: Location, meta: Meta, max_depth: int, max_bytes: int
    ) -> None:
        self.source, self.where, self.meta = source, where, meta
        self.max_depth, self.max_bytes = max_depth, max_bytes
        self.found: list[Attachment] = []
        self.issues: list[Issue] = []

    def message(self, msg: Message, depth: int, via: str) -> None:
        for part in _leaves(msg):
            self.part(part, depth, via)

    def part(self, part: Message, depth: int, via: str) -> None:
        ctype = part.get_content_type().lower()
        name = attachment_name(part)
        if ctype == "message/rfc822" or _ext(name) == "eml":
            self.forwarded(part, name, ctype, depth, via)
            return
        if ctype.startswith("text/") and not name and ctype != "text/csv":
            return  # a message body
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes):
            return  # kept even when empty: an empty "form" is worth telling the unit about
        defects = [d for d in part.defects if "base64" in type(d).__name__.lower()]
        if defects:
            detail = ", ".join(type(d).__name__ for d in defects)
            self.issues.append(issue("W_MAIL_DECODE_DEFECT", self.where, name=name, detail=detail))
        self.file(name, ctype, data, depth, via)

    def forwarded(self, part: Message, name: str, ctype: str, depth: int, via: str) -> None:
        inner = _inner_message(part)
        if isinstance(inner, str):
            if ctype == "message/rfc822":
                self.issues.append(
                    issue(
                        "W_MAIL_DECODE_DEFECT",
                        self.where,
                        name=name or "message/rfc822",
                        detail=inner,
                    )
                )
            return
        label = name or header(inner, "subject") or "message"
        if depth + 1 > self.max_depth:
            self.issues.append(
                issue(
                    "W_MAIL_DEPTH_LIMIT",
                    self.where,
                    name=label,
                    depth=depth + 1,
                    limit=self.max_depth,
                )
            )
            return
        self.message(inner, depth + 1, _hop(via, f"rfc822:{label[:60]}"))

    def file(self, name: str, ctype: str, data: bytes, depth: int, via: str) -> None:
        if len(data) > self.max_bytes:
            self.issues.append(
                issue(
                    "E_ATTACHMENT_TOO_LARGE",
                    self.where,
                    name=name or ctype,
                    size=len(data),
                    limit=self.max_bytes,
                )
            )
            return
        if data.startswith(TNEF_MAGIC) or ctype in TNEF_TYPES or name.lower() == "winmail.dat":
            self.container(name or "winmail.dat", data, depth, via, tnef=True)
        elif data.startswith(CFB_MAGIC) and _is_msg(name, ctype, data):
            self.container(name or "message.msg", data, depth, via, tnef=False)
        elif _keep(name, ctype, data):
            self.found.append(self.attachment(data, name, ctype, depth, via))

    def container(self, name: str, data: bytes, depth: int, via: str, *, tnef: bool) -> None:
        """winmail.dat encodes the same message (same depth); a .msg is another message."""
        base = depth if tnef else depth + 1
        if base > self.max_depth:
            self.issues.append(
                issue("W_MAIL_DEPTH_LIMIT", self.where, name=name, depth=base, limit=self.max_depth)
            )
            return
        code = "E_TNEF_UNREADABLE" if tnef else "E_MSG_UNREADABLE"
        try:
            found = tnef_items(data) if tnef else msg_items(data, self.max_depth - base)
        except ContainerError as exc:
            self.issues.append(issue(code, self.where, name=name, detail=str(exc)[:200]))
            return
        if tnef:
            hop = _hop(via, "winmail.dat" if name.lower() == "winmail.dat" else f"tnef:{name}")
        else:
            hop = _hop(via, f"msg:{name}")
        self.report_skipped(name, found)
        for item in found.items:
            item_via = _hop(hop, item.via) if item.via else hop
            self.file(clean_name(item.name), "", item.data, base + item.nested, item_via)

    def report_skipped(self, name: str, found: Found) -> None:
        for empty in found.empty:
            self.issues.append(
                issue("W_CONTAINER_ITEM_UNREAD", self.where, container=name, name=clean_name(empty))
            )
        for deep in found.too_deep:
            self.issues.append(
                issue(
                    "W_MAIL_DEPTH_LIMIT",
                    self.where,
                    name=clean_name(deep),
                    depth=self.max_depth + 1,
                    limit=self.max_depth,
                )
            )
        if found.unsupported:
            self.issues.append(issue("E_TNEF_UNSUPPORTED", self.where, name=name))

    def attachment(self, data: bytes, name: str, ctype: str, depth: int, via: str) -> Attachment:
        m = self.meta
        return Attachment(
            data, name, ctype, m.message_id, m.sender, m.subject, m.date, self.source, depth, via
        )


def _leaves(msg: Message) -> Iterator[Message]:
    """Non-multipart parts, not descending into attached messages (the walker does that
    itself, to count depth)."""
    payload = msg.get_payload()
    if msg.get_content_maintype() == "multipart" and isinstance(payload, list):
        for sub in payload:
            if isinstance(sub, Message):
                yield from _leaves(sub)
    else:
        yield msg


def _inner_message(part: Message) -> Message | str:
    """The attached message, or why it cannot be read."""
    payload = part.get_payload()
    cte = str(part.get("content-transfer-encoding") or "").strip().lower()
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        if cte not in ("base64", "quoted-printable"):
            return payload[0]
        # message/rfc822 may not be encoded (RFC 2046 5.2.1), yet clients do it; the
        # parser then reads the encoded text as a headerless message: decode it here
        encoded = payload[0].as_bytes().lstrip(b"\r\n")
        try:
            data = base64.b64decode(encoded) if cte == "base64" else quopri.decodestring(encoded)
        except (binascii.Error, ValueError) as exc:
            return f"forwarded message not decodable ({exc})"
    else:  # a .eml attached as application/octet-stream
        decoded = part.get_payload(decode=True)
        data = decoded if isinstance(decoded, bytes) else b""
    return _parse(data) if data else "empty forwarded message"


def _hop(via: str, step: str) -> str:
    return f"{via} > {step}" if via else step


def _is_msg(name: str, ctype: str, data: bytes) -> bool:
    ext = _ext(name)
    if ext == "msg" or ctype == "application/vnd.ms-outlook":
        return True
    return ext not in KEEP_EXTENSIONS and looks_like_msg(data)


def _keep(name: str, ctype: str, data: bytes) -> bool:
    ext = _ext(name)
    if ext in KEEP_EXTENSIONS or ctype in KEEP_TYPES:
        return True
    magic = data.startswith(ZIP_MAGIC) or data.startswith(CFB_MAGIC)
    return magic and ext not in OTHER_DOCUMENTS


def _ext(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


# ---------------------------------------------------------------- message sources


def iter_messages(path: Path) -> Iterator[tuple[bytes, str]]:
    """Raw messages with their source, from an .eml file, an mbox file, a maildir folder
    or a folder of .eml files. The kind is told from the content, not the extension."""
    path = Path(path)
    if path.is_dir():
        if (path / "cur").is_dir() and (path / "new").is_dir():
            yield from _maildir(path)
        else:
            for child in sorted(path.iterdir()):
                if child.is_file() and not child.name.startswith("."):
                    yield from iter_messages(child)
        return
    with path.open("rb") as f:
        head = f.read(5)
    if head == b"From ":
        yield from _mbox(path)
    else:
        yield path.read_bytes(), f"eml:{path}"


def _mbox(path: Path) -> Iterator[tuple[bytes, str]]:
    """Read a snapshot: a mail client may append while we read (python.org issue 7360)."""
    with tempfile.TemporaryDirectory(prefix="zvit-mbox-") as tmp:
        copy = Path(tmp) / "snapshot.mbox"
        shutil.copyfile(path, copy)
        box = mbox(copy, create=False)
        try:
            for index, key in enumerate(box.keys()):
                yield box.get_bytes(key), f"mbox:{path}#{index}"
        finally:
            box.close()


def _maildir(path: Path) -> Iterator[tuple[bytes, str]]:
    """new/ then cur/, by name. Listed directly rather than through mailbox.Maildir, whose
    keys hide the file path we report as the source. A file renamed by a mail client
    meanwhile (flags change the name) is looked up again by its unique part."""
    listed = [
        path / sub / name
        for sub in ("new", "cur")
        for name in sorted(os.listdir(path / sub))
        if not name.startswith(".")
    ]
    for file in listed:
        found = _read_maildir_file(path, file)
        if found is not None:
            yield found


def _read_maildir_file(root: Path, file: Path) -> tuple[bytes, str] | None:
    try:
        return file.read_bytes(), f"maildir:{file}"
    except FileNotFoundError:
        unique_part = file.name.split(":", 1)[0]
        for moved in sorted((root / "cur").glob(glob.escape(unique_part) + "*")):
            if moved.name.split(":", 1)[0] == unique_part:
                return moved.read_bytes(), f"maildir:{moved}"
    return None
