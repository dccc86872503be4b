"""The statuses as the report shows them. Every other word of the report is in the
message catalog (``toolkit/data/messages/report.yaml``)."""

from __future__ import annotations

from toolkit.messages import Lang
from toolkit.report.status import DONE, IN_PROGRESS, LOST, NO_REPORT, NOT_DONE, NOT_STARTED

_STATUS_EN = {
    DONE: "done",
    IN_PROGRESS: "in progress",
    NOT_DONE: "not done",
    NOT_STARTED: "not started",
    LOST: "no longer relevant",
    NO_REPORT: "no report",
}


def status_label(status: str | None, lang: Lang) -> str:
    """A status as the reader sees it; an unknown status is shown as it was typed."""
    status = status or NO_REPORT
    return _STATUS_EN.get(status, status) if lang == "en" else status
