"""What a collect worker does with untrusted bytes (see ``workers.py``): check a file,
open a zip archive or an Outlook .msg holding returned files, read the attachments of a
message, or mark up a returned workbook for its sender. Everything that parses input runs
here, in a process the parent can kill."""

from __future__ import annotations

import email.policy
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.parser import BytesParser
from pathlib import Path

from toolkit.collect.feedback import feedback_workbook
from toolkit.collect.workers import Failure, WorkerPool
from toolkit.forms.definition import FormDefinition, load_definition
from toolkit.gate.containers import ARCHIVE_LIMITS, holds_document, open_container
from toolkit.gate.sniff import inspect
from toolkit.issues import Issue, Location, catalog, issue
from toolkit.ledger.history import LedgerHistory
from toolkit.ledger.store import Ledger
from toolkit.mailio.headers import meta
from toolkit.mailio.outlook import CFB_MAGIC
from toolkit.mailio.parse import Attachment, attachments_from_message, unique
from toolkit.messages import Lang
from toolkit.periods import Period
from toolkit.plan.model import Plan
from toolkit.plan.registry import Registry
from toolkit.plan.revisions import Revisions
from toolkit.validate.check import validate_bytes
from toolkit.validate.context import Context, Previous
from toolkit.validate.result import Validation

MAX_DEPTH = 3  # containers inside containers (a zip in a zip attached to a forwarded mail)
IssuedMap = Mapping[tuple[str, str], frozenset[str]]


@dataclass(frozen=True)
class Setup:
    """What every check of a run shares; sent once to each worker."""

    plan: Plan
    registry: Registry
    period: Period | None = None
    unit: str | None = None
    custom_form: FormDefinition | None = None
    issued: IssuedMap | None = None  # (unit, period) → form ids; None: not checked
    ledger: str | None = None  # path of zvit.db, for earlier answers
    reported: frozenset[str] | None = None  # units with earlier answers there; None: any
    revisions: Revisions | None = None  # of an amended plan: a form is checked by its own


@dataclass(frozen=True)
class CheckTask:
    data: bytes = field(repr=False)
    name: str
    sender: str | None = None
    depth: int = 0


@dataclass(frozen=True)
class MailTask:
    raw: bytes = field(repr=False)
    label: str


@dataclass(frozen=True)
class FeedbackTask:
    data: bytes = field(repr=False)
    issues: tuple[Issue, ...]
    unit_name: str
    period_label: str
    form_id: str
    lang: Lang


@dataclass(frozen=True)
class Checked:
    validation: Validation


@dataclass(frozen=True)
class Opened:
    """A container that held files: each (display name, bytes), and what went wrong."""

    kind: str  # zip | msg
    fmt: str
    files: tuple[tuple[str, bytes], ...]
    issues: tuple[Issue, ...] = ()


@dataclass(frozen=True)
class MailRead:
    attachments: tuple[Attachment, ...]
    issues: tuple[Issue, ...]
    subject: str = ""
    sender: str = ""


@dataclass(frozen=True)
class Feedback:
    data: bytes = field(repr=False)


Task = CheckTask | MailTask | FeedbackTask
Result = Checked | Opened | MailRead | Feedback
Key = tuple[int, ...]  # a task's place in the run's input order (or a submission's id)
CheckPool = WorkerPool[Key, Task, Result]


def preload() -> None:
    """What every worker reads the same — the catalog of codes, the shipped forms — read
    once in the parent: workers forked from it start with them."""
    catalog()
    for form in ("annual", "quarterly"):
        load_definition(form)


class CheckWorker:
    """What one worker process holds between checks: the run's context, its index of the
    plan built before the first file, and the ledger once earlier answers are asked for."""

    def __init__(self, config: Setup) -> None:
        self.ctx = Context(
            config.plan,
            config.registry,
            period=config.period,
            unit=config.unit,
            custom_form=config.custom_form,
            revisions=config.revisions,
        )
        if config.issued is not None:
            issued = config.issued
            self.ctx.issued = lambda unit, period: set(issued.get((unit, period), ())) or None
        self._ledger, self._reported = config.ledger, config.reported
        self._history: LedgerHistory | None = None
        if self._ledger and (self._reported is None or self._reported):  # anyone to look up
            self.ctx.previous = self._previous
        index = self.ctx.index
        _ = index.fingerprint, index.measures, index.sole, index.units_by_address
        catalog()
        for form in ("annual", "quarterly"):
            self.ctx.definition(form)

    def context(self, sender: str | None) -> Context:
        """The context for a file from ``sender`` (a file from a folder has none)."""
        return self.ctx.for_sender(sender) if sender else self.ctx

    def _previous(self, unit: str, period: str) -> Previous | None:
        """Earlier answers from the ledger, opened on first use (read-only use); a unit
        not in ``reported`` has none to look up."""
        if self._ledger is None or (self._reported is not None and unit not in self._reported):
            return None
        if self._history is None:
            self._history = LedgerHistory(Ledger(Path(self._ledger)))
        return self._history.previous_by_text(unit, period)


