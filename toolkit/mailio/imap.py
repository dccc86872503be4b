"""Fetch returned mail from an IMAP mailbox, leaving the mailbox as it was.

The folder is opened read-only (EXAMINE) and bodies are fetched with ``BODY.PEEK[]``, so
neither ``\\Seen`` flags nor messages change; ``move`` moves messages on request, once
the caller has recorded them. Messages the caller has already processed are skipped by
(UIDVALIDITY, UID) before anything is downloaded, and by Message-ID after a small header
fetch. Bodies come in batches bounded by count and bytes, so a mailbox of thousands of
messages streams."""

from __future__ import annotations

import base64
import imaplib
import re
import ssl
from collections.abc import Callable, Iterator, Sequence, Set
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date
from email.parser import BytesParser
from email.policy import default as default_policy
from pathlib import Path
from typing import Any, Literal

from toolkit.errors import ZvitError
from toolkit.issues import Issue, Location, issue
from toolkit.mailio.parse import MAX_MESSAGE_BYTES, message_id_of

Security = Literal["ssl", "starttls", "plain"]
# The steps of opening a mailbox or a mail server, in order (``zvit mail check`` names
# the one that failed).
Stage = Literal["connect", "tls", "login", "folder"]
SeenCheck = Callable[[int, int, str], bool]
Seen = SeenCheck | Set[Any]


class MailServerError(ZvitError):
    """The mail server cannot be reached or refused the request (login, folder, TLS)."""


def tls_context(ca_file: Path | None) -> ssl.SSLContext:
    """Verified TLS; with ``ca_file``, trust only that CA (a self-signed test server)."""
    return ssl.create_default_context(cafile=str(ca_file) if ca_file else None)


@dataclass(frozen=True)
class ImapSettings:
    host: str
    user: str
    password: str = field(repr=False)  # from an env var or the keyring; never stored
    port: int | None = None  # default: 993 for ssl, 143 otherwise
    security: Security = "ssl"
    folder: str = "INBOX"
    ca_file: Path | None = None
    timeout: float = 60.0
    batch_size: int = 100
    batch_bytes: int = 32 * 1024 * 1024
    max_message_bytes: int = MAX_MESSAGE_BYTES
    move_to: str | None = None  # where ``zvit collect --imap`` moves what it recorded

    @property
    def effective_port(self) -> int:
        return self.port or (993 if self.security == "ssl" else 143)


@dataclass(frozen=True)
class FetchedMessage:
    """A message as fetched. ``raw`` is empty when the message was over the size limit;
    ``issues`` then says so (the caller records it and marks the UID as seen)."""

    raw: bytes = field(repr=False)
    uid: int
    uidvalidity: int
    message_id: str | None
    folder: str
    size: int
    issues: tuple[Issue, ...] = ()

    @property
    def source(self) -> str:
        return f"imap:{self.folder};uidvalidity={self.uidvalidity};uid={self.uid}"


def fetch(
    settings: ImapSettings, seen: Seen, *, since: date | None = None
) -> Iterator[FetchedMessage]:
    """Messages of ``settings.folder`` not yet seen, oldest UID first.

    ``seen`` is either a set holding ``(uidvalidity, uid)`` pairs and/or Message-ID
    strings, or a function ``(uidvalidity, uid, message_id) -> bool``. The mailbox is
    not changed (see ``move``). Raises :class:`MailServerError` when the server cannot be used."""
    try:
        with session(settings) as conn:
            yield from _fetch(conn, settings, seen, since)
    except (imaplib.IMAP4.error, OSError) as exc:
        raise _failed(settings, exc) from exc


def _failed(settings: ImapSettings, exc: Exception) -> MailServerError:
    server = f"{settings.host}:{settings.effective_port}"
    return MailServerError("mail.server.imap", server=server, detail=_short(exc))


def _short(exc: object) -> str:
    return str(exc)[:300]


def move(settings: ImapSettings, uidvalidity: int, uids: Sequence[int], target: str) -> int:
    """Move messages of ``settings.folder``, taken in earlier, to ``target`` (made when
    missing). Nothing moves when the folder's UIDVALIDITY is no longer ``uidvalidity``
    (the UIDs would name other messages). Returns how many were moved."""
    if not uids:
        return 0
    try:
        with session(settings) as conn:
            if open_folder(conn, settings.folder, readonly=False) != uidvalidity:
                return 0
            caps = _capabilities(conn)
            conn.create(quote_mailbox(target))  # "NO" when it exists: fine
            for uid in uids:
                _move(conn, uid, target, caps)
            return len(uids)
    except (imaplib.IMAP4.error, OSError) as exc:
        raise _failed(settings, exc) from exc


