"""``zvit status`` and ``zvit history``: who was expected to report for a period, what the
rule (:mod:`toolkit.ledger.standing`) says of each, and whether on time; every submission
of one unit with the part it plays.

Expected: every unit with at least one measure to report on in the period (the same rule
as the forms). Completeness = units whose report counts / expected; timeliness = units
whose report counts and was sent by the due date / expected, as DHIS2 counts reporting
rates. The text a person reads is in :mod:`toolkit.ledger.status_text`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from toolkit.forms.make import due_date
from toolkit.ledger.counting import Counting
from toolkit.ledger.rows import iso
from toolkit.ledger.standing import Decision, Filed, Standing
from toolkit.ledger.store import Ledger
from toolkit.ledger.submissions import Submission
from toolkit.periods import Period
from toolkit.plan.model import DueDay
from toolkit.plan.query import assignments
from toolkit.workspace import Workspace

MISSING = "missing"


@dataclass(frozen=True)
class UnitStatus:
    unit: str
    name: str
    standing: Standing
    late: bool = False

    @property
    def state(self) -> str:
        """accepted | accepted_with_warnings | pinned | rejected | unusable | missing"""
        return self.standing.state

    @property
    def shown(self) -> Filed | None:
        """The submission the status speaks of: the one in force, else the one with
        errors, else the unusable one."""
        s = self.standing
        return s.in_force or s.attempt or s.unusable

    @property
    def latest(self) -> Submission | None:
        return None if self.shown is None else self.shown.sub

    @property
    def received(self) -> bool:
        return self.standing.received

    @property
    def accepted(self) -> bool:
        """The unit's report counts (accepted, or pinned by the coordinator)."""
        return self.standing.counted

    @property
    def on_time(self) -> bool:
        return self.accepted and not self.late


@dataclass
class PeriodStatus:
    period: Period
    due: date | None
    units: list[UnitStatus] = field(default_factory=list)
    unexpected: list[Submission] = field(default_factory=list)  # units with nothing due
    decisions: list[Decision] = field(default_factory=list)  # of the period, in order

    def count(self) -> dict[str, int]:
        u = self.units
        return {
            "expected": len(u),
            "received": sum(s.received for s in u),
            "accepted": sum(s.accepted for s in u),
            "pinned": sum(s.standing.pin is not None for s in u),
            "with_errors": sum(s.state == "rejected" for s in u),
            "unusable": sum(s.state == "unusable" for s in u),
            "late": sum(s.late for s in u),
            "on_time": sum(s.on_time for s in u),
            "missing": sum(not s.received for s in u),
        }

    def rates(self) -> dict[str, float | None]:
        c = self.count()
        if not c["expected"]:
            return {"completeness": None, "timeliness": None}
        return {
            "completeness": c["accepted"] / c["expected"],
            "timeliness": c["on_time"] / c["expected"],
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "period": str(self.period),
            "due": self.due.isoformat() if self.due else None,
            "counts": self.count(),
            "rates": self.rates(),
            "units": [_unit_json(s) for s in self.units],
            "unexpected": [{"unit": s.unit, "submission": s.id} for s in self.unexpected],
            "decisions": [decision_json(d) for d in self.decisions],
        }


def _unit_json(s: UnitStatus) -> dict[str, Any]:
    shown, st = s.shown, s.standing
    sub = shown.sub if shown else None
    newer = st.newer
    return {
        "unit": s.unit,
        "name": s.name,
        "state": s.state,
        "late": s.late,
        "submission": sub.id if sub else None,
        "submitted_at": iso(sub.submitted_at) if sub else None,
        "sent_how": (sub.sent_how or None) if sub else None,
        "errors": sub.errors if sub else None,
        "warnings": sub.warnings if sub else None,
        "file": sub.filename if sub else None,
        "sender": sub.sender if sub else None,
        "why_not": _block_json(shown) if s.state == "unusable" and shown else None,
        "pinned": decision_json(st.pin) if st.pin else None,
        "newer": {"submission": newer.sub.id, "submitted_at": iso(newer.sub.submitted_at)}
        if newer
        else None,
    }


def _block_json(f: Filed) -> dict[str, Any] | None:
    b = f.block
    return None if b is None else {"kind": b.kind, "code": b.code or None, "found": b.found}


def decision_json(d: Decision) -> dict[str, Any]:
    return {
        "id": d.id,
        "kind": d.kind,
        "unit": d.unit,
        "period": d.period,
        "submission": d.submission,
        "reason": d.reason,
        "by": d.by,
        "at": iso(d.at),
    }


def fallback_due(ws: Workspace) -> DueDay | None:
    return ws.executors_due()


def period_status(ws: Workspace, period: Period, ledger: Ledger | None = None) -> PeriodStatus:
    plan, registry = ws.plan(), ws.registry()
    expected = assignments(plan, registry, period)
    report = PeriodStatus(period, due_date(plan, period, fallback_due(ws)))
    own = ledger is None
    ledger = ledger or Ledger.open(ws)
    try:
        counting = Counting.of(ws, ledger)
        standings = counting.standings(str(period))
        report.decisions = [d for d in counting.decisions if d.period == str(period)]
    finally:
        if own:
            ledger.close()
    for unit_id in expected:
        st = standings.get(unit_id) or Standing(unit_id, str(period))
        unit = registry.units[unit_id]
        report.units.append(
            UnitStatus(unit_id, unit.short or unit.name, st, is_late(st, report.due))
        )
    report.unexpected = [
        st.in_force.sub for u, st in standings.items() if u not in expected and st.in_force
    ]
    return report


def is_late(st: Standing, due: date | None) -> bool:
    """The report that counts (or, with none, the one with errors) was sent after the
    due date, by the calendar of the coordinator's computer."""
    shown = st.in_force or st.attempt
    return (
        shown is not None and due is not None and shown.sub.submitted_at.astimezone().date() > due
    )


def submission_json(s: Submission) -> dict[str, Any]:
    return {
        "id": s.id,
        "unit": s.unit,
        "period": s.period,
        "form_id": s.form_id,
        "sha256": s.sha256,
        "verdict": s.verdict,
        "errors": s.errors,
        "warnings": s.warnings,
        "received_at": s.received_at.isoformat(),
        "submitted_at": s.submitted_at.isoformat(),
        "sent_how": s.sent_how or None,
        "source": s.source,
        "sender": s.sender or None,
        "filename": s.filename,
        "attributed": s.attributed,
        "application": s.application or None,
    }


def filed_json(st: Standing, f: Filed) -> dict[str, Any]:
    """One submission of a unit's history with the part the rule gives it."""
    return submission_json(f.sub) | {
        "part": st.part(f.sub.id),
        "block": _block_json(f),
        "own_period": f.own_period,
    }
