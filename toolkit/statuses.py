"""The vocabulary of execution statuses, shared by the forms, the validator, the ledger
history and the report (the form definition lists the same words as its choices)."""

from __future__ import annotations

DONE = "виконано"
IN_PROGRESS = "виконується"
NOT_DONE = "не виконано"
NOT_STARTED = "не розпочато"
LOST = "втратив актуальність"

REPORTED = (DONE, IN_PROGRESS, NOT_DONE, NOT_STARTED, LOST)
CLOSED = (DONE, LOST)  # nothing more is expected of a measure in either
