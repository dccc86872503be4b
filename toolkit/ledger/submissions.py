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
    submitted_at: datetime  # when the unit sent it (the message's Date), else received_at
    verdict: Verdict
    errors: int
    warnings: int
    answers: Answers | None
    issues: tuple[dict[str, Any], ...]  # Issue.to_dict() of every issue found
    source: str  # a path, or "Message-ID <…>"
    sender: str = ""
    filename: str = ""
    superseded_by: int | None = None
    application: str = ""  # the program that saved the file (docProps/app.xml)
    attributed: bool = True  # the identity is trusted: it counts for its unit and period

    @property
    def accepted(self) -> bool:
        return self.verdict in ("accepted", "accepted_with_warnings")
