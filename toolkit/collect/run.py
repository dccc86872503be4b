"""``zvit collect``: take in returned files from folders, archives and mail, check each in
a worker process, keep the originals, record everything in the ledger, and write the
run's report and the feedback copies for units whose latest report has problems.

One bad file never stops the run: whatever it does to its worker, it ends with a code.
Files are recorded in input order once all are checked, so a run's outcome does not depend
on which worker finished first."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.collect import tasks
from toolkit.collect.archive import Archive, hash_file, quarantine_note
from toolkit.collect.feedback_run import make_feedback
from toolkit.collect.gather import (
    MAX_INPUT_BYTES,
    FileInput,
    Input,
    MailInput,
    Order,
    Problem,
    attachment_source,
    gather,
    member_source,
)
from toolkit.collect.outcome import CollectRun, FileOutcome
from toolkit.collect.runreport import write_run_report
from toolkit.collect.workers import Failure, WorkerPool
from toolkit.forms.definition import custom_definition
from toolkit.gate.safety import ensure_defusedxml
from toolkit.issues import Issue, Location, issue
from toolkit.ledger.rows import Source, issue_from_dict, renderable
from toolkit.ledger.store import Ledger, Recorded, now
from toolkit.messages import Lang
from toolkit.periods import Period
from toolkit.validate.result import Validation
from toolkit.workspace import Workspace

Progress = Callable[[int, int], None]  # (files done, files known so far)
DEFAULT_TIMEOUT = 60.0
DEFAULT_MEMORY_MB = 2048
RECORD_EVERY = 100  # results gathered before recording them, while the workers go on
# Files recorded between two results: the workers wait for their next task while the
# parent records, so it records a few at a time, no longer than the work sent ahead lasts.
# The slices of one gathering share a transaction: one wait for the disk, not ten.
RECORD_SLICE = 10
_MAIL_UNREADABLE = {"E_MAIL_UNREADABLE", "E_MAIL_TOO_LARGE"}


@dataclass
class _Entry:
    """A file to record once every check is done."""

    order: Order
    source: Source
    sha256: str
    size: int
    name: str
    kind: str  # checked | repeat (same bytes earlier in the run or in the ledger) | container
    fmt: str = ""
    archive: str = ""


@dataclass
class _Pending:
    source: Source
    data: bytes = field(repr=False)
    name: str
    depth: int = 0


def collect(
    ws: Workspace,
    paths: Sequence[Path],
    period: Period | None = None,
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
    timeout: float | None = None,
    lang: Lang | None = None,
    more: Iterable[Input] = (),
    more_labels: Sequence[str] = (),
) -> CollectRun:
    """Collect returned files from ``paths`` into the workspace; see the module doc.
    ``more``: further inputs after those of ``paths`` (messages fetched over IMAP), their
    orders starting at ``(len(paths),)``; ``more_labels`` name them in the run's record."""
    ensure_defusedxml()
    tasks.preload()
    plan, registry = ws.plan(period), ws.registry()
    out_lang: Lang = lang or ws.lang
    seconds = float(timeout or ws.number("collect", "timeout", DEFAULT_TIMEOUT, minimum=1))
    with Ledger.open(ws) as ledger:
        inputs = [str(p) for p in paths] + list(more_labels)
        run = CollectRun(
            ledger.start_run("collect", _text(period), inputs), _text(period), inputs, now()
        )
        setup = tasks.Setup(
            plan,
            registry,
            period,
            custom_form=custom_definition(ws.form_path),
            issued=ledger.issued_map(),
            ledger=str(ledger.path),
            reported=ledger.reported_units(),
            revisions=ws.revisions(),
        )
        memory = int(ws.number("collect", "memory_mb", DEFAULT_MEMORY_MB, minimum=64))
        pool = tasks.check_pool(setup, jobs=jobs, timeout=seconds, memory_mb=memory)
        with pool, tasks.settled_heap():
            session = _Session(ws, ledger, run, pool, progress)
            items = itertools.chain(gather(paths, ws.root), more)
            try:
                for key, result in pool.run(session.feed(items)):
                    session.done(key, result)
                    session.record_ready()
                session.record_ready(final=True)
            except BaseException as e:
                session.end_recording(e)
                raise
            run.feedback, failed = make_feedback(
                ws, ledger, registry, pool, session.touched, out_lang
            )
            run.problems += failed
            pool.stop()  # the workers exit while the report is written
            run.finished_at = now()
            run.report_xlsx, run.report_json = write_run_report(
                run, ws.folder("reports"), registry, out_lang
            )
        report = run.report_xlsx.relative_to(ws.root).as_posix()
        ledger.finish_run(run.run_id, run.counts(), report)
    return run


