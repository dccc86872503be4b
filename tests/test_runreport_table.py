"""The collect run report's table workbooks (toolkit/collect/runreport.py, xlsxwriter): what
openpyxl, python-calamine and a real LibreOffice read back is what was written — text
stays text, whatever it looks like — with the header styled, panes frozen and a filter on
every sheet."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import openpyxl
from python_calamine import CalamineWorkbook

from tests.support.libreoffice import LibreOffice
from toolkit.collect.runreport import Sheet, table_workbook
from toolkit.text import MAX_TEXT

TRICKY = [
    "=1+1",
    "+380 44 123 45 67",
    "12,5",
    "1e5",
    "https://example.com",
    "  відступ ",
    "рядок\nдругий",
    "<b>&amp;</b>",
    "'апостроф",
    "TRUE",
    "@SUM(A1)",
]
HEAD = ("№", "Текст", "Число", "Порожнє", "Ще")


def _book(tmp_path: Path) -> Path:
    rows = [(n, text, n * 1.5, None, "") for n, text in enumerate(TRICKY, start=1)]
    files = Sheet("Файли", HEAD, (5, 30, 10, 8, 8), rows, frozen_columns=2)
    empty = Sheet("O'Brien & Co <2>", ("А", "Б"), (10, 20), [])
    path = tmp_path / "table.xlsx"
    path.write_bytes(
        table_workbook(
            [files, empty],
            title="zvit collect #7",
            lang="uk",
            created=datetime(2026, 1, 5, 9, 30, tzinfo=UTC),
        )
    )
    return path


def test_openpyxl_reads_the_values_styles_panes_and_filters(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(_book(tmp_path))
    files, empty = book.worksheets
    assert book.sheetnames == ["Файли", "O'Brien & Co <2>"]
    assert [c.value for c in files[1]] == list(HEAD)
    assert files["A1"].font.b and files["A1"].fill.fgColor.rgb == "FFDDEBF7"
    assert files["A1"].border.left.style == "thin" and files["A1"].alignment.wrap_text
    body = [[c.value for c in row] for row in files.iter_rows(min_row=2)]
    assert body == [[n, text, n * 1.5, None, None] for n, text in enumerate(TRICKY, start=1)]
    assert all(files.cell(r, 2).data_type == "s" for r in range(2, len(TRICKY) + 2))
    assert files.freeze_panes == "C2" and empty.freeze_panes == "A2"
    assert files.auto_filter.ref == f"A1:E{len(TRICKY) + 1}" and empty.auto_filter.ref == "A1:B2"
    assert round(files.column_dimensions["B"].width, 2) == 30.71
    assert book.properties.title == "zvit collect #7"
    assert book.properties.created == datetime(2026, 1, 5, 9, 30)


def test_calamine_reads_the_same(tmp_path: Path) -> None:
    book = CalamineWorkbook.from_path(str(_book(tmp_path)))
    rows = book.get_sheet_by_name("Файли").to_python()
    assert rows[0] == list(HEAD)
    assert [r[1] for r in rows[1:]] == TRICKY
    assert [r[2] for r in rows[1:]] == [n * 1.5 for n in range(1, len(TRICKY) + 1)]


def test_libreoffice_opens_it_as_written(tmp_path: Path, libreoffice: LibreOffice) -> None:
    ods = libreoffice.convert(_book(tmp_path), tmp_path / "lo", "ods")
    book = CalamineWorkbook.from_path(str(ods))
    assert book.sheet_names == ["Файли", "O'Brien & Co <2>"]
    rows = book.get_sheet_by_name("Файли").to_python()
    assert rows[0] == list(HEAD)
    assert [r[1] for r in rows[1:]] == TRICKY  # no formula, date or number made of text
    assert [r[0] for r in rows[1:]] == [float(n) for n in range(1, len(TRICKY) + 1)]


def test_text_a_cell_cannot_hold_is_cleaned_and_cut(tmp_path: Path) -> None:
    rows = [("a\x00b\x1fc\ud800d\tе",), ("ї" * 40_000,), (float("nan"),)]
    path = tmp_path / "t.xlsx"
    path.write_bytes(
        table_workbook(
            [Sheet("S", ("h",), (10,), rows)],
            title="t\x01",
            lang="uk",
            created=datetime(2026, 1, 1, tzinfo=UTC),
        )
    )
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert sheet["A2"].value == "abcd\tе"
    assert len(sheet["A3"].value) == MAX_TEXT and sheet["A3"].value.endswith("…")
    assert sheet["A4"].value == "nan"  # not a number Excel could store: kept as text
