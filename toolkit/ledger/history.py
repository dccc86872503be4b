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
from toolkit.plan.revisions import Revisions, combined, rekey
from toolkit.statuses import CLOSED
from toolkit.workspace import Workspace

STATUS_KEY = "status"


class LedgerHistory:
    """Implements ``History`` over a ledger: of each period, the submission in force by the
    rule of ``toolkit.ledger.standing`` (the ledger is read once, when first asked). With
    the revisions of an amended plan, earlier answers are given on the measures of the
    revision in force for the period asked about (``toolkit.plan.revisions``: a
    renumbered measure keeps its history)."""

    def __init__(
        self, ledger: Ledger, revisions: Revisions | None = None, known: Known | None = None
    ) -> None:
        self.ledger = ledger
        self.revisions = revisions if revisions is not None and revisions.amended else None
        self.known = known
        self._counting: Counting | None = None
        self._seen: dict[tuple[str, Period], list[tuple[Period, Submission]]] = {}
        self._fps: dict[str, str] | None = None

    @classmethod
    def open(cls, ws: Workspace) -> LedgerHistory:
        """For ``zvit templates``: the workspace's history (the connection closes with the
        object, or with ``close``)."""
        return cls(Ledger.open(ws), ws.revisions(), Known.of(ws))

    def close(self) -> None:
        self.ledger.close()

    def previous_answers(
        self, unit_id: str, period: Period
    ) -> tuple[str, Mapping[str, Mapping[str, Any]]] | None:
        earlier = self._before(unit_id, period)
        if not earlier:
            return None
        last_period, last = earlier[-1]
        moved = self._moved(last_period, last, period)
        return str(last_period), {mid: combined(parts) for mid, parts in moved.items()}

    def last_status(self, unit_id: str, period: Period) -> Mapping[str, str]:
        status: dict[str, str] = {}
        for earlier, sub in self._before(unit_id, period):
            for measure, parts in self._moved(earlier, sub, period).items():
                given = [v for _, values in parts if isinstance(v := values.get(STATUS_KEY), str)]
                given = [v for v in given if v]
                if given:  # of merged measures, one still open keeps the whole open
                    status[measure] = next((v for v in given if v not in CLOSED), given[0])
        return status

    def _moved(
        self, earlier: Period, sub: Submission, period: Period
    ) -> dict[str, list[tuple[str, Mapping[str, Any]]]]:
        """The submission's answers on the measures of the revision in force for
        ``period``, each with the ids it was given for."""
        answers = plain_answers(sub)
        if self.revisions is None:
            return {mid: [(mid, values)] for mid, values in answers.items()}
        if self._fps is None:
            self._fps = self.ledger.issued_fingerprints()
        source = self.revisions.by_fingerprint(self._fps.get(sub.form_id, ""))
        source = source or self.revisions.in_force(earlier)
        target = self.revisions.in_force(period)
        return rekey(answers, self.revisions.id_map(source, target, lineage=True))

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
        """The reports in force for periods that ended before ``period`` began, oldest first
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