def _fetch(
    conn: imaplib.IMAP4, settings: ImapSettings, seen: Seen, since: date | None
) -> Iterator[FetchedMessage]:
    validity = open_folder(conn, settings.folder, readonly=True)
    uids = [u for u in _search(conn, since) if not _seen_uid(seen, validity, u)]
    for start in range(0, len(uids), settings.batch_size):
        heads = _headers(conn, uids[start : start + settings.batch_size])
        todo = [u for u, (_, mid) in heads.items() if not _seen_id(seen, validity, u, mid)]
        for batch in _by_bytes(todo, heads, settings):
            for uid, raw in _bodies(conn, batch, settings, heads):
                size, mid = heads[uid]
                yield FetchedMessage(
                    raw,
                    uid,
                    validity,
                    mid,
                    settings.folder,
                    size,
                    _too_large(settings, raw, size, uid, validity),
                )


@contextmanager
def session(
    settings: ImapSettings, step: Callable[[Stage], None] = lambda _: None
) -> Iterator[imaplib.IMAP4]:
    """A connection, secured and logged in as ``settings`` say, logged out at the end;
    ``step`` hears of each step as it begins."""
    port, timeout = settings.effective_port, settings.timeout
    conn: imaplib.IMAP4
    if settings.security == "ssl":
        ctx = tls_context(settings.ca_file)
        conn = imaplib.IMAP4_SSL(settings.host, port, ssl_context=ctx, timeout=timeout)
    else:
        conn = imaplib.IMAP4(settings.host, port, timeout=timeout)
    try:
        if settings.security == "starttls":
            step("tls")
            conn.starttls(ssl_context=tls_context(settings.ca_file))
        step("login")
        _login(conn, settings.user, settings.password)
        yield conn
    finally:
        _close(conn)


def _close(conn: imaplib.IMAP4) -> None:
    """LOGOUT, never CLOSE (after the COPY fallback of a move, CLOSE would expunge)."""
    try:
        conn.logout()
    except (imaplib.IMAP4.error, OSError):
        with suppress(OSError):
            conn.shutdown()


def _login(conn: imaplib.IMAP4, user: str, password: str) -> None:
    if (user + password).isascii():
        conn.login(user, password)
        return
    # LOGIN is ASCII-only in imaplib; SASL PLAIN carries UTF-8
    secret = f"\0{user}\0{password}".encode()
    conn.authenticate("PLAIN", lambda _challenge: secret)


def open_folder(conn: imaplib.IMAP4, folder: str, *, readonly: bool) -> int:
    typ, data = conn.select(quote_mailbox(folder), readonly=readonly)
    if typ != "OK":
        raise MailServerError("mail.server.folder", folder=folder, detail=_text(data))
    _, validity = conn.response("UIDVALIDITY")
    if not validity or validity[0] is None:
        raise MailServerError("mail.server.no_uidvalidity", folder=folder)
    return int(validity[0])


def _search(conn: imaplib.IMAP4, since: date | None) -> list[int]:
    criteria = ["SINCE", since.strftime("%d-%b-%Y")] if since else ["ALL"]
    typ, data = conn.uid("SEARCH", *criteria)
    if typ != "OK":
        raise MailServerError("mail.server.refused", command="UID SEARCH", detail=_text(data))
    return sorted({int(u) for chunk in data if chunk for u in chunk.split()})


def _headers(conn: imaplib.IMAP4, uids: Sequence[int]) -> dict[int, tuple[int, str | None]]:
    """Size and Message-ID of each UID (a few hundred bytes a message)."""
    if not uids:
        return {}
    spec = "(UID RFC822.SIZE BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])"
    typ, data = conn.uid("FETCH", uid_set(uids), spec)
    if typ != "OK":
        raise MailServerError("mail.server.refused", command="UID FETCH", detail=_text(data))
    out: dict[int, tuple[int, str | None]] = {}
    parser = BytesParser(policy=default_policy)
    for meta, literal in _records(data):
        uid, size = _number(rb"UID (\d+)", meta), _number(rb"RFC822\.SIZE (\d+)", meta)
        if uid is not None:
            head = parser.parsebytes(literal or b"", headersonly=True)
            out[uid] = (size or 0, message_id_of(head))
    return dict(sorted(out.items()))


