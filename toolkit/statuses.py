"""The vocabulary of execution statuses, shared by the forms, the validator, the ledger
history and the report (the form definition lists the same words as its choices). A
status is stored as its Ukrainian word; ``status_label`` says it in a reader's language."""

from __future__ import annotations

from toolkit.messages import Lang, t

DONE = "виконано"
IN_PROGRESS = "виконується"
NOT_DONE = "не виконано"
NOT_STARTED = "не розпочато"
LOST = "втратив актуальність"
NO_REPORT = "немає звіту"  # what the report concludes of a measure nobody reported on

REPORTED = (DONE, IN_PROGRESS, NOT_DONE, NOT_STARTED, LOST)
CLOSED = (DONE, LOST)  # nothing more is expected of a measure in either
KEYS = {
    DONE: "done",
    IN_PROGRESS: "in_progress",
    NOT_DONE: "not_done",
    NOT_STARTED: "not_started",
    LOST: "lost",
    NO_REPORT: "no_report",
}


def status_label(status: str | None, lang: Lang) -> str:
    """A status as the reader sees it; an unknown one as it was typed."""
    status = status or NO_REPORT
    return t(f"status.{KEYS[status]}", lang) if status in KEYS else status
