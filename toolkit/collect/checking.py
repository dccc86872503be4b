"""The middle of a collect run: inputs become tasks for the workers, the workers' results
become entries to record. Every file's original is archived as its result comes in;
a file whose bytes were met before (in this run, or as a submission in the ledger) is
not checked again. A container (zip, .msg) or a message gives more tasks: its members.

Entries leave in input order (``take_ready``): an entry is ready once no task still
running can add one before it, so a run records the same way however its workers finish."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from toolkit.collect import tasks
from toolkit.collect.archive import Archive, hash_file, quarantine_note
from toolkit.collect.gather import (
    MAX_INPUT_BYTES,
    FileInput,
    Input,
    MailInput,
    Order,
    Problem,
    attachment_source,
    member_source,
)
from toolkit.collect.workers import Failure
from toolkit.issues import Issue, Location, issue
from toolkit.ledger.rows import Source
from toolkit.ledger.store import Ledger
from toolkit.validate.result import Validation

Progress = Callable[[int, int], None]  # (files done, files known so far)
Task = tuple[Order, tasks.CheckTask | tasks.MailTask]
EntryKind = Literal["checked", "repeat", "container"]
_MAIL_UNREADABLE = {"E_MAIL_UNREADABLE", "E_MAIL_TOO_LARGE"}


@dataclass(frozen=True, slots=True)
class Entry:
    """A file to record: ``checked`` (its check is in ``Findings``), ``repeat`` (the same
    bytes as a file checked earlier in the run or already in the ledger) or ``container``
    (an archive or .msg that was opened; its members are entries of their own)."""

    order: Order
    source: Source
    sha256: str
    size: int
    name: str
    kind: EntryKind
    fmt: str = ""
    archive: str = ""


@dataclass
class Findings:
    """What the run learnt of each distinct file, by sha256."""

    checks: dict[str, Validation] = field(default_factory=dict)
    archived: dict[str, str] = field(default_factory=dict)  # its copy in archive/
    quarantined: dict[str, str] = field(default_factory=dict)  # its copy in quarantine/


@dataclass
class _Pending:
    """A file with a worker: what its result will need."""

    source: Source
    data: bytes = field(repr=False)
    name: str
    depth: int = 0


class Checking:
    """Turns inputs into worker tasks and worker results into entries."""

    def __init__(
        self, ledger: Ledger, archive: Archive, problems: list[Issue], progress: Progress | None
    ) -> None:
        self.ledger, self.archive, self.problems = ledger, archive, problems
        self.progress = progress
        self.findings = Findings()
        self.more: list[Task] = []  # tasks found in results (container members, attachments)
        self._pending: dict[Order, _Pending | MailInput] = {}
        self._first: dict[str, Order] = {}  # sha256 → the first copy checked in this run
        self._entries: list[Entry] = []  # waiting to be recorded in input order
        self._submitted = ledger.submitted_files()  # read once when the run starts
        self._total = self._done = 0

    # --- inputs → tasks -------------------------------------------------------------------

    def feed(self, inputs: Iterable[Input]) -> Iterator[Task]:
        for item in inputs:
            if isinstance(item, Problem):
                self.problems.append(item.issue)
            elif isinstance(item, MailInput):
                self._pending[item.order] = item
                self._count(total=1)
                yield item.order, tasks.MailTask(item.raw, item.label)
            elif (task := self._file(item)) is not None:
                yield task

    def _file(self, item: FileInput) -> Task | None:
        if item.size > MAX_INPUT_BYTES:
            self._too_large(item)
            return None
        try:
            data = item.read()
        except OSError as e:
            self._unreadable(item, e)
            return None
        return self._leaf(item.order, item.source, data, item.source.filename, 0)

    def _leaf(
        self, order: Order, source: Source, data: bytes, name: str, depth: int
    ) -> Task | None:
        """A file to check, unless the same bytes were checked already."""
        sha = hashlib.sha256(data).hexdigest()
        self._count(total=1)
        if self._seen(sha):
            self._entries.append(Entry(order, source, sha, len(data), name, "repeat"))
            self._count(done=1)
            return None
        self._first[sha] = order
        self._pending[order] = _Pending(source, data, name, depth)
        return order, tasks.CheckTask(data, name, source.sender or None, depth)

    def _seen(self, sha: str) -> bool:
        """Checked already: in this run, or a submission in the ledger (not to be redone).
        The ledger's files are listed once, when the run starts; one recorded since by
        another run is checked again and then found a duplicate when recorded."""
        if sha in self._first:
            return True
        return sha in self._submitted and self.ledger.known(sha) is not None

    def _too_large(self, item: FileInput) -> None:
        """Too large to read: hashed from disk, recorded and quarantined unread."""
        try:
            sha = hash_file(item.path)
        except OSError as e:
            self._unreadable(item, e)
            return
        name = item.source.filename
        self._count(total=1, done=1)
        if self._seen(sha):
            self._entries.append(Entry(item.order, item.source, sha, item.size, name, "repeat"))
            return
        found = issue(
            "E_INPUT_TOO_LARGE", Location(file=name), size=item.size, limit=MAX_INPUT_BYTES
        )
        self._first[sha] = item.order
        self.findings.checks[sha] = Validation(
            name, sha, item.size, "unknown", issues=[found], quarantined=True
        )
        self._entries.append(
            Entry(item.order, item.source, sha, item.size, name, "checked", "unknown")
        )

    def _unreadable(self, item: FileInput, error: OSError) -> None:
        where = Location(file=item.source.location)
        self.problems.append(issue("E_INPUT_UNREADABLE", where, detail=str(error)[:200]))

    def _count(self, *, total: int = 0, done: int = 0) -> None:
        self._total += total
        self._done += done
        if self.progress is not None and done:
            self.progress(self._done, self._total)

    # --- results → entries ----------------------------------------------------------------

    def result(self, key: Order, result: object) -> None:
        """Take one worker's result (or Failure) for the task ``key``."""
        pending = self._pending.pop(key)
        if isinstance(pending, MailInput):
            self._mail(pending, result)
        elif isinstance(result, tasks.Opened):
            self._opened(key, pending, result)
        elif isinstance(result, tasks.Checked):
            self._checked(key, pending, result.validation)
        else:
            self._checked(key, pending, tasks.failed_check(pending.name, pending.data, result))
        self._count(done=1)

    def _checked(self, order: Order, p: _Pending, v: Validation) -> None:
        archive = self._store(p.data, v.sha256, v.fmt, p.name)
        if v.quarantined:
            note = quarantine_note(v, p.source)
            self.findings.quarantined[v.sha256] = self.archive.quarantine(
                p.data, v.sha256, v.fmt, note, p.name
            )
        self.findings.checks[v.sha256] = v
        self._entries.append(
            Entry(order, p.source, v.sha256, v.size, p.name, "checked", v.fmt, archive)
        )

    def _opened(self, order: Order, p: _Pending, opened: tasks.Opened) -> None:
        sha = hashlib.sha256(p.data).hexdigest()
        if not opened.files:  # nothing inside to check: the container is the file
            issues = list(opened.issues)
            v = Validation(p.name, sha, len(p.data), opened.fmt, issues=issues, quarantined=True)
            self._checked(order, p, v)
            return
        archive = self._store(p.data, sha, opened.fmt, p.name)
        self._entries.append(
            Entry(order, p.source, sha, len(p.data), p.name, "container", opened.fmt, archive)
        )
        self.problems.extend(_inside(i, p.name) for i in opened.issues)
        for index, (member, data) in enumerate(opened.files):
            base = member.rstrip("/").rsplit("/", 1)[-1] or member
            source = member_source(p.source, opened.kind, member, base)
            self._more(self._leaf((*order, index), source, data, base, p.depth + 1))

    def _mail(self, mail: MailInput, result: object) -> None:
        if not isinstance(result, tasks.MailRead):
            failure = result if isinstance(result, Failure) else Failure("error", "?")
            self._bad_message(mail, [tasks.failure_issue(failure, mail.label)])
            return
        if any(i.code in _MAIL_UNREADABLE for i in result.issues):
            self._bad_message(mail, list(result.issues))
            return
        self.problems.extend(result.issues)
        if not result.attachments and not result.issues:  # an unreadable attachment is not "none"
            where = Location(file=mail.label)
            self.problems.append(
                issue("I_MAIL_NO_ATTACHMENT", where, subject=result.subject, sender=result.sender)
            )
        for index, att in enumerate(result.attachments):
            source = attachment_source(mail, att)
            name = att.filename or "attachment"
            self._more(self._leaf((*mail.order, index), source, att.data, name, att.depth))

    def _bad_message(self, mail: MailInput, found: list[Issue]) -> None:
        """A message that cannot be read is kept like a file, in quarantine."""
        sha = hashlib.sha256(mail.raw).hexdigest()
        name = mail.label.rsplit("/", 1)[-1]
        source = Source(
            mail.kind, mail.label, name, imap_mailbox=mail.imap_mailbox, imap_uid=mail.imap_uid
        )
        if self._seen(sha):
            self._entries.append(Entry(mail.order, source, sha, len(mail.raw), name, "repeat"))
            return
        self._first[sha] = mail.order
        v = Validation(name, sha, len(mail.raw), "eml", issues=found, quarantined=True)
        self._checked(mail.order, _Pending(source, mail.raw, name), v)

    def _store(self, data: bytes, sha: str, fmt: str, name: str) -> str:
        self.findings.archived[sha] = self.archive.store(data, sha, fmt, name)
        return self.findings.archived[sha]

    def _more(self, task: Task | None) -> None:
        if task is not None:
            self.more.append(task)

    # --- entries, in input order ----------------------------------------------------------

    def waiting(self) -> int:
        """Entries not yet taken."""
        return len(self._entries)

    def take_ready(self, *, final: bool = False) -> list[Entry]:
        """The entries, in input order, that no later result can come before (at the end:
        all of them). The others stay for a later call."""
        entries = sorted(self._entries, key=lambda e: e.order)
        if final:
            self._entries = []
            return entries
        bound = min(self._pending) if self._pending else None
        ready = list(itertools.takewhile(lambda e: self._ready(e, bound), entries))
        self._entries = entries[len(ready) :]
        return ready

    def _ready(self, e: Entry, bound: Order | None) -> bool:
        # A task still running may yet add an entry before this one (a file in a zip); a
        # repeat waits for the check of its first copy.
        if bound is not None and e.order >= bound:
            return False
        return not (
            e.kind == "repeat" and e.sha256 in self._first and e.sha256 not in self.findings.checks
        )


def _inside(i: Issue, container: str) -> Issue:
    where = Location(**(vars(i.where) | {"file": f"{container} > {i.where.file or ''}"}))
    return Issue(i.code, where, i.params)
