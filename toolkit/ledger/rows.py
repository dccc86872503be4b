"""Plain records of the ledger and their conversion to and from table rows: where a file
was seen (``Source``), a form sent out (``IssuedForm``), a submission's column values.
Times are stored as ISO 8601 text: with the offset they happened in for display, and in
UTC (fixed width, so text order is time order) for sorting."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from toolkit.errors import ZvitError
from toolkit.issues import Issue, Location, catalog, stored_params
from toolkit.jsonio import loads
from toolkit.ledger.standing import Decision
from toolkit.ledger.submissions import Submission
from toolkit.periods import Period
from toolkit.validate.result import Answers, Validation

ACCEPTED = "('accepted', 'accepted_with_warnings')"

# How a submission row is read: with the columns of where the file was seen.
_SOURCE_FROM = """src.location, src.message_id, src.sender, src.filename, src.sent_how
             FROM submissions s JOIN sources src ON src.id = s.source_id"""
SELECT = f"SELECT s.*, {_SOURCE_FROM}"
# Without the answers, the large part of a row: SQLite then leaves its pages unread.
_BRIEF = (
    "id",
    "sha256",
    "source_id",
    "run_id",
    "unit",
    "period",
    "form_id",
    "attributed",
    "received_at",
    "submitted_at",
    "verdict",
    "errors",
    "warnings",
    "issues",
    "application",
    "retry",
)
SELECT_BRIEF = f"SELECT {', '.join('s.' + c for c in _BRIEF)}, NULL AS answers, {_SOURCE_FROM}"
ORDER = "s.order_key DESC, s.received_key DESC, s.id DESC"  # newest first, as sent

# With one of these the file's identity cannot be trusted, so it does not count for the
# unit and period it names (it could otherwise push out another unit's good report).
UNTRUSTED_IDENTITY = frozenset(
    {"E_NOT_A_FORM", "E_IDENTITY_CONFLICT", "E_IDENTITY_TAMPERED", "E_WRONG_PLAN", "E_UNKNOWN_UNIT"}
)
# Verdicts that depend on the run rather than the file (its time, the period collected):
# when the same bytes come again they are checked again.
REDO_CODES = frozenset({"E_TIMEOUT", "E_CHECK_FAILED", "E_WRONG_PERIOD"})
_LOCATION_FIELDS = ("file", "unit", "sheet", "cell", "measure", "path", "line")


def iso(moment: datetime) -> str:
    return _aware(moment).isoformat(timespec="microseconds")


def utc_key(moment: datetime) -> str:
    return _aware(moment).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Source:
    """One place a file was seen: a path, a zip member, an attachment of a message."""

    kind: str  # file | zip | mail | msg | imap
    location: str
    filename: str = ""
    message_id: str | None = None
    sender: str = ""
    subject: str = ""
    mail_date: datetime | None = None
    via: str = ""
    imap_mailbox: str | None = None
    imap_uid: int | None = None
    # A file taken from a folder has no mail date: when the file system says it was last
    # written (saved from the mail — or copied) is the last resort for when it was sent
    # (see ``sent_of``); not kept with the source.
    file_date: datetime | None = None

    @property
    def key(self) -> str:
        """The same message seen twice (an mbox and a maildir) is one place."""
        if self.message_id:
            return f"msgid:{self.message_id}"
        return f"loc:{self.location}"

    @property
    def label(self) -> str:
        return f"Message-ID {self.message_id}" if self.message_id else self.location

    @classmethod
    def from_row(cls, row: Any) -> Source:
        date = row["mail_date"]
        return cls(
            kind=row["kind"],
            location=row["location"],
            filename=row["filename"],
            message_id=row["message_id"],
            sender=row["sender"],
            subject=row["subject"],
            mail_date=datetime.fromisoformat(date) if date else None,
            via=row["via"],
            imap_mailbox=row["imap_mailbox"],
            imap_uid=row["imap_uid"],
        )


@dataclass(frozen=True)
class IssuedForm:
    form_id: str
    unit: str
    period: str
    plan_id: str
    plan_fp: str
    rows: int
    file: str
    checksum: str
    created_at: datetime

    @classmethod
    def from_row(cls, row: Any) -> IssuedForm:
        return cls(
            form_id=row["form_id"],
            unit=row["unit"],
            period=row["period"],
            plan_id=row["plan_id"],
            plan_fp=row["plan_fp"],
            rows=row["rows"],
            file=row["file"],
            checksum=row["checksum"],
            created_at=datetime.fromisoformat(row["created_at"]),
        )


def attributed(v: Validation) -> bool:
    """Whether the file may stand for the unit and period its identity names."""
    if v.identity is None or not v.identity.unit or v.quarantined:
        return False
    if any(i.code in UNTRUSTED_IDENTITY or i.code == "E_WRONG_PERIOD" for i in v.issues):
        return False  # a form of another period than the one collected waits to be collected
    try:
        Period.parse(v.identity.period)
    except ZvitError:
        return False
    return True


def redo(v: Validation) -> bool:
    return any(i.code in REDO_CODES for i in v.issues)


def same_outcome(sub: Submission, v: Validation) -> bool:
    """A check redone with the same result: nothing new to record."""
    return sub.verdict == v.verdict and {d.get("code") for d in sub.issues} == {
        i.code for i in v.issues
    }


# How the moment a unit sent a file is known, best first (``sources.sent_how``).
SentHow = str  # "mail" | "given" | "saved" | "file" | "collected"
SENT_HOW = ("mail", "given", "saved", "file", "collected")


Given = datetime | date  # collect --received: a moment, or a day


def sent_of(
    source: Source,
    received: datetime,
    *,
    saved: datetime | None = None,
    given: Given | None = None,
) -> tuple[datetime, SentHow]:
    """When the unit sent the file, and how that is known: the mail's Date; else the
    moment the coordinator gave for a folder of saved attachments (``collect
    --received``; a day only: the workbook's own time if it falls on that day, else the
    day's start); else the time the workbook itself says it was last saved (Excel and
    LibreOffice write it inside the file, so copying does not change it); else the file
    system's time; else when zvit took it in. A time later than that is a wrong clock
    and is passed over."""
    if source.mail_date is not None:
        return source.mail_date, "mail"
    if isinstance(given, datetime):
        return given, "given"
    if given is not None:
        if saved is not None and saved <= received and saved.astimezone().date() == given:
            return saved, "saved"
        return datetime.combine(given, time()).astimezone(), "given"
    if saved is not None and saved <= received:
        return saved, "saved"
    if source.file_date is not None and source.file_date <= received:
        return source.file_date, "file"
    return received, "collected"


def submission_values(
    v: Validation,
    source: Source,
    source_id: int,
    run_id: int | None,
    received: datetime,
    submitted: datetime,
) -> dict[str, Any]:
    """Column → value of a new submission row; ``submitted``: see ``sent_of``."""
    ident = v.identity
    return {
        "sha256": v.sha256,
        "source_id": source_id,
        "run_id": run_id,
        "unit": ident.unit if ident else "",
        "period": ident.period if ident else "",
        "form_id": ident.form_id if ident else "",
        "attributed": int(attributed(v)),
        "received_at": iso(received),
        "submitted_at": iso(submitted),
        "order_key": utc_key(submitted),
        "received_key": utc_key(received),
        "verdict": v.verdict,
        "errors": sum(1 for i in v.issues if i.severity == "error"),
        "warnings": sum(1 for i in v.issues if i.severity == "warning"),
        "issues": json.dumps([i.to_dict("uk") for i in v.issues], ensure_ascii=False),
        "answers": v.answers_json(),
        "application": v.application,
        "retry": int(redo(v)),
    }


def submission_from_row(row: Any, with_answers: bool = True) -> Submission:
    """``with_answers=False`` skips reading the answers back (the costly part of a row)
    where only the verdict and issues are needed."""
    answers = row["answers"] if with_answers else None
    message_id = row["message_id"]
    return Submission(
        id=row["id"],
        unit=row["unit"],
        period=row["period"],
        form_id=row["form_id"],
        sha256=row["sha256"],
        received_at=datetime.fromisoformat(row["received_at"]),
        submitted_at=datetime.fromisoformat(row["submitted_at"]),
        verdict=row["verdict"],
        errors=row["errors"],
        warnings=row["warnings"],
        answers=Answers.from_json(loads(answers)) if answers else None,
        issues=tuple(json.loads(row["issues"])),
        source=f"Message-ID {message_id}" if message_id else row["location"],
        sender=row["sender"],
        filename=row["filename"],
        application=row["application"],
        attributed=bool(row["attributed"]),
        sent_how=row["sent_how"] or "",
    )


def submission_from_values(
    new_id: int, values: dict[str, Any], source: Source, sent_how: SentHow
) -> Submission:
    """What ``submission_from_row`` reads back (without answers) of a row just made from
    ``submission_values`` and a source recorded with it."""
    row = values | {
        "id": new_id,
        "message_id": source.message_id,
        "location": source.location,
        "sender": source.sender,
        "filename": source.filename,
        "sent_how": sent_how,
    }
    return submission_from_row(row, with_answers=False)


def decision_from_row(row: Any) -> Decision:
    return Decision(
        kind=row["kind"],
        unit=row["unit"],
        period=row["period"],
        submission=row["submission"],
        reason=row["reason"],
        by=row["decided_by"],
        at=datetime.fromisoformat(row["decided_at"]),
        id=row["id"],
    )


def issue_from_dict(d: dict[str, Any]) -> Issue:
    """An issue as stored (``Issue.to_dict``) back into an Issue, to render it again in
    another language. A code since retired from the catalog cannot be rendered: None."""
    where = Location(**{k: d[k] for k in _LOCATION_FIELDS if k in d})
    return Issue(d["code"], where, stored_params(d.get("params") or {}))


def renderable(d: dict[str, Any]) -> bool:
    return d.get("code") in catalog()
