"""Carry-over from a single returned workbook (``--prefill-from``), for when there is no
ledger yet: its answers seed the next forms of the same unit."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.errors import InvalidFileError
from toolkit.periods import Period
from toolkit.validate.check import validate_bytes
from toolkit.validate.context import Context


@dataclass(frozen=True)
class WorkbookHistory:
    """A History (see toolkit.forms.spec) holding one earlier report of one unit."""

    unit: str
    period: Period
    answers: Mapping[str, Mapping[str, Any]]

    def previous_answers(
        self, unit_id: str, period: Period
    ) -> tuple[str, Mapping[str, Mapping[str, Any]]] | None:
        if unit_id == self.unit and self.period.end < period.start:
            return str(self.period), self.answers
        return None

    def last_status(self, unit_id: str, period: Period) -> Mapping[str, str]:
        previous = self.previous_answers(unit_id, period)
        if previous is None:
            return {}
        return {mid: str(v["status"]) for mid, v in previous[1].items() if v.get("status")}


def history_from_workbook(path: Path, ctx: Context) -> WorkbookHistory:
    """Read a returned form; it must be a readable zvit form of this plan."""
    result = validate_bytes(path.read_bytes(), path.name, ctx)
    if result.identity is None or result.answers is None:
        raise InvalidFileError(result.issues, "validate.not_a_form", file=path.name)
    answers = {
        row.measure_id: {k: v.value for k, v in row.values.items() if v.value is not None}
        for row in result.answers.rows
    }
    return WorkbookHistory(result.identity.unit, Period.parse(result.identity.period), answers)