def _text(period: Period | None) -> str | None:
    return None if period is None else str(period)


class _Session:
    def __init__(
        self,
        ws: Workspace,
        ledger: Ledger,
        run: CollectRun,
        pool: WorkerPool,
        progress: Progress | None,
    ) -> None:
        self.ledger, self.run, self.pool, self.progress = ledger, run, pool, progress
        self.archive = Archive(ws.root, f"run{run.run_id}")
        self.pending: dict[Order, _Pending | MailInput] = {}
        self.first: dict[str, Order] = {}  # sha256 → the first copy checked in this run
        self.entries: list[_Entry] = []
        self.checked: dict[str, Validation] = {}  # sha256 → its check
        self.quarantined: dict[str, str] = {}  # sha256 → its copy in quarantine/
        self.archives: dict[str, str] = {}  # sha256 → its copy in archive/
        self.total = self.finished = 0
        self.touched: set[tuple[str, str]] = set()  # (unit, period) with a new submission
        self.record_at = RECORD_EVERY  # entries waiting before the next try to record
        self.stored: list[_Entry] = []  # their originals on disk: ready to be recorded
        self._recording: AbstractContextManager[Any] | None = None  # an open transaction
        self.submitted = ledger.submitted_files()

    # --- feeding the workers ------------------------------------------------------

    def feed(self, inputs: Iterable[Input]) -> Iterator[tuple[Order, Any]]:
        for item in inputs:
            if isinstance(item, Problem):
                self.run.problems.append(item.issue)
            elif isinstance(item, MailInput):
                self.pending[item.order] = item
                self._count(total=1)
                yield item.order, tasks.MailTask(item.raw, item.label)
            else:
                task = self._file(item)
                if task is not None:
                    yield task

    def _file(self, item: FileInput) -> tuple[Order, tasks.CheckTask] | None:
        if item.size > MAX_INPUT_BYTES:
            self._too_large(item)
            return None
        try:
            data = item.read()
        except OSError as e:
            where = Location(file=item.source.location)
            self.run.problems.append(issue("E_INPUT_UNREADABLE", where, detail=str(e)[:200]))
            return None
        return self._leaf(item.order, item.source, data, item.source.filename, 0)

    def _leaf(
        self, order: Order, source: Source, data: bytes, name: str, depth: int
    ) -> tuple[Order, tasks.CheckTask] | None:
        """A file to check, unless the same bytes were checked already."""
        sha = hashlib.sha256(data).hexdigest()
        self._count(total=1)
        if self._seen(sha):
            self.entries.append(_Entry(order, source, sha, len(data), name, "repeat"))
            self._count(done=1)
            return None
        self.first[sha] = order
        self.pending[order] = _Pending(source, data, name, depth)
        return order, tasks.CheckTask(data, name, source.sender or None, depth)

    def _seen(self, sha: str) -> bool:
        """Checked already: in this run, or a submission in the ledger (not to be redone).
        The ledger's files are listed once, when the run starts; one recorded since by
        another run is checked again and then found a duplicate when recorded."""
        return sha in self.first or (sha in self.submitted and self.ledger.known(sha) is not None)

    def _count(self, *, total: int = 0, done: int = 0) -> None:
        self.total += total
        self.finished += done
        if self.progress is not None and done:
            self.progress(self.finished, self.total)

    # --- results ------------------------------------------------------------------

    def done(self, key: Any, result: Any) -> None:
        pending = self.pending.pop(key)
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
            self.quarantined[v.sha256] = self.archive.quarantine(
                p.data, v.sha256, v.fmt, quarantine_note(v, p.source), p.name
            )
        self.checked[v.sha256] = v
        self.entries.append(
            _Entry(order, p.source, v.sha256, v.size, p.name, "checked", v.fmt, archive)
        )

    def _opened(self, order: Order, p: _Pending, opened: tasks.Opened) -> None:
        sha = hashlib.sha256(p.data).hexdigest()
        if not opened.files:  # nothing inside to check: the container is the file
            v = Validation(
                p.name, sha, len(p.data), opened.fmt, issues=list(opened.issues), quarantined=True
            )
            self._checked(order, p, v)
            return
        archive = self._store(p.data, sha, opened.fmt, p.name)
        self.entries.append(
            _Entry(order, p.source, sha, len(p.data), p.name, "container", opened.fmt, archive)
        )
        self.run.problems += [_inside(i, p.name) for i in opened.issues]
        for index, (member, data) in enumerate(opened.files):
            base = member.rstrip("/").rsplit("/", 1)[-1] or member
            source = member_source(p.source, opened.kind, member, base)
            self._submit(self._leaf((*order, index), source, data, base, p.depth + 1))

    def _mail(self, mail: MailInput, result: Any) -> None:
        if isinstance(result, Failure) or not isinstance(result, tasks.MailRead):
            failure = result if isinstance(result, Failure) else Failure("error", "?")
            self._bad_message(mail, [tasks.failure_issue(failure, mail.label)])
            return
        if any(i.code in _MAIL_UNREADABLE for i in result.issues):
            self._bad_message(mail, list(result.issues))
            return
        self.run.problems += result.issues
        if not result.attachments and not result.issues:  # an unreadable attachment is not "none"
            self.run.problems.append(
                issue(
                    "I_MAIL_NO_ATTACHMENT",
                    Location(file=mail.label),
                    subject=result.subject,
                    sender=result.sender,
                )
            )
        for index, att in enumerate(result.attachments):
            source = attachment_source(mail, att)
            name = att.filename or "attachment"
            self._submit(self._leaf((*mail.order, index), source, att.data, name, att.depth))

    def _bad_message(self, mail: MailInput, found: list[Issue]) -> None:
        """A message that cannot be read is kept like a file, in quarantine."""
        sha = hashlib.sha256(mail.raw).hexdigest()
        source = Source(
            mail.kind,
            mail.label,
            mail.label.rsplit("/", 1)[-1],
            imap_mailbox=mail.imap_mailbox,
            imap_uid=mail.imap_uid,
        )
        p = _Pending(source, mail.raw, source.filename)
        if self._seen(sha):
            self.entries.append(_Entry(mail.order, source, sha, len(mail.raw), p.name, "repeat"))
            return
        self.first[sha] = mail.order
        v = Validation(p.name, sha, len(mail.raw), "eml", issues=found, quarantined=True)
        self._checked(mail.order, p, v)

    def _store(self, data: bytes, sha: str, fmt: str, name: str) -> str:
        self.archives[sha] = self.archive.store(data, sha, fmt, name)
        return self.archives[sha]

    def _submit(self, task: tuple[Order, tasks.CheckTask] | None) -> None:
        if task is not None:
            self.pool.submit(*task)

    def _too_large(self, item: FileInput) -> None:
        try:
            sha = hash_file(item.path)
        except OSError as e:
            where = Location(file=item.source.location)
            self.run.problems.append(issue("E_INPUT_UNREADABLE", where, detail=str(e)[:200]))
            return
        found = [
            issue(
                "E_INPUT_TOO_LARGE",
                Location(file=item.source.filename),
                size=item.size,
                limit=MAX_INPUT_BYTES,
            )
        ]
        v = Validation(
            item.source.filename, sha, item.size, "unknown", issues=found, quarantined=True
        )
        self._count(total=1, done=1)
        if self._seen(sha):
            self.entries.append(
                _Entry(item.order, item.source, sha, item.size, item.source.filename, "repeat")
            )
            return
        self.first[sha] = item.order
        self.checked[sha] = v
        self.entries.append(
            _Entry(
                item.order, item.source, sha, item.size, item.source.filename, "checked", "unknown"
            )
        )

    # --- recording ----------------------------------------------------------------

    def record_ready(self, final: bool = False) -> None:
        """Record, in input order, the files no later result can come before — a slice at
        a time while the workers go on — or, at the end, all the rest."""
        if final or len(self.entries) >= self.record_at:
            entries = sorted(self.entries, key=lambda e: e.order)
            bound = min(self.pending) if self.pending and not final else None
            ready = (
                entries
                if final
                else list(itertools.takewhile(lambda e: self._ready(e, bound), entries))
            )
            self.record_at = len(entries) - len(ready) + RECORD_EVERY
            if ready:
                self.entries = entries[len(ready) :]
                self.archive.flush()  # every original safely on disk before the ledger names it
                self.stored += ready
        if self.stored:
            count = len(self.stored) if final else RECORD_SLICE
            if self._recording is None:
                self._recording = self.ledger.batch()
                self._recording.__enter__()
            self._record_all(self.stored[:count])
            del self.stored[:count]
            if not self.stored:
                self.end_recording()

    def end_recording(self, error: BaseException | None = None) -> None:
        """Commit what was recorded — or, when the run is failing, roll it back, and drop
        the pack still being written (the next run takes those files in again)."""
        recording, self._recording = self._recording, None
        if error is not None:
            self.archive.discard()
        if recording is not None:
            recording.__exit__(
                type(error) if error else None, error, error.__traceback__ if error else None
            )

    def _ready(self, e: _Entry, bound: Order | None) -> bool:
        # A task still running may yet add an entry before this one (a file in a zip); a
        # repeat waits for the check of its first copy.
        if bound is not None and e.order >= bound:
            return False
        return not (e.kind == "repeat" and e.sha256 in self.first and e.sha256 not in self.checked)

    def _record_all(self, entries: list[_Entry]) -> None:
        for entry in entries:
            outcome, attributed = self._record(entry)
            self.run.files.append(outcome)
            if outcome.status == "new" and attributed:
                self.touched.add((outcome.unit, outcome.period))

    def _record(self, e: _Entry) -> tuple[FileOutcome, bool]:
        """The file's outcome, and whether its submission belongs to a unit and period."""
        run_id = self.run.run_id
        if e.sha256 in self.checked:
            v = self.checked[e.sha256]
            e.archive = self.archives.get(e.sha256, "")
            rec = self.ledger.record(v, e.source, e.archive, run_id=run_id)
            outcome = _from_record(e, rec, v.fmt, self.quarantined.get(e.sha256, ""))
            return outcome, rec.submission.attributed
        sub = self.ledger.add_source(
            e.sha256, e.size, e.fmt or "unknown", e.archive, e.source, run_id
        )
        if e.kind == "container" or sub is None:
            return FileOutcome(
                e.order, e.name, e.source, e.sha256, e.size, e.fmt, "container", archive=e.archive
            ), False
        return _from_record(e, Recorded(sub, duplicate=True), e.fmt, ""), sub.attributed


