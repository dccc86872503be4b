"""Plan tables in spreadsheets and Word: find the header row, map its columns, and turn
every row below it into a ``Row``. Sections are recognised by what they say (a Roman
numeral or «Розділ», merged across the row or not, the numeral in a cell of its own or
not); cells carried down from a merged cell are marked on the row."""

from __future__ import annotations

import re
from collections.abc import Sequence

from toolkit.messages import Message
from toolkit.plan.importers.grid import Table
from toolkit.plan.importers.numbers import section_parts
from toolkit.plan.importers.rows import FIELDS, Row, RowKind, column_name
from toolkit.text import clean

# Checked in this order: "Індикатори (показники) виконання завдань" names the
# indicator column even though it contains the word for "task".
_COLUMN_WORDS = (
    ("indicator", ("індикатор", "показник", "очікуван", "результат")),
    ("deadline", ("термін", "строк")),
    ("executors", ("виконав", "відповідальн")),
    ("measure", ("захід", "заход", "дії", "дія", "зміст")),
    ("task", ("завдан",)),
    ("number", ("№", "з/п", "номер", "n п/п", "n з/п")),
)
REQUIRED = ("number", "measure", "deadline", "executors", "indicator")
# Without a № column the number opens the measure's text: "1. Ведення …", "1.2. …"
_LEADING_NUMBER = re.compile(r"^\s*((?:[IVXІХ]{1,5}\.)?\d{1,2}(?:\.\d{1,2})*\.?)\s+(?=\S)")
_HEADER_SCAN = 400
_NUMBER_ONLY = re.compile(r"\d{1,2}[.)]?|б\)?|(?:[IVXІХ]{1,5}|\d{1,2})\.\d{1,2}(?:\.\d{1,2})?[.)]?")
_ROMAN_ALONE = re.compile(r"^\s*(?:розділ\s+)?([IVXІХ]{1,5})\s*[.):]?\s*$", re.I)
_OTHER = ("deadline", "executors", "indicator")


def column_of(title: str) -> str | None:
    low = clean(title).lower()
    for key, words in _COLUMN_WORDS:
        if any(w in low for w in words):
            return key
    return None


def find_header(rows: Sequence[Sequence[str]]) -> tuple[int, dict[int, str]] | None:
    """The header row (its index and its columns by key) among the first rows of a table:
    the row naming most of the plan's columns, at least three."""
    best: tuple[int, dict[int, str]] = (-1, {})
    for n, cells in enumerate(rows[:_HEADER_SCAN]):
        columns: dict[int, str] = {}
        for i, value in enumerate(cells):
            key = column_of(value) if value.strip() and len(value) < 200 else None
            if key and key not in columns.values():
                columns[i] = key
        if len(columns) > len(best[1]):
            best = (n, columns)
        if len(columns) >= len(REQUIRED):
            break
    return best if len(best[1]) >= 3 else None


def missing_columns(columns: dict[int, str]) -> list[Message]:
    """The plan's columns a header does not name; the № column may be missing when the
    numbers open the measures' texts."""
    return [column_name(k) for k in REQUIRED if k not in columns.values() and k != "number"]


def table_rows(table: Table, start: int, columns: dict[int, str]) -> list[Row]:
    """Rows ``start`` … of ``table`` as plan rows; the header repeated on a new page is
    dropped."""
    header = [clean(v) for v in table.rows[start - 1]] if start > 0 else []
    rows: list[Row] = []
    for n in range(start, len(table.rows)):
        cells = table.rows[n]
        if header and [clean(v) for v in cells] == header:
            continue
        values = {key: (cells[i] if i < len(cells) else "") for i, key in columns.items()}
        if "number" not in values:
            values = _number_from_text(values)
        carried = frozenset(key for i, key in columns.items() if (n, i) in table.carried)
        row = classify(values, cells, n + 1, carried)
        if row:
            row.table = table.name
            rows.append(row)
    return rows


def _number_from_text(values: dict[str, str]) -> dict[str, str]:
    m = _LEADING_NUMBER.match(values.get("measure", ""))
    if m is None:
        return values | {"number": ""}
    return values | {"number": m.group(1), "measure": values["measure"][m.end() :]}


def classify(
    values: dict[str, str], cells: Sequence[str], line: int, carried: frozenset[str] = frozenset()
) -> Row | None:
    texts = [clean(c) for c in cells if clean(c)]
    if not texts:
        return None
    others = any(clean(values.get(k, "")) and k not in carried for k in _OTHER)
    # "І." alone in the first cell and the title in the next, whichever column that is (in
    # a table without a № column it is the deadline's)
    split = len(texts) == 2 and bool(_ROMAN_ALONE.match(texts[0])) and clean(cells[0]) == texts[0]
    if (not others or split) and (section := _section(values, cells, texts)):
        return Row("section", {"measure": section}, line)
    first = clean(cells[0]) if cells else ""
    if len(set(texts)) == 1 and first and not _NUMBER_ONLY.fullmatch(first):
        # One text across the row (a merged cell): a sub-heading.
        kind: RowKind = "heading"
        return Row(kind, {"measure": first}, line)
    full = {k: values.get(k, "") for k in FIELDS}
    return Row("data", full, line, carried=carried, breaks=True)


def _section(values: dict[str, str], cells: Sequence[str], texts: list[str]) -> str | None:
    """ "І. Координація …" in one cell, or "І." and "Координація …" in cells of their own."""
    if section_parts(texts[0]) and len(set(texts)) == 1:
        return texts[0]
    number = clean(values.get("number", ""))
    alone = _ROMAN_ALONE.match(texts[0])
    if alone and len(texts) == 2 and texts[0] in (number, clean(cells[0]) if cells else ""):
        title = texts[1]
        return f"{texts[0].rstrip('.):')}. {title}"
    return None
