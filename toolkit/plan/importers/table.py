"""Plan tables in spreadsheets and Word: find the header row, map its columns, and turn
every row below it into a ``Row``. The rows above the header are the preamble."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from pathlib import Path

from toolkit.errors import InvalidFileError
from toolkit.issues import Location, issue
from toolkit.plan.importers.rows import SECTION, Row, RowKind
from toolkit.text import cell_text, clean

# Checked in this order: "Індикатори (показники) виконання завдань" names the
# indicator column even though it contains the word for "task".
_COLUMN_WORDS = (
    ("indicator", ("індикатор", "показник", "очікуван", "результат")),
    ("deadline", ("термін", "строк")),
    ("executors", ("виконав", "відповідальн")),
    ("measure", ("захід", "заход", "дії", "дія", "зміст")),
    ("task", ("завдан",)),
    ("number", ("№", "з/п", "номер")),
)
REQUIRED = ("number", "measure", "deadline", "executors", "indicator")
_HEADER_SCAN = 40


def column_of(title: str) -> str | None:
    low = clean(title).lower()
    for key, words in _COLUMN_WORDS:
        if any(w in low for w in words):
            return key
    return None


def rows_from_grid(grid: Sequence[Sequence[str]], source: str) -> tuple[str, list[Row]]:
    """A table as a grid of strings (merged cells already blanked) → preamble, rows."""
    header_at, columns = _find_header(grid, source)
    preamble = "\n\n".join(" ".join(c for c in row if c.strip()) for row in grid[:header_at])
    rows: list[Row] = []
    for n, cells in enumerate(grid[header_at + 1 :], start=header_at + 2):
        values = {key: (cells[i] if i < len(cells) else "") for i, key in columns.items()}
        if [clean(v) for v in cells] == [clean(v) for v in grid[header_at]]:
            continue  # the header repeated on a new page
        row = _classify(values, cells, n)
        if row:
            rows.append(row)
    return preamble, rows


def _find_header(grid: Sequence[Sequence[str]], source: str) -> tuple[int, dict[int, str]]:
    best: tuple[int, dict[int, str]] = (-1, {})
    for n, cells in enumerate(grid[:_HEADER_SCAN]):
        columns: dict[int, str] = {}
        for i, value in enumerate(cells):
            key = column_of(value) if value.strip() else None
            if key and key not in columns.values():
                columns[i] = key
        if len(columns) > len(best[1]):
            best = (n, columns)
        if len(columns) >= len(REQUIRED):
            break
    at, columns = best
    missing = [k for k in REQUIRED if k not in columns.values()]
    if at < 0 or len(columns) < 3:
        raise InvalidFileError(
            f"{source}: немає таблиці плану",
            [issue("E_TABLE_NOT_FOUND", Location(file=source), detail="рядок заголовків")],
        )
    if missing:
        found = ", ".join(clean(grid[at][i]) for i in columns)
        raise InvalidFileError(
            f"{source}: бракує стовпців",
            [
                issue(
                    "E_TABLE_MISSING_COLUMNS",
                    Location(file=source, line=at + 1),
                    missing=", ".join(_NAMES[k] for k in missing),
                    found=found,
                )
            ],
        )
    return at, columns


_NAMES = {
    "number": "№ з/п",
    "task": "завдання",
    "measure": "захід",
    "deadline": "термін виконання",
    "executors": "виконавці",
    "indicator": "індикатори (показники)",
}


def _classify(values: dict[str, str], cells: Sequence[str], line: int) -> Row | None:
    distinct = {clean(c) for c in cells if clean(c)}
    if not distinct:
        return None
    first = clean(cells[0]) if cells else ""
    if len(distinct) == 1 and first and not re.fullmatch(r"\d{1,2}\.?|б\)?", first):
        # One text across the row (a merged cell): a section title or a sub-heading.
        kind: RowKind = "section" if SECTION.match(first) else "heading"
        return Row(kind, {"measure": first}, line)
    return Row("data", values, line)


def grid_from_xlsx(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        return [[cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


def grid_from_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1251")  # every byte is a character there: it cannot fail
    return [list(r) for r in csv.reader(io.StringIO(text), delimiter=_delimiter(text))]


def _delimiter(text: str) -> str:
    """The separator that splits most lines into a table row (Excel in a Ukrainian
    locale writes ";", others "," or tabs)."""
    lines = text.splitlines()[:200]
    return max(";\t,", key=lambda d: sum(line.count(d) >= 3 for line in lines))
