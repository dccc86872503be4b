"""What checking one returned file gives: its identity, its answers (every value with
its cell, for provenance), every issue found, and the verdict."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, NamedTuple

from toolkit.issues import Issue, has_errors
from toolkit.jsonio import dumps

Verdict = Literal["accepted", "accepted_with_warnings", "rejected", "quarantined"]
# What a person reads for each verdict; a view may say one of them its own way.
VERDICT_LABELS: dict[str, dict[str, str]] = {
    "uk": {"accepted": "прийнято", "accepted_with_warnings": "прийнято із зауваженнями",
           "rejected": "відхилено", "quarantined": "у карантині"},
    "en": {"accepted": "accepted", "accepted_with_warnings": "accepted with warnings",
           "rejected": "rejected", "quarantined": "quarantined"},
}


class Value(NamedTuple):
    """One answer: the value after normalisation, the text as typed, and its cell.
    (A named tuple: a form has hundreds of them, and they cross process boundaries.)"""

    value: Any
    cell: str
    raw: Any = None


@dataclass
class AnswerRow:
    measure_id: str
    row: int  # 1-based sheet row
    values: dict[str, Value] = field(default_factory=dict)

    def get(self, key: str) -> Any:
        v = self.values.get(key)
        return None if v is None else v.value


@dataclass
class Answers:
    sheet: str = ""
    header: dict[str, Value] = field(default_factory=dict)
    rows: list[AnswerRow] = field(default_factory=list)

    def by_measure(self) -> dict[str, AnswerRow]:
        return {r.measure_id: r for r in self.rows}

    def to_json(self) -> dict[str, Any]:
        """Plain data for the ledger: values that JSON can hold, each as [value, cell]."""
        return {
            "sheet": self.sheet,
            "header": _plain(self.header),
            "rows": [
                {"measure_id": r.measure_id, "row": r.row, "values": _plain(r.values)}
                for r in self.rows
            ],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Answers:
        return cls(
            sheet=d.get("sheet", ""),
            header={k: _stored(v) for k, v in d.get("header", {}).items()},
            rows=[
                AnswerRow(
                    r["measure_id"],
                    r["row"],
                    {k: _stored(v) for k, v in r["values"].items()},
                )
                for r in d.get("rows", [])
            ],
        )


def _plain(values: dict[str, Value]) -> dict[str, list[Any]]:
    """Each value with its cell, as [value, cell]; dates as ISO text."""
    return {k: [v.isoformat() if isinstance(v, date) else v, cell]
            for k, (v, cell, _) in values.items()}


def _stored(item: Any) -> Value:
    """[value, cell] — or {"value": …, "cell": …}, as ledgers kept it before."""
    if isinstance(item, list):
        return Value(item[0], item[1])
    return Value(item["value"], item["cell"])


@dataclass
class Identity:
    """The identity as read from the file (after cross-checking its copies)."""

    form_id: str = ""
    plan_id: str = ""
    plan_fp: str = ""
    unit: str = ""
    period: str = ""
    form: str = ""
    version: str = ""
    checksum: str = ""
    measure_ids: tuple[str, ...] = ()


@dataclass
class Validation:
    file: str
    sha256: str
    size: int
    fmt: str = ""
    identity: Identity | None = None
    answers: Answers | None = None
    issues: list[Issue] = field(default_factory=list)
    application: str = ""
    quarantined: bool = False  # the file itself is unusable or unsafe: kept aside, unread
    _answers_text: str | None = field(default=None, repr=False)

    def answers_json(self) -> str | None:
        """The answers as the ledger stores them (JSON text), made once."""
        if self._answers_text is None and self.answers is not None:
            self._answers_text = dumps(self.answers.to_json())
        return self._answers_text

    def detach_answers(self) -> Validation:
        """Answers kept only as JSON text: what a worker sends back to the parent, which
        stores them and needs no objects (thousands of values are slow to unpickle)."""
        self.answers_json()
        if self.answers is not None:
            self.answers = Answers(sheet=self.answers.sheet)  # a stand-in, for the verdict
        return self

    @property
    def verdict(self) -> Verdict:
        if self.quarantined:
            return "quarantined"
        if self.answers is None or has_errors(self.issues):
            return "rejected"
        if any(i.severity == "warning" for i in self.issues):
            return "accepted_with_warnings"
        return "accepted"

    @property
    def accepted(self) -> bool:
        return self.verdict in ("accepted", "accepted_with_warnings")
