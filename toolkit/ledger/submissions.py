"""A submission: one returned file as the ledger remembers it. Shared by collect, status,
history, mail reminders and the consolidated report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from toolkit.validate.result import Answers, Verdict


@dataclass(frozen=True)
class Submission:
    id: int
    unit: str
    period: str
    form_id: str
    sha256: str
    received_at: datetime  # when zvit took the file in
    # when the unit sent it: the latest sending of these bytes (see ledger.rows.sent_of)
    submitted_at: datetime
    verdict: Verdict
    errors: int
    warnings: int
    answers: Answers | None
    issues: tuple[dict[str, Any], ...]  # Issue.to_dict() of every issue found
    source: str  # a path, or "Message-ID <…>"
    sender: str = ""
    filename: str = ""
    application: str = ""  # the program that saved the file (docProps/app.xml)
    attributed: bool = True  # the identity is trusted: it counts for its unit and period
    sent_how: str = ""  # how submitted_at is known (ledger.rows.SENT_HOW); "" before v3

    @property
    def accepted(self) -> bool:
        return self.verdict in ("accepted", "accepted_with_warnings")
