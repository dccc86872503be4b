"""Cell references in A1 notation: the one place that turns a zero-based (row, column) into
"B12" or "$B$12" and back, names a column by its letters, quotes a sheet name and reads a
sheet-qualified reference such as "'Звіт'!$A$10:$Q$50".

Rows and columns count from zero, as xlsxwriter and the readers' grids do; the conversions
are xlsxwriter's (``xlsxwriter.utility``), which the form and report writers load anyway,
cached here because a reader names the same few columns for every row of every file.
References read from a returned workbook are untrusted: anything that is not one cell of
Excel's grid is refused with ``ValueError``, never guessed."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from xlsxwriter import utility

# xlsxwriter ships no type information: its converters, typed as they are documented.
_to_name: Callable[[int], str] = utility.xl_col_to_name
_to_index: Callable[[str], tuple[int, int]] = utility.xl_cell_to_rowcol

__all__ = [
    "MAX_COLS",
    "MAX_ROWS",
    "a1",
    "cell_index",
    "column_letter",
    "column_of",
    "quote_sheet",
    "row_of",
    "sheet_range",
    "split_sheet_ref",
]

MAX_ROWS, MAX_COLS = 1_048_576, 16_384  # Excel's grid: A1 to XFD1048576
_CELL = re.compile(r"\$?([A-Z]{1,3})\$?([1-9][0-9]{0,6})")
_SHEET_REF = re.compile(
    r"=?(?:'((?:[^']|'')+)'|([^!'\"]+))!(\$?[A-Z]+\$?[0-9]+)(?::(\$?[A-Z]+\$?[0-9]+))?"
)


def a1(row: int, col: int, absolute: bool = False) -> str:
    """Zero-based (row, col) → "B7" (or "$B$7")."""
    if absolute:
        return f"${column_letter(col)}${row + 1}"
    return column_letter(col) + str(row + 1)


@functools.lru_cache(maxsize=MAX_COLS)
def column_letter(col: int) -> str:
    """Zero-based column → "A", "Z", "AA"."""
    if col < 0:
        raise ValueError(f"no column {col}")
    return _to_name(col)


def cell_index(ref: str) -> tuple[int, int]:
    """ "B7" or "$B$7" → zero-based (6, 1). A range, lower case, or a cell outside Excel's
    grid raises ``ValueError``."""
    m = _CELL.fullmatch(ref)
    if m is None:
        raise ValueError(f"not a cell reference: {ref!r}")
    row, col = int(m.group(2)) - 1, _column_index(m.group(1))
    if row >= MAX_ROWS or col >= MAX_COLS:
        raise ValueError(f"outside the sheet: {ref!r}")
    return row, col


@functools.lru_cache(maxsize=1024)
def _column_index(letters: str) -> int:
    return _to_index(letters + "1")[1]


def column_of(ref: str) -> str:
    """ "B12" → "B": the column letters of a cell reference ("" if it is not one)."""
    m = _CELL.fullmatch(ref)
    return m.group(1) if m else ""


def row_of(ref: str) -> int:
    """ "B12" → 12: the row number a person sees (0 if it is not a cell reference)."""
    m = _CELL.fullmatch(ref)
    return int(m.group(2)) if m else 0


def quote_sheet(name: str) -> str:
    """'Звіт' → "'Звіт'". Always quoted (xlsxwriter's ``quote_sheetname`` quotes only where
    Excel needs it): quoting is always valid, and the forms' defined names stay as they are."""
    return "'" + name.replace("'", "''") + "'"


def sheet_range(sheet: str, top: int, left: int, bottom: int, right: int) -> str:
    """ "'Звіт'!$A$10:$Q$50": an absolute range on a sheet, as defined names and list
    sources hold it (written first:last even when both are one cell)."""
    return f"{quote_sheet(sheet)}!{a1(top, left, True)}:{a1(bottom, right, True)}"


@functools.lru_cache(maxsize=256)
def split_sheet_ref(text: str) -> tuple[str, str] | None:
    """ "='Звіт'!$A$10:$Q$50" → ("Звіт", "A10:Q50"); "Звіт!B7" → ("Звіт", "B7"). A
    constant, a formula, or a cell outside the grid → None. (Cached: the forms of one
    season carry the same defined names.)"""
    m = _SHEET_REF.fullmatch(text.strip())
    if not m:
        return None
    cells = [m.group(3)] + ([m.group(4)] if m.group(4) else [])
    try:
        for cell in cells:
            cell_index(cell)
    except ValueError:
        return None
    return (m.group(1) or m.group(2) or "").replace("''", "'"), ":".join(cells).replace("$", "")
