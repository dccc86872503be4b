"""The LibreOffice harness fills forms in a real LibreOffice (tests/support/libreoffice.py)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Protection
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from tests.support.libreoffice import (
    Cells,
    DeleteRow,
    InsertRow,
    LibreOffice,
    LibreOfficeError,
    LibreOfficeNotFound,
    Op,
    RenameSheet,
    Unprotect,
)

REPORT = "Звіт"
LISTS = "Довідники"


@pytest.fixture
def form(tmp_path: Path) -> Path:
    """A small form: protected report sheet with input cells D5:E7, hidden list sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = REPORT
    ws["A4"], ws["D4"], ws["E4"] = "Захід", "Стан", "Обсяг"
    for row in (5, 6, 7):
        ws[f"A{row}"] = f"Захід {row - 4}"
        for col in "DE":
            ws[f"{col}{row}"].protection = Protection(locked=False)
    ws.protection.sheet = True
    lists = wb.create_sheet(LISTS)
    lists["A1"], lists["A2"] = "Виконано", "Не виконано"
    lists.sheet_state = "hidden"
    status = DataValidation(type="list", formula1=f"'{LISTS}'!$A$1:$A$2")
    status.add("D5:D7")
    ws.add_data_validation(status)
    wb.defined_names["zvit_form_version"] = DefinedName("zvit_form_version", attr_text='"1.4.2"')
    wb.defined_names["zvit_total"] = DefinedName("zvit_total", attr_text=f"'{REPORT}'!$E$7")
    wb.custom_doc_props.append(StringProperty(name="zvit_version", value="1.4.2"))
    path = tmp_path / "form.xlsx"
    wb.save(path)
    return path


TYPED: Cells = {
    (REPORT, "D5"): "Виконано",
    (REPORT, "E5"): "12,5",
    (REPORT, "E6"): 42,
    (REPORT, "E7"): "=E6*2",
    (REPORT, "D6"): "2025-01-15",
}


def test_fill_xlsx_keeps_typed_values_and_form_identity(
    libreoffice: LibreOffice, form: Path, tmp_path: Path
) -> None:
    out = tmp_path / "filled.xlsx"
    libreoffice.fill(form, out, TYPED)

    wb = load_workbook(out)
    ws = wb[REPORT]
    assert ws["D5"].value == "Виконано"
    assert ws["E5"].value == "12,5"  # en-US input: a decimal comma is not a number
    assert ws["E6"].value == 42
    assert ws["E7"].value == "=E6*2"
    assert ws["D6"].value == dt.datetime(2025, 1, 15)  # typed dates get a date format
    assert ws["A5"].value == "Захід 1"
    assert ws.protection.sheet
    assert not ws["D5"].protection.locked
    assert ws["A5"].protection.locked
    assert [str(dv.sqref) for dv in ws.data_validations.dataValidation] == ["D5:D7"]
    assert wb[LISTS].sheet_state == "hidden"
    assert wb.defined_names["zvit_form_version"].attr_text == '"1.4.2"'
    # LibreOffice drops the optional quotes around the sheet name: compare destinations.
    assert list(wb.defined_names["zvit_total"].destinations) == [(REPORT, "$E$7")]
    assert {p.name: p.value for p in wb.custom_doc_props} == {"zvit_version": "1.4.2"}
    assert load_workbook(out, data_only=True)[REPORT]["E7"].value == 84  # cached by LO
    with zipfile.ZipFile(out) as package:
        assert b"LibreOffice" in package.read("docProps/app.xml")


@pytest.mark.parametrize(
    ("fmt", "magic"),
    [
        ("ods", b"PK\x03\x04"),
        ("xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),  # OLE2 compound file
    ],
)
def test_fill_saves_other_formats(
    libreoffice: LibreOffice, form: Path, tmp_path: Path, fmt: str, magic: bytes
) -> None:
    out = tmp_path / f"filled.{fmt}"
    libreoffice.fill(form, out, TYPED, fmt=fmt)
    assert out.read_bytes().startswith(magic)
    if fmt == "ods":
        with zipfile.ZipFile(out) as package:
            mimetype = package.read("mimetype")
        assert mimetype == b"application/vnd.oasis.opendocument.spreadsheet"


def test_insert_row_after_unprotecting(
    libreoffice: LibreOffice, form: Path, tmp_path: Path
) -> None:
    out = tmp_path / "inserted.xlsx"
    ops: list[Op] = [Unprotect(REPORT), InsertRow(REPORT, before=6)]
    libreoffice.fill(form, out, {(REPORT, "A6"): "Новий захід"}, ops=ops)

    ws = load_workbook(out)[REPORT]
    assert [ws[f"A{row}"].value for row in range(5, 9)] == [
        "Захід 1",
        "Новий захід",
        "Захід 2",
        "Захід 3",
    ]
    assert not ws.protection.sheet


def test_delete_row_and_rename_sheet(libreoffice: LibreOffice, form: Path, tmp_path: Path) -> None:
    out = tmp_path / "edited.xlsx"
    ops: list[Op] = [Unprotect(REPORT), DeleteRow(REPORT, 5), RenameSheet(REPORT, "Мій звіт")]
    libreoffice.fill(form, out, {}, ops=ops)

    wb = load_workbook(out)
    assert wb.sheetnames == ["Мій звіт", LISTS]
    assert wb["Мій звіт"]["A5"].value == "Захід 2"


def test_typing_into_locked_cell_or_protected_rows_fails(
    libreoffice: LibreOffice, form: Path, tmp_path: Path
) -> None:
    out = tmp_path / "never.xlsx"
    with pytest.raises(LibreOfficeError, match="locked"):
        libreoffice.fill(form, out, {(REPORT, "A5"): "змінено"})
    with pytest.raises(LibreOfficeError, match="protected"):
        libreoffice.fill(form, out, {}, ops=[InsertRow(REPORT, before=6)])
    assert not out.exists()
    libreoffice.fill(form, out, {(REPORT, "E5"): 1})  # the instance is still usable


def test_convert_resaves_without_changes(
    libreoffice: LibreOffice, form: Path, tmp_path: Path
) -> None:
    ods = libreoffice.convert(form, tmp_path / "ods", "ods")
    assert ods == tmp_path / "ods" / "form.ods"
    back = libreoffice.convert(ods, tmp_path / "back", "xlsx")
    assert back == tmp_path / "back" / "form.xlsx"

    wb = load_workbook(back)
    assert wb[REPORT]["A5"].value == "Захід 1"
    assert wb[LISTS].sheet_state == "hidden"
    assert {p.name: p.value for p in wb.custom_doc_props} == {"zvit_version": "1.4.2"}
    assert wb.defined_names["zvit_form_version"].attr_text == '"1.4.2"'


def test_ukrainian_locale_parses_typing_like_a_ukrainian_office(
    libreoffice: LibreOffice, form: Path, tmp_path: Path
) -> None:
    # A second instance (~1.5 s): the locale is fixed when soffice starts. Asking for the
    # session fixture anyway gives this test its skip/fail behaviour.
    out = tmp_path / "uk.xlsx"
    with LibreOffice(locale="uk-UA") as office:
        office.fill(form, out, {(REPORT, "E5"): "12,5", (REPORT, "E6"): "15.01.2025"})
    ws = load_workbook(out)[REPORT]
    assert ws["E5"].value == 12.5
    assert ws["E6"].value == dt.datetime(2025, 1, 15)


def test_missing_soffice_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(LibreOfficeNotFound, match=r"soffice.*not found.*apt-get install"):
        LibreOffice(soffice=tmp_path / "no-soffice")
