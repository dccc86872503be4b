"""What ``zvit collect`` was given, turned into pieces of work: files, folders (walked in
name order), .eml files, mbox files and maildirs. The kind of a file is told from its
first bytes, never its name. Zip archives and Outlook .msg files are recognised later, by
the file gate in a worker, since only it may open them.

Every piece carries an ``order``: a tuple that sorts the way the input was given, so a run
records its files in the same order however its workers finish."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from toolkit.gate.safety import printable
from toolkit.issues import Issue, Location, issue
from toolkit.ledger.rows import Source
from toolkit.mailio.parse import Attachment, iter_messages
from toolkit.messages import Message
from toolkit.workspace import TEMPLATES

MIB = 1024 * 1024
MAX_INPUT_BYTES = 256 * MIB  # larger files are hashed and recorded, never read whole
_HEAD = 16 * 1024
_SKIP_NAMES = {"thumbs.db", "desktop.ini"}
# What a workspace holds besides returned files: never collected when walking it.
WORKSPACE_FOLDERS = (
    "archive",
    "quarantine",
    "reports",
    "feedback",
    "forms",
    "outbox",
    "runs",
    TEMPLATES,  # the coordinator's copies of zvit's templates
    "site",  # zvit publish's page
)
WORKSPACE_FILES = (
    "zvit.toml",
    "plan.yaml",
    "units.yaml",
    "overrides.yaml",
    "source.txt",
    "form.yaml",
)

Order = tuple[int, ...]


@dataclass(frozen=True)
class FileInput:
    order: Order
    source: Source
    path: Path
    size: int

    def read(self) -> bytes:
        return self.path.read_bytes()


@dataclass(frozen=True)
class MailInput:
    order: Order
    raw: bytes = field(repr=False)
    label: str  # "eml:…", "mbox:…#3", "maildir:…", "imap:…"
    kind: str = "mail"  # mail | imap: what the ledger's sources say
    imap_mailbox: str | None = None
    imap_uid: int | None = None


@dataclass(frozen=True)
class Problem:
    """An input that could not be read at all."""

    issue: Issue


Input = FileInput | MailInput | Problem


def gather(paths: Iterable[Path], workspace_root: Path | None = None) -> Iterator[Input]:
    """Everything to look at, in the order given (folders in name order), lazily."""
    skip = _skipped(workspace_root)
    for index, path in enumerate(paths):
        yield from _one(Path(path), (index,), skip, top=True)


def _one(
    path: Path, order: Order, skip: set[Path], *, top: bool = False, resolved: Path | None = None
) -> Iterator[Input]:
    """``resolved``: ``path`` made absolute, without links, when already known."""
    try:
        if path.is_dir():
            yield from _folder(path, order, skip, top=top)
        elif path.is_file():
            yield from _file(path, order, resolved or path.resolve())
        else:
            yield _problem(path, Message("collect.no_such_path"))
    except OSError as e:
        yield _problem(path, f"{type(e).__name__}: {e.strerror or e}")


def _folder(path: Path, order: Order, skip: set[Path], *, top: bool) -> Iterator[Input]:
    if _is_maildir(path):
        yield from _messages(path, order)
        return
    base = path.resolve()  # once: a child that is no link is then resolved as it is named
    if not top and base in skip:
        return
    children = sorted(os.scandir(path), key=lambda e: e.name)
    for index, entry in enumerate(children):
        link = entry.is_symlink()
        child = Path(entry.path)
        resolved = child.resolve() if link else base / entry.name
        if _ignored(entry.name) or resolved in skip:
            continue
        if link and entry.is_dir():
            continue  # a linked folder may lead back up the tree
        yield from _one(child, (*order, index), skip, resolved=resolved)


def _file(path: Path, order: Order, resolved: Path) -> Iterator[Input]:
    stat = path.stat()
    size = stat.st_size
    with path.open("rb") as f:
        head = f.read(_HEAD)
    if looks_like_mail(head):
        # a mailbox of any size is read message by message (each under its own limit)
        yield from _messages(path, order)
        return
    modified = datetime.fromtimestamp(stat.st_mtime).astimezone()
    source = Source("file", str(resolved), path.name, file_date=modified)
    yield FileInput(order, source, path, size)


def _messages(path: Path, order: Order) -> Iterator[Input]:
    try:
        for index, (raw, label) in enumerate(iter_messages(path)):
            yield MailInput((*order, index), raw, label)
    except Exception as e:  # a damaged mailbox must not stop the run
        yield _problem(path, f"{type(e).__name__}: {e}")


def _problem(path: Path, detail: str | Message) -> Problem:
    shown = detail[:200] if isinstance(detail, str) else detail
    return Problem(issue("E_INPUT_UNREADABLE", Location(file=str(path)), detail=shown))


def _is_maildir(path: Path) -> bool:
    return (path / "cur").is_dir() and (path / "new").is_dir()


def _ignored(name: str) -> bool:
    """Hidden files, Office lock files (~$звіт.xlsx) and folder clutter."""
    return name.startswith((".", "~$")) or name.lower() in _SKIP_NAMES


def _skipped(root: Path | None) -> set[Path]:
    if root is None:
        return set()
    root = root.resolve()
    names = [*WORKSPACE_FOLDERS, *WORKSPACE_FILES]
    found = {root / name for name in names}
    found |= {p.resolve() for p in root.glob("zvit.db*")}
    return found


# RFC 5322 field name: printable ASCII except the colon.
_FIELD = re.compile(rb"^[!-9;-~]{1,76}:")
_KNOWN_FIELDS = (
    b"from:",
    b"to:",
    b"subject:",
    b"date:",
    b"message-id:",
    b"mime-version:",
    b"received:",
    b"return-path:",
    b"content-type:",
    b"delivered-to:",
    b"cc:",
    b"reply-to:",
    b"x-",
)


def looks_like_mail(head: bytes) -> bool:
    """An mbox ("From " line) or a message: header lines up to the first blank line,
    at least two of them ones every mail client writes."""
    if head.startswith(b"From "):
        return True
    if head[:1] not in (b" ", b"\t") and not _FIELD.match(head):
        return False  # its first line is no header field: not a message (a workbook, say)
    block = head.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
    lines = [line for line in block.split(b"\n") if line and line[:1] not in (b" ", b"\t")]
    if not lines or not all(_FIELD.match(line) for line in lines[:8]):
        return False
    return sum(1 for line in lines if line.lower().startswith(_KNOWN_FIELDS)) >= 2


def member_source(parent: Source, kind: str, member: str, base: str) -> Source:
    """Where a file found in a container (zip, .msg) came from: the container's source."""
    return Source(
        kind,
        f"{parent.location} > {printable(member, 200)}",
        base,
        parent.message_id,
        parent.sender,
        parent.subject,
        parent.mail_date,
        parent.via,
        parent.imap_mailbox,
        parent.imap_uid,
        parent.file_date,
    )


def attachment_source(mail: MailInput, att: Attachment) -> Source:
    """Where a message's attachment came from, through any forwarded messages."""
    hops = f"{att.via} > " if att.via else ""
    return Source(
        mail.kind,
        f"{mail.label} > {hops}{att.filename or 'attachment'}",
        att.filename,
        att.message_id,
        att.sender,
        att.subject,
        att.date,
        att.via,
        mail.imap_mailbox,
        mail.imap_uid,
    )
