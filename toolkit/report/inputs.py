"""Screening the submissions handed to ``merge`` and indexing what it needs from them.

The ledger should only ever hand over the submissions in force (accepted, or pinned by the
coordinator despite errors) of the right period from known units; a submission that is
not so is left out with a coded issue rather than trusted, so one stray record cannot put
a rejected file's numbers into a signed report."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from toolkit.errors import UsageError
from toolkit.issues import Issue, Location, issue
from toolkit.ledger.standing import Decision
from toolkit.ledger.submissions import Submission
from toolkit.periods import Period
from toolkit.plan.registry import Registry
from toolkit.report.status import CLOSED, REPORTED
from toolkit.validate.result import AnswerRow

STATUS = "status"
VALUE = "value"

Rows = dict[str, dict[str, AnswerRow]]  # unit → measure id → its row


@dataclass
class Screened:
    current: dict[str, Submission]  # usable submissions of the period, registry order
    rows: Rows
    earlier: list[tuple[str, dict[str, Submission]]]  # counted earlier periods, oldest first
    issues: list[Issue] = field(default_factory=list)
    pins: Mapping[int, Decision] = field(default_factory=dict)  # submission → its pin


def screen(
    registry: Registry,
    period: Period,
    accepted: Mapping[str, Submission],
    earlier: Mapping[str, Mapping[str, Submission]],
    first_year: int,
    pins: Mapping[int, Decision] | None = None,
) -> Screened:
    """``pins``: submission → the coordinator's pin that put it in force (it counts
    whatever its verdict)."""
    issues: list[Issue] = []
    pinned = pins or {}
    current = _usable(registry, str(period), accepted, issues, pinned)
    rows = {u: s.answers.by_measure() for u, s in current.items() if s.answers is not None}
    counted = []
    for label in counted_periods(earlier, period, first_year):
        counted.append((label, _usable(registry, label, earlier[label], issues, pinned)))
    return Screened(current, rows, counted, issues, pinned)


def _usable(
    registry: Registry,
    period: str,
    subs: Mapping[str, Submission],
    issues: list[Issue],
    pins: Mapping[int, Decision],
) -> dict[str, Submission]:
    out: dict[str, Submission] = {}
    for unit in sorted(subs, key=lambda u: (u not in registry.units, u)):
        sub = subs[unit]
        found = _problem(registry, period, unit, sub, sub.id in pins)
        if found is None:
            out[unit] = sub
        else:
            issues.append(found)
    return {u: out[u] for u in registry.units if u in out}


def _problem(
    registry: Registry, period: str, unit: str, sub: Submission, pinned: bool
) -> Issue | None:
    where = Location(file=sub.filename or None, unit=unit)
    if unit not in registry.units or sub.unit != unit:
        return issue("W_REPORT_UNKNOWN_UNIT", where, submission=sub.id)
    if not sub.accepted and not pinned:
        return issue("W_REPORT_NOT_ACCEPTED", where, submission=sub.id, verdict=sub.verdict)
    if sub.period != period:
        return issue(
            "W_REPORT_WRONG_PERIOD", where, submission=sub.id, found=sub.period, expected=period
        )
    if sub.answers is None:
        return issue("W_REPORT_NO_ANSWERS", where, submission=sub.id)
    return None


def counted_periods(earlier: Iterable[str], period: Period, first_year: int) -> list[str]:
    """The earlier periods whose values add up to the cumulative figures: those that end
    before ``period`` starts, within the plan. When a year was reported both as a whole
    and by quarters, the annual report stands for the year (counting both would count
    every value twice)."""
    parsed: dict[str, Period] = {}
    for label in earlier:
        try:
            parsed[label] = Period.parse(label)
        except UsageError:
            continue
    years = {p.year for p in parsed.values() if p.is_annual and p.end < period.start}
    keep = [
        (p, label)
        for label, p in parsed.items()
        if p.end < period.start and p.year >= first_year and (p.is_annual or p.year not in years)
    ]
    return [label for _, label in sorted(keep)]


def last_open(
    earlier: list[tuple[str, dict[str, Submission]]],
) -> dict[str, set[str]]:
    """Measure id → units whose latest earlier status on it was not closed: the forms of
    the period carried those rows over as overdue (toolkit.forms.spec)."""
    last: dict[tuple[str, str], Any] = {}
    for _, subs in earlier:  # oldest first: later periods overwrite
        for unit, sub in subs.items():
            mine: dict[str, Any] = {}
            for row in sub.answers.rows if sub.answers else ():
                status = row.get(STATUS)
                # measures merged by an amendment share a row: one still open keeps it open
                if status in REPORTED and (row.measure_id not in mine or status not in CLOSED):
                    mine[row.measure_id] = status
            for mid, status in mine.items():
                last[(unit, mid)] = status
    out: dict[str, set[str]] = {}
    for (unit, mid), status in last.items():
        if status not in CLOSED:
            out.setdefault(mid, set()).add(unit)
    return out


def number(value: Any) -> float | None:
    """A value that may be added up, or None. bool is an int in Python: not a number here."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def text(value: Any) -> str:
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else str(value)
