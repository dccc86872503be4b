"""Rows that close a plan table but are not part of the plan: the signature (as the
table's last row in Word, or typed under the table in Excel), notes ("Примітка: …",
"* …", the list of abbreviations) and approval marks. Read as measures they would end up
in the last measure's deadline or text; they are dropped, each with a notice.

A row is only a trailer when no measure follows it in the same table: a measure whose
executors happen to start with "Заступник" is never cut."""

from __future__ import annotations

import re

from toolkit.issues import Issue, Location, issue
from toolkit.plan.importers.rows import MEASURE_NO, Row
from toolkit.text import clean

_POSITION = re.compile(
    r"^(?:в\.\s*о\.\s*|т\.\s*в\.\s*о\.\s*|тимчасово\s+виконуюч\w*\s+обов\S*\s+|"
    r"викону\w+\s+обов\S*\s+|перш\w*\s+)?"
    r"(?:начальник|заступник|секретар|міськ\w*\s+голов|сільськ\w*\s+голов|селищн\w*\s+голов|"
    r"голов[аи]\b|директор|керуюч\w*\s+справами|керівник|в\.\s*о\.)",
    re.I,
)
_NOTE = re.compile(
    r"^(?:примітк\w*|\*|список\s+скорочень|перелік\s+скорочень|використані\s+скорочення|"
    r"скорочення\s*:|погоджено\b|затверджено\b)",
    re.I,
)
# "Юрій БУРЛАКА", "Р. РОДІНА", "Р.В. Родіна", "БУРЛАКА Ю.І."
_NAME = re.compile(
    r"(?:^|\s)(?:[А-ЯҐЄІЇ][а-яґєії'’]+\s+[А-ЯҐЄІЇ'’]{3,}|[А-ЯҐЄІЇ]\.\s*(?:[А-ЯҐЄІЇ]\.\s*)?"
    r"[А-ЯҐЄІЇ][а-яґєії'’А-ЯҐЄІЇ]+|[А-ЯҐЄІЇ'’]{3,}\s+[А-ЯҐЄІЇ]\.\s*(?:[А-ЯҐЄІЇ]\.)?)\s*$"
)
_LEADING = ("number", "task", "measure")


def trim_trailer(rows: list[Row], source: str) -> tuple[list[Row], list[Issue]]:
    """The rows without the trailer at their end, and one notice per dropped row."""
    cut = len(rows)
    for i in range(len(rows) - 1, -1, -1):
        if not _is_trailer(rows[i]):
            break
        cut = i
    notices = [
        issue(
            "I_REPAIR_TRAILER",
            Location(file=source, line=row.line),
            text=_short(_text(row)),
        )
        for row in rows[cut:]
        if _text(row)
    ]
    return rows[:cut], notices


def _is_trailer(row: Row) -> bool:
    text = _text(row)
    if not text:
        return True  # an empty row between the plan and its signature
    first = _first(row)
    if _NOTE.match(first):
        return True
    if _starts_measure(row):
        return False
    return bool(_POSITION.match(first) or _NAME.search(text))


def _starts_measure(row: Row) -> bool:
    if row.kind != "data":
        return False
    number = clean(row.cells.get("number", ""))
    measure = row.cells.get("measure", "")
    return bool(
        (number and "number" not in row.carried and re.match(r"^[\dIVXІХ]", number))
        or MEASURE_NO.match(measure)
    )


def _first(row: Row) -> str:
    if row.kind != "data":
        return clean(row.cells.get("measure", ""))
    for key in _LEADING:
        if clean(row.cells.get(key, "")):
            return clean(row.cells[key])
    return ""


def _text(row: Row) -> str:
    return clean(" ".join(v for k, v in row.cells.items() if k not in row.carried))


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:79] + "…"