def _from_record(e: _Entry, rec: Recorded, fmt: str, quarantine: str) -> FileOutcome:
    sub = rec.submission
    issues = [issue_from_dict(d) for d in sub.issues if renderable(d)]
    where = Location(file=e.name, unit=sub.unit or None)
    notes: list[Issue] = []
    if rec.duplicate:
        notes.append(
            issue("W_DUPLICATE", where, submission=sub.id, first_seen=_when(sub.received_at))
        )
    elif sub.attributed:
        notes.append(
            issue("I_RECEIVED", where, unit=sub.unit, period=sub.period, submission=sub.id)
        )
    for old in rec.replaced:
        notes.append(
            issue("W_SUPERSEDED", where, previous=old.id, previous_at=_when(old.submitted_at))
        )
    if rec.newer is not None:
        notes.append(
            issue(
                "W_NOT_LATEST", where, latest=rec.newer.id, latest_at=_when(rec.newer.submitted_at)
            )
        )
    return FileOutcome(
        e.order,
        e.name,
        e.source,
        e.sha256,
        e.size,
        fmt or e.fmt,
        "duplicate" if rec.duplicate else "new",
        sub.verdict,
        sub.unit,
        sub.period,
        sub.form_id,
        sub.id,
        sub.superseded_by or (rec.newer.id if rec.newer else None),
        issues,
        notes,
        e.archive,
        quarantine,
    )


def _when(moment: Any) -> str:
    return f"{moment:%d.%m.%Y %H:%M}"


def _inside(i: Issue, container: str) -> Issue:
    where = Location(**(vars(i.where) | {"file": f"{container} > {i.where.file or ''}"}))
    return Issue(i.code, where, i.params)
