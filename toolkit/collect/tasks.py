"""What a collect worker does with untrusted bytes (see ``workers.py``): check a file,
open a zip archive or an Outlook .msg holding returned files, read the attachments of a
message, or mark up a returned workbook for its sender. Everything that parses input runs
here, in a process the parent can kill."""

from __future__ import annotations

import email.policy
import gc
import hashlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from email.parser import BytesParser
from typing import Any

from toolkit.collect.feedback import feedback_workbook
from toolkit.collect.workers import Failure, WorkerPool
from toolkit.forms.definition import FormDefinition, load_definition
from toolkit.gate.containers import ARCHIVE_LIMITS, holds_document, open_container
from toolkit.gate.sniff import inspect
from toolkit.issues import Issue, Location, catalog, issue
from toolkit.mailio.headers import meta
from toolkit.mailio.outlook import CFB_MAGIC
from toolkit.mailio.parse import Attachment, attachments_from_message, unique
from toolkit.messages import Lang
from toolkit.periods import Period
from toolkit.plan.model import Plan
from toolkit.plan.registry import Registry
from toolkit.plan.revisions import Revisions
from toolkit.validate.check import validate_bytes
from toolkit.validate.context import Context
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

_STATE: dict[str, Any] = {}
_GC_THRESHOLD = 20_000  # allocations between young collections (Python's default: 700)


def preload() -> None:
    """What every worker reads the same — the catalog of codes, the shipped forms — read
    once in the parent: workers forked from it start with them."""
    catalog()
    for form in ("annual", "quarterly"):
        load_definition(form)


def setup(config: Setup) -> None:
    """Runs once per worker: the shared context, with its caches warmed."""
    from toolkit.gate.safety import ensure_defusedxml

    ensure_defusedxml()
    ctx = Context(
        config.plan,
        config.registry,
        period=config.period,
        unit=config.unit,
        custom_form=config.custom_form,
        revisions=config.revisions,
    )
    if config.issued is not None:
        issued = config.issued
        ctx.issued = lambda unit, period: set(issued.get((unit, period), ())) or None
    _STATE.pop("history", None)  # a forked worker must not use its parent's ledger
    if config.ledger and (config.reported is None or config.reported):  # anyone to look up
        ctx.previous = _previous_from(config.ledger, config.reported)
    catalog()
    _ = ctx.plan_fp
    for form in ("annual", "quarterly"):
        ctx.definition(form)
    _STATE["context"] = ctx
    _settle_heap()


def _settle_heap() -> None:
    """What the worker holds from now on (its modules, the plan, the context — with a
    fork, all its parent held) is set aside from the cyclic garbage collector, which
    would otherwise walk it again and again, and collect less often: a check makes
    thousands of short-lived objects and no lasting cycles. (No collection first: it
    would walk all of it once more, at the start of every worker.)"""
    gc.freeze()
    gc.set_threshold(_GC_THRESHOLD, *gc.get_threshold()[1:])


@contextmanager
def settled_heap() -> Iterator[None]:
    """The same for the parent during a run — a full collection walking the plan and
    the registry stalls it for a tenth of a second while the workers wait for work —
    and undone after (the parent may live on: tests, a program using the library)."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(_GC_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


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
    ctx = _context()
    if task.sender:  # a copy: the caches stay shared (a file from a folder has no sender)
        ctx = replace(ctx, sender=task.sender)
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


def _context() -> Context:
    ctx = _STATE.get("context")
    if not isinstance(ctx, Context):
        raise RuntimeError("worker not set up")
    return ctx


def _previous_from(db: str, reported: frozenset[str] | None) -> Any:
    """Context.previous backed by the ledger, opened on first use (read-only use); a unit
    not in ``reported`` has no earlier answers to look up."""

    def previous(unit: str, period: str) -> Any:
        from pathlib import Path

        from toolkit.ledger.history import LedgerHistory
        from toolkit.ledger.store import Ledger

        if reported is not None and unit not in reported:
            return None
        if "history" not in _STATE:
            _STATE["history"] = LedgerHistory(Ledger(Path(db)))
        return _STATE["history"].previous_by_text(unit, period)

    return previous


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
