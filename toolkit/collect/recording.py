"""The end of a collect run's pipeline: entries, in input order, written to the ledger in
batches (one transaction each), each giving the file's outcome for the run's report;
then what the rule (``toolkit.ledger.standing``) makes of every new file, as notes
(replaced, older, a correction with errors, pinned, zvit's own message, last year's form).

Before a batch names any original, the archive pack holding it is made durable
(``Archive.flush``): the ledger never points at bytes that could still be lost."""

from __future__ import annotations

from toolkit.collect.archive import Archive
from toolkit.collect.checking import Entry, Findings
from toolkit.collect.outcome import FileOutcome
from toolkit.issues import Issue, Location, issue
from toolkit.ledger.counting import Counting
from toolkit.ledger.rows import Given, issue_from_dict, renderable
from toolkit.ledger.standing import Standing, standing
from toolkit.ledger.status_text import NO_REASON, when
from toolkit.ledger.store import Ledger, Recorded
from toolkit.messages import Message

# Entries written in one transaction: one wait for the disk per batch, not per file, and
# short enough that the workers, with their tasks sent ahead, are not kept waiting long.
BATCH = 100


class Recorder:
    """Writes entries to the ledger and keeps each file's outcome."""

    def __init__(
        self,
        ledger: Ledger,
        archive: Archive,
        findings: Findings,
        run_id: int,
        given: Given | None = None,
    ) -> None:
        self.ledger, self.archive, self.findings, self.run_id = ledger, archive, findings, run_id
        self.given = given  # when the files were sent, as the coordinator says (--received)
        self.outcomes: list[FileOutcome] = []

    def record(self, entries: list[Entry]) -> None:
        """Record ``entries`` (in input order), ``BATCH`` to a transaction."""
        if not entries:
            return
        self.archive.flush()  # every original safely on disk before the ledger names it
        for start in range(0, len(entries), BATCH):
            with self.ledger.batch():
                outcomes = [self._record(e) for e in entries[start : start + BATCH]]
            for outcome, _ in outcomes:
                self.outcomes.append(outcome)

    def _record(self, e: Entry) -> tuple[FileOutcome, bool]:
        """The file's outcome, and whether its submission belongs to a unit and period."""
        v = self.findings.checks.get(e.sha256)
        if v is not None:  # checked in this run (this copy or an earlier one)
            archive = self.findings.archived.get(e.sha256, "")
            rec = self.ledger.record(v, e.source, archive, run_id=self.run_id, given=self.given)
            quarantine = self.findings.quarantined.get(e.sha256, "")
            return _outcome(e, rec, v.fmt, archive, quarantine), rec.submission.attributed
        fmt = e.fmt or "unknown"
        sub = self.ledger.add_source(
            e.sha256, e.size, fmt, e.archive, e.source, self.run_id, self.given
        )
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
        issues=[issue_from_dict(d) for d in sub.issues if renderable(d)],
        notes=_notes(e, rec),
        archive=archive,
        quarantine=quarantine,
    )


def _notes(e: Entry, rec: Recorded) -> list[Issue]:
    """What recording did with the file: received, or a duplicate."""
    sub = rec.submission
    where = Location(file=e.name, unit=sub.unit or None)
    if rec.duplicate:
        return [issue("W_DUPLICATE", where, submission=sub.id, first_seen=when(sub.received_at))]
    if sub.attributed:
        return [issue("I_RECEIVED", where, unit=sub.unit, period=sub.period, submission=sub.id)]
    return []


def judge(outcomes: list[FileOutcome], counting: Counting) -> set[tuple[str, str]]:
    """What the rule makes of each new file, as notes on its outcome, comparing its unit
    and period with how they stood just before it was recorded; returns every (unit,
    period) a new file was filed under."""
    new = {f.submission_id for f in outcomes if f.status == "new" and f.submission_id}
    places: dict[int, list[tuple[str, str]]] = {}
    for key, filed in counting.filed.items():
        for f in filed:
            if f.sub.id in new:
                places.setdefault(f.sub.id, []).append(key)
    touched = {key for keys in places.values() for key in keys}
    after = {key: counting.standing(*key) for key in touched}
    for outcome in outcomes:
        mine = outcome.submission_id or 0
        for key in places.get(mine, ()):
            # how the unit stood just before this file was recorded (ids: recording order)
            earlier = [f for f in after[key].filed if f.sub.id < mine]
            _judged(outcome, standing(*key, earlier, counting.decisions), after[key])
    return touched


def _judged(outcome: FileOutcome, before: Standing, after: Standing) -> None:
    f = next(x for x in after.filed if x.sub.id == outcome.submission_id)
    where = Location(file=outcome.name, unit=after.unit or None)
    notes = outcome.notes
    part = after.part(f.sub.id)
    held = after.in_force.sub if after.in_force is not None else None
    if held is not None and held.id != f.sub.id:
        outcome.superseded_by = held.id
    if f.block is not None and f.block.kind == "own":
        notes.append(issue("I_OWN_MESSAGE", where, sender=f.sub.sender or "—"))
    elif f.block is not None and f.block.kind == "stale" and f.own_period:
        notes.append(issue("W_STALE_FORM", where, found=f.sub.period, expected=f.block.found))
    previous = before.in_force or before.attempt
    if part == "in_force" and previous is not None:
        old = previous.sub
        if old.id != f.sub.id:
            notes.append(
                issue("W_SUPERSEDED", where, previous=old.id, previous_at=when(old.submitted_at))
            )
    elif held is not None and part == "older":
        notes.append(
            issue("W_NOT_LATEST", where, latest=held.id, latest_at=when(held.submitted_at))
        )
    elif held is not None and part == "correction":
        at = when(held.submitted_at)
        notes.append(issue("W_CORRECTION_HAS_ERRORS", where, in_force=held.id, in_force_at=at))
    elif held is not None and part == "after_pin":
        why = (after.pin.reason if after.pin is not None else "") or Message(NO_REASON)
        notes.append(issue("W_PIN_HOLDS", where, pinned=held.id, reason=why))
