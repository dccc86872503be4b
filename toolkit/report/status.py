"""The combined status of a measure across its co-executors.

A measure usually has several executors (a department, every district administration,
"органи місцевого самоврядування (за згодою)"), and each returns its own status. The
report states one status per measure, by this rule (the notes sheet of the report says
the same in words):

1. Only executors that reported a status on the measure count. Nobody reported →
   «немає звіту».
2. «втратив актуальність» is counted apart: it neither helps nor hurts. If every reporting
   executor says so, the measure is «втратив актуальність».
3. Of the remaining statuses: all «виконано» → «виконано»; all «не виконано» or
   «не розпочато» → «не виконано»; anything else (any «виконується», or «виконано» mixed
   with «не виконано»/«не розпочато») → «виконується», because the work is done in part.
4. Separately, when some expected executor did not report on the measure, the row carries
   the flag «звітували не всі виконавці»: the combined status speaks only for those who did.

A measure is **overdue** when its deadline has fully passed by the end of the period
(``Deadline.overdue_after``) and the combined status is neither «виконано» nor
«втратив актуальність» (a measure nobody reported on counts as not done)."""

from __future__ import annotations

from collections.abc import Iterable

from toolkit.statuses import (
    CLOSED,
    DONE,
    IN_PROGRESS,
    LOST,
    NO_REPORT,
    NOT_DONE,
    NOT_STARTED,
    REPORTED,
)

__all__ = [
    "CLOSED",
    "COMBINED",
    "DONE",
    "IN_PROGRESS",
    "LOST",
    "NOT_DONE",
    "NOT_STARTED",
    "NO_REPORT",
    "REPORTED",
    "combine",
    "is_overdue",
]

# What the report may conclude.
COMBINED = (DONE, IN_PROGRESS, NOT_DONE, LOST, NO_REPORT)
_STALLED = (NOT_DONE, NOT_STARTED)


def combine(statuses: Iterable[str | None]) -> str:
    """The combined status of the statuses the executors reported (None = no status)."""
    known = [s for s in statuses if s in REPORTED]
    if not known:
        return NO_REPORT
    live = [s for s in known if s != LOST]
    if not live:
        return LOST
    if all(s == DONE for s in live):
        return DONE
    if all(s in _STALLED for s in live):
        return NOT_DONE
    return IN_PROGRESS


def is_overdue(deadline_passed: bool, combined: str) -> bool:
    return deadline_passed and combined not in CLOSED
