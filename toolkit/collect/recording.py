"""The end of a collect run's pipeline: entries, in input order, written to the ledger in
batches (one transaction each), each giving the file's outcome for the run's report.

Before a batch names any original, the archive pack holding it is made durable
(``Archive.flush``): the ledger never points at bytes that could still be lost."""

from __future__ import annotations

from datetime import datetime

from toolkit.collect.archive import Archive
from toolkit.collect.checking import Entry, Findings
from toolkit.collect.outcome import FileOutcome
from toolkit.issues import Issue, Location, issue
from toolkit.ledger.rows import issue_from_dict, renderable
from toolkit.ledger.store import Ledger, Recorded

# Entries written in one transaction: one wait for the disk per batch, not per file, and
# short enough that the workers, with their tasks sent ahead, are not kept waiting long.
BATCH = 100


class Recorder:
    """Writes entries to the ledger and keeps each file's outcome."""

    def __init__(self, ledger: Ledger, archive: Archive, findings: Findings, run_id: int) -> None:
        self.ledger, self.archive, self.findings, self.run_id = ledger, archive, findings, run_id
        self.outcomes: list[FileOutcome] = []
        self.touched: set[tuple[str, str]] = set()  # (unit, period) with a new submission

    def record(self, entries: list[Entry]) -> None:
        """Record ``entries`` (in input order), ``BATCH`` to a transaction."""
        if not entries:
            return
        self.archive.flush()  # every original safely on disk before the ledger names it
        for start in range(0, len(entries), BATCH):
            with self.ledger.batch():
                outcomes = [self._record(e) for e in entries[start : start + BATCH]]
            for outcome, attributed in outcomes:
                self.outcomes.append(outcome)
                if outcome.status == "new" and attributed:
                    self.touched.add((outcome.unit, outcome.period))

    def _record(self, e: Entry) -> tuple[FileOutcome, bool]:
        """The file's outcome, and whether its submission belongs to a unit and period."""
        v = self.findings.checks.get(e.sha256)
        if v is not None:  # checked in this run (this copy or an earlier one)
            archive = self.findings.archived.get(e.sha256, "")
            rec = self.ledger.record(v, e.source, archive, run_id=self.run_id)
            quarantine = self.findings.quarantined.get(e.sha256, "")
            return _outcome(e, rec, v.fmt, archive, quarantine), rec.submission.attributed
        fmt = e.fmt or "unknown"
        sub = self.ledger.add_source(e.sha256, e.size, fmt, e.archive, e.source, self.run_id)
        if e.kind == "container" or sub is None:
            container = FileOutcome(
                order=e.order,
                name=e.name,
                source=e.source,
                sha256=e.sha256,
                size=e.size,
                fmt=e.fmt,
                status="container",
                archive=e.archive,
            )
            return container, False
        return _outcome(e, Recorded(sub, duplicate=True), e.fmt, e.archive, ""), sub.attributed


def _outcome(e: Entry, rec: Recorded, fmt: str, archive: str, quarantine: str) -> FileOutcome:
    sub = rec.submission
    return FileOutcome(
        order=e.order,
        name=e.name,
        source=e.source,
        sha256=e.sha256,
        size=e.size,
        fmt=fmt or e.fmt,
        status="duplicate" if rec.duplicate else "new",
        verdict=sub.verdict,
        unit=sub.unit,
        period=sub.period,
        form_id=sub.form_id,
        submission_id=sub.id,
        superseded_by=sub.superseded_by or (rec.newer.id if rec.newer else None),
        issues=[issue_from_dict(d) for d in sub.issues if renderable(d)],
        notes=_notes(e, rec),
        archive=archive,
        quarantine=quarantine,
    )


def _notes(e: Entry, rec: Recorded) -> list[Issue]:
    """What recording did with the file: received, a duplicate, replaced or outdated."""
    sub = rec.submission
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
        latest_at = _when(rec.newer.submitted_at)
        notes.append(issue("W_NOT_LATEST", where, latest=rec.newer.id, latest_at=latest_at))
    return notes


def _when(moment: datetime) -> str:
    return f"{moment:%d.%m.%Y %H:%M}"
