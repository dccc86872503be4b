"""Plans in Excel workbooks and CSV files, read as a person sees them.

Every visible sheet is a block, in the workbook's order (a plan is often on the second
sheet, after the decision's text); hidden sheets are left out and named in a warning.
A merged range's text is carried down to every row it covers (marked as carried) and
stands in the first column only. Dates show as a person reads them (31.12.2024), not as
"2024-12-31 00:00:00"."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime, time
from pathlib import Path

from toolkit.issues import Issue, Location, issue
from toolkit.plan.importers.grid import Block, Reading, Table
from toolkit.text import cell_text, visible


def read_xlsx(path: Path) -> Reading:
    from openpyxl import load_workbook

    # Not read-only: merged ranges are only known to a fully loaded sheet.
    wb = load_workbook(path, data_only=True)
    try:
        blocks: list[Block] = []
        notices: list[Issue] = []
        for ws in wb.worksheets:
            table = _sheet(ws)
            if ws.sheet_state != "visible":
                if any(any(c.strip() for c in row) for row in table.rows):
                    notices.append(
                        issue("W_SHEET_HIDDEN", Location(file=path.name, sheet=ws.title))
                    )
                continue
            blocks.append(table)
        return Reading(blocks, notices + _uncomputed(path))
    finally:
        wb.close()


# A formula cell with no value saved beside it: the workbook was written by a program and
# never opened in Excel or LibreOffice, which would have computed and saved the value.
_NO_VALUE = re.compile(rb"<c\b[^>]*>\s*<f\b[^>]*(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>")


def _uncomputed(path: Path) -> list[Issue]:
    """Formulas whose values were never saved read as empty cells: said, as the cause of
    the numbering or missing-field errors that follow."""
    with zipfile.ZipFile(path) as z:
        parts = [n for n in z.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        count = sum(len(_NO_VALUE.findall(z.read(n))) for n in parts)
    if not count:
        return []
    return [issue("W_PLAN_FORMULAS_NOT_COMPUTED", Location(file=path.name), count=count)]


def _sheet(ws: object) -> Table:
    rows: list[list[str]] = [
        [_shown(v) for v in row]
        for row in ws.iter_rows(values_only=True)  # type: ignore[attr-defined]
    ]
    carried: set[tuple[int, int]] = set()
    for merged in ws.merged_cells.ranges:  # type: ignore[attr-defined]
        top, left = merged.min_row - 1, merged.min_col - 1
        if top >= len(rows):
            continue
        value = rows[top][left] if left < len(rows[top]) else ""
        for r in range(top + 1, min(merged.max_row, len(rows))):
            row = rows[r]
            row.extend([""] * (left + 1 - len(row)))
            row[left] = value
            carried.add((r, left))
    return Table(rows, carried, f"аркуш «{ws.title}»")  # type: ignore[attr-defined]


def _shown(value: object) -> str:
    if isinstance(value, datetime) and value.time() == time(0):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, date) and not isinstance(value, datetime):
        return f"{value:%d.%m.%Y}"
    return visible(cell_text(value))


def read_csv(path: Path) -> Reading:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1251", errors="replace")
    # newline="": a lone carriage return (an old Mac line end) ends a line, as the csv
    # module wants, instead of stopping the reader in the middle of a field
    lines = io.StringIO(text, newline="")
    rows = [[visible(c) for c in r] for r in csv.reader(lines, delimiter=_delimiter(text))]
    return Reading([Table(rows, set(), path.name)])


def _delimiter(text: str) -> str:
    """The separator that splits most lines into a table row (Excel in a Ukrainian
    locale writes ";", others "," or tabs)."""
    lines = text.splitlines()[:200]
    return max(";\t,", key=lambda d: sum(line.count(d) >= 3 for line in lines))
