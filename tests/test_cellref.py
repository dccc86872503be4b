"""Cell references: one helper for row/column ↔ "B12", column letters, quoted sheet names and
sheet-qualified ranges read from untrusted workbooks."""

from __future__ import annotations

import pytest
from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter, quote_sheetname

from toolkit.cellref import (
    MAX_COLS,
    MAX_ROWS,
    a1,
    cell_index,
    column_letter,
    column_of,
    quote_sheet,
    row_of,
    sheet_range,
    split_sheet_ref,
)


@pytest.mark.parametrize(
    ("index", "letters"),
    [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA"), (16_383, "XFD")],
)
def test_column_letters(index: int, letters: str) -> None:
    assert column_letter(index) == letters


def test_a1() -> None:
    assert a1(0, 0) == "A1"
    assert a1(11, 1) == "B12"
    assert a1(11, 1, absolute=True) == "$B$12"


def test_every_column_agrees_with_openpyxl() -> None:
    """A second library's reading of the same grid: both name and count every column (and
    the rows at the grid's edges) alike."""
    for col in range(MAX_COLS):
        for row in (col, MAX_ROWS - 1 - col):
            ref = a1(row, col)
            assert ref == f"{get_column_letter(col + 1)}{row + 1}"
            assert cell_index(ref) == (row, col) == tuple(n - 1 for n in coordinate_to_tuple(ref))
            assert cell_index(a1(row, col, absolute=True)) == (row, col)
            assert column_of(ref) == column_letter(col) and row_of(ref) == row + 1


@pytest.mark.parametrize(
    "ref", ["", "A", "12", "A0", "b7", "A1:B2", "XFE1", "A1048577", "ABCD1", " A1", "A1 ", "=A1"]
)
def test_not_a_cell_is_refused(ref: str) -> None:
    with pytest.raises(ValueError, match=r"not a cell reference|outside the sheet"):
        cell_index(ref)


@pytest.mark.parametrize("ref", ["", "A1:B2", "b7", "ABCD1", "=A1", "A0"])
def test_parts_of_what_is_not_a_cell(ref: str) -> None:
    assert (column_of(ref), row_of(ref)) == ("", 0)


@pytest.mark.parametrize("name", ["Звіт", "Sheet 1", "O'Brien", "A1", "'", "Лист1"])
def test_quote_sheet_always_quotes_like_openpyxl(name: str) -> None:
    assert quote_sheet(name) == quote_sheetname(name)
    assert split_sheet_ref(f"{quote_sheet(name)}!$B$7") == (name, "B7")


def test_sheet_range() -> None:
    assert sheet_range("Звіт", 9, 0, 49, 16) == "'Звіт'!$A$10:$Q$50"
    assert sheet_range("Списки", 1, 2, 1, 2) == "'Списки'!$C$2:$C$2"  # one cell: still a range


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("'Звіт'!$A$10:$Q$50", ("Звіт", "A10:Q50")),
        ("='Звіт'!$D$4", ("Звіт", "D4")),
        ("Звіт!B7", ("Звіт", "B7")),
        (" 'It''s'!A1:A1 ", ("It's", "A1:A1")),
        ('="ZV-1234"', None),  # a constant
        ("'Звіт'!A0", None),  # no row 0: it would read the last row
        ("'Звіт'!XFE1", None),  # past the last column
        ("'Звіт'!A1:B99999999", None),
        ("'Звіт'!A1+1", None),  # a formula, not a place
        ("cmd|' /C calc'!A0", None),
        ("", None),
    ],
)
def test_split_sheet_ref(text: str, expected: tuple[str, str] | None) -> None:
    assert split_sheet_ref(text) == expected
