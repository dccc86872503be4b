"""What checking one returned file gives: its identity, its answers (every value with
its cell, for provenance), every issue found, and the verdict."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter
from typing import Any, Literal, NamedTuple

from toolkit.issues import Issue, has_errors
from toolkit.jsonio import dumps
from toolkit.messages import Lang, t

Verdict = Literal["accepted", "accepted_with_warnings", "rejected", "quarantined"]
VERDICTS: tuple[Verdict, ...] = ("accepted", "accepted_with_warnings", "rejected", "quarantined")


def verdict_label(verdict: str, lang: Lang) -> str:
    """What a person reads for a verdict (an unknown one as it is)."""
    return t(f"validate.verdict.{verdict}", lang) if verdict in VERDICTS else verdict


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


@dataclass(frozen=True)
class AnswerColumns:
    """A form's answers as read: a row of values per measure, each aligned with ``keys``.
    A check keeps them so — making a Value for each of a form's hundreds of cells costs
    more than the rest of reading them — and the ledger stores them so (compact JSON);
    rows of Values are made only when asked for."""

    keys: tuple[str, ...]
    letters: tuple[str, ...]  # the sheet column of each key
    measure_ids: tuple[str, ...]
    rows: tuple[int, ...]  # 1-based sheet row of each measure
    values: tuple[tuple[Any, ...], ...]  # normalised; a date as ISO text
    # (row, key) index → the value as typed, where normalising changed it; None when not
    # known (the ledger keeps no values as typed)
    raws: dict[tuple[int, int], Any] | None = field(default_factory=dict)

    def value(self, i: int, key: str) -> Value | None:
        if key not in self.keys:
            return None
        k = self.keys.index(key)
        v = self.values[i][k]
        return Value(v, f"{self.letters[k]}{self.rows[i]}", self._raw(i, k, v))

    def _raw(self, i: int, k: int, value: Any) -> Any:
        return None if self.raws is None else self.raws.get((i, k), value)

    def answer_rows(self) -> list[AnswerRow]:
        out, raw = [], self._raw
        columns = list(enumerate(zip(self.keys, self.letters, strict=True)))
        for i, (mid, row, line) in enumerate(
            zip(self.measure_ids, self.rows, self.values, strict=True)
        ):
            n = str(row)
            out.append(
                AnswerRow(
                    mid,
                    row,
                    {
                        key: Value(v, letter + n, raw(i, k, v))
                        for (k, (key, letter)), v in zip(columns, line, strict=True)
                    },
                )
            )
        return out


class Answers:
    """A form's answers: the header fields, and a row of Values per measure. Answers read
    column by column keep ``columns``, which is what they are (and what is stored): their
    rows are made from it when first asked for, to be read, not changed."""

    __slots__ = ("_rows", "columns", "header", "sheet")

    def __init__(
        self,
        sheet: str = "",
        header: dict[str, Value] | None = None,
        rows: list[AnswerRow] | None = None,
        columns: AnswerColumns | None = None,
    ) -> None:
        self.sheet = sheet
        self.header = header if header is not None else {}
        self.columns = columns
        self._rows = rows if rows is not None or columns is not None else []

    @property
    def rows(self) -> list[AnswerRow]:
        if self._rows is None:
            self._rows = self.columns.answer_rows() if self.columns is not None else []
        return self._rows

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Answers):
            return NotImplemented
        return (self.sheet, self.header, self.rows) == (other.sheet, other.header, other.rows)

    def __repr__(self) -> str:
        return f"Answers(sheet={self.sheet!r}, header={self.header!r}, rows={self.rows!r})"

    def by_measure(self) -> dict[str, AnswerRow]:
        return {r.measure_id: r for r in self.rows}

    def value_at(self, i: int, key: str) -> tuple[str, Value | None]:
        """The measure of the i-th row and its value of ``key``, without making every
        row's Values (see AnswerColumns)."""
        if self.columns is not None:
            return self.columns.measure_ids[i], self.columns.value(i, key)
        row = self.rows[i]
        return row.measure_id, row.values.get(key)

    def measure_ids(self) -> list[str]:
        c = self.columns
        return list(c.measure_ids) if c is not None else [r.measure_id for r in self.rows]

    def values_of(self, key: str) -> list[Any]:
        """Every row's value of ``key`` (None where it has none), in row order, without
        making every row's Values."""
        c = self.columns
        if c is None:
            return [r.get(key) for r in self.rows]
        if key not in c.keys:
            return [None] * len(c.values)
        return list(map(itemgetter(c.keys.index(key)), c.values))

    def to_json(self) -> dict[str, Any]:
        """Plain data for the ledger: values that JSON can hold; a header value with its
        cell as [value, cell]. Answers read column by column are kept so: the keys, their
        sheet columns, and [measure, row, [value, …]] for each measure."""
        c = self.columns
        if c is not None:
            return {
                "sheet": self.sheet,
                "header": _plain(self.header),
                "keys": c.keys,
                "letters": c.letters,
                "rows": [
                    (mid, row, line)
                    for mid, row, line in zip(c.measure_ids, c.rows, c.values, strict=True)
                ],
            }
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
        """Any form the ledger kept: columns, rows of [value, cell] pairs, or (oldest)
        rows of {"value", "cell"}."""
        sheet = d.get("sheet", "")
        header = {k: _stored(v) for k, v in d.get("header", {}).items()}
        if "keys" in d:
            rows = d.get("rows", [])
            return cls(
                sheet,
                header,
                columns=AnswerColumns(
                    tuple(d["keys"]),
                    tuple(d["letters"]),
                    tuple(r[0] for r in rows),
                    tuple(r[1] for r in rows),
                    tuple(tuple(r[2]) for r in rows),
                    raws=None,
                ),
            )
        return cls(
            sheet,
            header,
            [
                AnswerRow(
                    r["measure_id"], r["row"], {k: _stored(v) for k, v in r["values"].items()}
                )
                for r in d.get("rows", [])
            ],
        )


def _plain(values: dict[str, Value]) -> dict[str, list[Any]]:
    """Each value with its cell, as [value, cell]; dates as ISO text."""
    return {
        k: [v.isoformat() if isinstance(v, date) else v, cell] for k, (v, cell, _) in values.items()
    }


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
    saved_at: datetime | None = None  # when the workbook says it was last saved
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
