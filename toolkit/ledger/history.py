"""The ledger seen as ``toolkit.forms.spec.History``: what a unit's earlier accepted
reports said, so that new forms carry answers over and keep overdue measures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from toolkit.errors import ZvitError
from toolkit.ledger.counting import Counting, Known
from toolkit.ledger.store import Ledger
from toolkit.ledger.submissions import Submission
from toolkit.periods import Period
from toolkit.workspace import Workspace

STATUS_KEY = "status"


class LedgerHistory:
    """Implements ``History`` over a ledger: of each period, the submission in force by the
    rule of ``toolkit.ledger.standing`` (the ledger is read once, when first asked)."""

    def __init__(self, ledger: Ledger, known: Known | None = None) -> None:
        self.ledger = ledger
        self.known = known
        self._counting: Counting | None = None
        self._seen: dict[tuple[str, Period], list[tuple[Period, Submission]]] = {}

    @classmethod
    def open(cls, ws: Workspace) -> LedgerHistory:
        """For ``zvit templates``: the workspace's history (the connection closes with the
        object, or with ``close``)."""
        return cls(Ledger.open(ws), Known.of(ws))

    def close(self) -> None:
        self.ledger.close()

    def previous_answers(
        self, unit_id: str, period: Period
    ) -> tuple[str, Mapping[str, Mapping[str, Any]]] | None:
        earlier = self._before(unit_id, period)
        if not earlier:
            return None
        last_period, last = earlier[-1]
        return str(last_period), plain_answers(last)

    def last_status(self, unit_id: str, period: Period) -> Mapping[str, str]:
        status: dict[str, str] = {}
        for _, sub in self._before(unit_id, period):
            for measure, values in plain_answers(sub).items():
                value = values.get(STATUS_KEY)
                if isinstance(value, str) and value:
                    status[measure] = value
        return status

    def previous_by_text(
        self, unit_id: str, period_text: str
    ) -> tuple[str, Mapping[str, Mapping[str, Any]]] | None:
        """``Context.previous``: the same lookup with the period as text."""
        try:
            period = Period.parse(period_text)
        except ZvitError:
            return None
        return self.previous_answers(unit_id, period)

    def _before(self, unit_id: str, period: Period) -> list[tuple[Period, Submission]]:
        """Accepted reports of periods that ended before ``period`` began, oldest first
        (asked several times per form: read once)."""
        key = (unit_id, period)
        if key not in self._seen:
            self._seen[key] = self._read_before(unit_id, period)
        return self._seen[key]

    def _read_before(self, unit_id: str, period: Period) -> list[tuple[Period, Submission]]:
        if self._counting is None:
            self._counting = Counting(self.ledger, self.known)
        counting = self._counting
        in_force = {}
        for text in counting.periods_of(unit_id):
            st = counting.standing(unit_id, text)
            if st.in_force is not None:
                in_force[text] = st.in_force.sub
        found = []
        for text, sub in counting.with_answers(in_force).items():
            try:
                earlier = Period.parse(text)
            except ZvitError:
                continue
            if earlier.end < period.start and sub.answers is not None:
                found.append((earlier, sub))
        found.sort(key=lambda pair: (pair[0].end, pair[0].start, pair[1].submitted_at))
        return found


def plain_answers(sub: Submission) -> dict[str, dict[str, Any]]:
    """Measure id → column key → value, without the cells."""
    if sub.answers is None:
        return {}
    return {
        row.measure_id: {key: v.value for key, v in row.values.items()} for row in sub.answers.rows
    }