# This process's CheckWorker, made by ``setup`` when the process starts as a worker.
_worker: CheckWorker | None = None


def setup(config: Setup) -> None:
    """Runs once per worker, before its first task."""
    global _worker
    from toolkit.gate.safety import ensure_defusedxml

    ensure_defusedxml()
    _worker = CheckWorker(config)


def handle(task: Task) -> Result:
    if isinstance(task, CheckTask):
        return check(task)
    if isinstance(task, MailTask):
        return read_mail(task)
    return Feedback(
        feedback_workbook(
            task.data,
            list(task.issues),
            unit_name=task.unit_name,
            period_label=task.period_label,
            form_id=task.form_id,
            lang=task.lang,
        )
    )


def read_mail(task: MailTask) -> MailRead:
    found, issues = attachments_from_message(task.raw, task.label)
    if found or issues:
        return MailRead(tuple(unique(found)), tuple(issues))
    # no form in it: say whose message it was, so the coordinator can tell
    try:
        head = meta(BytesParser(policy=email.policy.default).parsebytes(task.raw, headersonly=True))
    except Exception:
        return MailRead((), ())
    return MailRead((), (), head.subject, head.sender)


def check(task: CheckTask) -> Checked | Opened:
    """A zip archive or an .msg (but not an .xlsx, which is a zip too) is opened; any
    other file is validated as a returned form. The gate looks at a zip once: its finding
    tells an archive from a workbook, and the check of a workbook goes on from it."""
    gate = None if task.data.startswith(CFB_MAGIC) else inspect(task.data, task.name)
    archive = gate is None or (gate.fmt == "zip" and not holds_document(gate.names))
    if task.depth < MAX_DEPTH and archive:
        opened = _open(task)
        if opened is not None:
            return opened
    ctx = _checker().context(task.sender)
    return Checked(validate_bytes(task.data, task.name, ctx, gate).detach_answers())


def _open(task: CheckTask) -> Opened | None:
    gate = inspect(task.data, task.name, ARCHIVE_LIMITS)
    if gate.fmt in ("zip", "msg") and not _blocked(gate.issues):
        opened = open_container(task.data, gate.fmt)
        if opened is not None:
            files, issues = opened
            return Opened("zip" if gate.fmt == "zip" else "msg", gate.fmt, files, issues)
    return None


def _blocked(issues: list[Issue]) -> bool:
    """The gate refused the container itself (size, damage): keep it whole, unopened."""
    return any(i.severity == "error" and i.code != "E_NOT_SPREADSHEET" for i in issues)


def _checker() -> CheckWorker:
    if _worker is None:
        raise RuntimeError("worker not set up")
    return _worker


def check_pool(config: Setup, *, jobs: int | None, timeout: float, memory_mb: int) -> CheckPool:
    """The workers of a run: each set up once with ``config``, each task within
    ``timeout`` seconds and ``memory_mb``."""
    return WorkerPool(
        handle,
        jobs=jobs,
        timeout=timeout,
        init=setup,
        initargs=(config,),
        memory_mb=memory_mb,
        preload=["toolkit.collect.tasks"],
    )


def failed_check(name: str, data: bytes, result: object) -> Validation:
    """The file whose check gave no result (``result``: the Failure, or whatever came
    back instead): kept aside, with why."""
    failure = result if isinstance(result, Failure) else Failure("error", repr(result))
    return Validation(
        name,
        hashlib.sha256(data).hexdigest(),
        len(data),
        "",
        issues=[failure_issue(failure, name)],
        quarantined=True,
    )


def failure_issue(failure: Failure, name: str) -> Issue:
    where = Location(file=name)
    if failure.kind == "timeout":
        return issue("E_TIMEOUT", where, seconds=failure.detail)
    return issue("E_CHECK_FAILED", where, detail=failure.detail[:200])