def _bodies(
    conn: imaplib.IMAP4,
    uids: Sequence[int],
    settings: ImapSettings,
    heads: dict[int, tuple[int, str | None]],
) -> list[tuple[int, bytes]]:
    small = [u for u in uids if heads[u][0] <= settings.max_message_bytes]
    found: dict[int, bytes] = {u: b"" for u in uids if u not in small}
    if small:
        typ, data = conn.uid("FETCH", uid_set(small), "(UID BODY.PEEK[])")
        if typ != "OK":
            raise MailServerError("mail.server.refused", command="UID FETCH", detail=_text(data))
        for meta, literal in _records(data):
            uid = _number(rb"UID (\d+)", meta)
            if uid in heads and literal is not None:
                found[uid] = literal
    return sorted(found.items())


def _by_bytes(
    uids: list[int], heads: dict[int, tuple[int, str | None]], settings: ImapSettings
) -> Iterator[list[int]]:
    batch: list[int] = []
    total = 0
    for uid in uids:
        size = heads[uid][0]
        if batch and total + size > settings.batch_bytes:
            yield batch
            batch, total = [], 0
        batch.append(uid)
        total += min(size, settings.max_message_bytes)
    if batch:
        yield batch


def _too_large(
    settings: ImapSettings, raw: bytes, size: int, uid: int, validity: int
) -> tuple[Issue, ...]:
    if raw and len(raw) <= settings.max_message_bytes:
        return ()
    where = Location(file=f"imap:{settings.folder};uidvalidity={validity};uid={uid}")
    return (
        issue(
            "E_MAIL_TOO_LARGE", where, size=max(size, len(raw)), limit=settings.max_message_bytes
        ),
    )


def _capabilities(conn: imaplib.IMAP4) -> set[str]:
    """After login: imaplib keeps only the list the server sent before it."""
    typ, data = conn.capability()
    if typ == "OK" and data and isinstance(data[0], bytes):
        return set(data[0].decode("ascii", "replace").upper().split())
    return {str(c).upper() for c in conn.capabilities}


def _move(conn: imaplib.IMAP4, uid: int, target: str, caps: set[str]) -> None:
    box = quote_mailbox(target)
    if "MOVE" in caps:
        typ, data = conn.uid("MOVE", str(uid), box)
    else:
        typ, data = conn.uid("COPY", str(uid), box)
        if typ == "OK":
            conn.uid("STORE", str(uid), "+FLAGS.SILENT", r"(\Deleted)")
            if "UIDPLUS" in caps:  # expunge only this message
                conn.uid("EXPUNGE", str(uid))
    if typ != "OK":
        raise MailServerError("mail.server.move", uid=uid, folder=target, detail=_text(data))


def _seen_uid(seen: Seen, validity: int, uid: int) -> bool:
    return not callable(seen) and (validity, uid) in seen


def _seen_id(seen: Seen, validity: int, uid: int, message_id: str | None) -> bool:
    if callable(seen):
        return bool(seen(validity, uid, message_id or ""))
    return message_id is not None and message_id in seen


# ---------------------------------------------------------------- protocol details


def _records(data: list[Any]) -> list[tuple[bytes, bytes | None]]:
    """imaplib's FETCH data as (metadata, literal) pairs. A literal comes as a tuple; the
    rest of its response (which may hold the UID) follows as plain bytes."""
    records: list[list[Any]] = []
    for item in data:
        if isinstance(item, tuple):
            records.append([bytes(item[0]), bytes(item[1])])
        elif isinstance(item, bytes):
            if records and not re.match(rb"\d+ \(", item):
                records[-1][0] += item
            else:
                records.append([item, None])
    return [(meta, literal) for meta, literal in records]


def _number(pattern: bytes, meta: bytes) -> int | None:
    match = re.search(pattern, meta)
    return int(match.group(1)) if match else None


def uid_set(uids: Sequence[int]) -> str:
    """``[1, 2, 3, 7, 9, 10]`` → ``"1:3,7,9:10"``."""
    parts: list[str] = []
    ordered = sorted(uids)
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        parts.append(str(ordered[i]) if i == j else f"{ordered[i]}:{ordered[j]}")
        i = j + 1
    return ",".join(parts)


def quote_mailbox(name: str) -> str:
    """A mailbox name as an IMAP quoted string in modified UTF-7 (RFC 3501 5.1.3)."""
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            raw = "".join(pending).encode("utf-16-be")
            out.append("&" + base64.b64encode(raw).rstrip(b"=").decode().replace("/", ",") + "-")
            pending.clear()

    for ch in name:
        if " " <= ch <= "~":
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            pending.append(ch)
    flush()
    text = "".join(out).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def _text(data: list[Any]) -> str:
    return " ".join(d.decode("utf-8", "replace") if isinstance(d, bytes) else str(d) for d in data)[
        :300
    ]
