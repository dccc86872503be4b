"""The seam between the two sheet readers (toolkit/validate/sheets.py): on every zvit form
and every return the repository holds or can make — the blank templates, the golden forms,
the returned-file cases, every unit's form of both examples (annual and quarterly), forms
filled with openpyxl, and forms typed into and saved by a real LibreOffice — the XML fast
path must answer for every sheet AND give python-calamine's grid cell for cell, types
included. A fast path that declines such a workbook fails here, as one that differs does
(the tests at the end prove it); and it may only run on the python-calamine it mirrors."""

from __future__ import annotations

import io
import tomllib
from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from tests.support.libreoffice import CellValue, LibreOffice
from toolkit.cellref import a1
from toolkit.forms import layout as L
from toolkit.forms.blank import render_blank
from toolkit.forms.definition import load_definition
from toolkit.forms.spec import build_specs
from toolkit.forms.writer import render_form
from toolkit.gate.sniff import inspect
from toolkit.periods import Period
from toolkit.plan.io import load_plan, load_registry
from toolkit.validate import sheets
from toolkit.validate.check import validate_bytes
from toolkit.validate.context import Context
from toolkit.validate.parts import Members, read_parts
from toolkit.validate.sheets import (
    MIRRORED_CALAMINE,
    CalamineSheets,
    Declined,
    Grid,
    SheetReader,
    XmlSheets,
    open_sheets,
)

ROOT = Path(__file__).resolve().parent.parent
RETURNS = ROOT / "tests" / "cases" / "returns"
REPO_BOOKS = sorted(
    path
    for folder in ("templates/xlsx", "tests/golden", "tests/cases/returns", "examples")
    for pattern in ("*.xlsx", "*.xlsm")
    for path in (ROOT / folder).rglob(pattern)
)
# Returned-file cases that are not .xlsx at all, whatever their name says: the file gate
# tells them apart, and neither reader is asked for their cells.
NOT_XLSX = {RETURNS / "saved-as-ods" / "returned.xlsx", RETURNS / "saved-as-xls" / "returned.xlsx"}
EXAMPLE_FORMS = [
    (name, period)
    for name in ("luhansk-2018-2026", "hlukhiv-2020-2026")
    for period in ("2021", "2021-Q2", "2025", "2025-Q4")
]
SHEET = "Звіт"

FastReader = Callable[[Members, Any], SheetReader]


def disagreements(data: bytes, fast: FastReader = XmlSheets) -> list[str]:
    """Every sheet where the fast path declined or gave other than python-calamine's grid
    (values or types); empty when it answered every sheet exactly as calamine."""
    gate = inspect(data, "book.xlsx")
    assert gate.usable and gate.fmt == "xlsx", [i.code for i in gate.issues]
    members = Members(data, gate.inflated, gate.names)
    reader = fast(members, read_parts(members))
    reference = CalamineSheets(data)
    found = []
    try:
        # every sheet calamine sees, so a sheet the package parts missed counts too
        for sheet in CalamineWorkbook.from_filelike(io.BytesIO(data)).sheet_names:
            got, expected = reader.grid(sheet), reference.grid(sheet)
            if isinstance(got, Declined):
                found.append(f"{sheet}: the fast path declined ({got.reason})")
            elif isinstance(expected, Declined):
                found.append(f"{sheet}: calamine declined ({expected.reason})")
            else:
                found += [f"{sheet}: {d}" for d in _differences(got, expected)]
    finally:
        reference.close()
        members.close()
    return found


def _differences(got: Grid, expected: Grid) -> list[str]:
    if [len(row) for row in got] != [len(row) for row in expected]:
        return [f"shape {[len(r) for r in got]} != calamine's {[len(r) for r in expected]}"]
    return [
        f"{a1(r, c)}: {a!r} ({type(a).__name__}) != calamine's {b!r} ({type(b).__name__})"
        for r, (mine, theirs) in enumerate(zip(got, expected, strict=True))
        for c, (a, b) in enumerate(zip(mine, theirs, strict=True))
        # repr tells -0.0 from 0.0, and type 5.0 from 5 and a date from a datetime
        if type(a) is not type(b) or repr(a) != repr(b)
    ]


# --- the workbooks --------------------------------------------------------------------


@pytest.mark.parametrize("path", REPO_BOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_workbook_in_the_repository(path: Path) -> None:
    data = path.read_bytes()
    if path in NOT_XLSX:
        assert inspect(data, path.name).fmt in ("ods", "xls")
        return
    assert disagreements(data) == []


def test_the_repository_holds_what_this_test_reads() -> None:
    """A moved folder must not leave this test reading nothing."""
    folders = {p.relative_to(ROOT).parts[:2] for p in REPO_BOOKS}
    assert {("templates", "xlsx"), ("tests", "golden"), ("tests", "cases")} <= folders
    assert len([p for p in REPO_BOOKS if RETURNS in p.parents]) >= 20
    assert set(REPO_BOOKS) >= NOT_XLSX


@cache
def example_forms(name: str, period: str) -> dict[str, bytes]:
    """Every unit's form of an example for a period: unit → bytes."""
    folder = ROOT / "examples" / name
    plan, registry = load_plan(folder / "plan.yaml"), load_registry(folder / "units.yaml")
    p = Period.parse(period)
    definition = load_definition("annual" if p.is_annual else "quarterly")
    return {s.unit.id: render_form(s) for s in build_specs(plan, registry, definition, p)}


@pytest.mark.parametrize(("name", "period"), EXAMPLE_FORMS)
def test_every_form_made_from_the_examples(name: str, period: str) -> None:
    forms = example_forms(name, period)
    assert forms, "no unit reports in this period: choose another"
    found = {unit: disagreements(data) for unit, data in forms.items()}
    assert found == {unit: [] for unit in forms}


def measure_rows(data: bytes, form: str) -> int:
    """How many measure rows the form's table has (read with openpyxl, not the seam)."""
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True)[SHEET]
    lay = L.Layout(load_definition(form), 1)
    column = lay.col("measure_id") + 1
    cells = sheet.iter_rows(min_row=lay.first_data_row + 1, min_col=column, max_col=column)
    values = [cell.value for (cell,) in cells]
    # the rows up to the first empty one: the signature lines below the table are not rows
    return next((n for n, v in enumerate(values) if v in (None, "")), len(values))


def typed_answers(data: bytes, form: str) -> dict[tuple[str, str], Any]:
    """What an executor types into a form: every kind of value the readers must agree on."""
    lay = L.Layout(load_definition(form), measure_rows(data, form))
    head = L.VALUE_COLS[0]
    cells: dict[tuple[str, str], Any] = {
        (SHEET, a1(lay.header_row("person"), head)): "Іваненко І. І., головний спеціаліст ",
        (SHEET, a1(lay.header_row("phone"), head)): "+380 44 123 45 67",
        (SHEET, a1(lay.header_row("email"), head)): "ivanenko@example.org",
    }
    kinds: list[Any] = [4, 12.5, 0.1 + 0.2, -0.0, "12,5", "  ", "60 %", 1e-9, "123456789012"]
    for i in range(min(lay.n_rows, 12)):
        row = lay.data_row(i)
        cells[(SHEET, a1(row, lay.col("status")))] = ["виконано", "не виконано"][i % 2]
        cells[(SHEET, a1(row, lay.col("done")))] = f"Пункт {i};\nпротоколи & <{i}>"
        cells[(SHEET, a1(row, lay.col("value")))] = kinds[i % len(kinds)]
        cells[(SHEET, a1(row, lay.col("fund_local")))] = 1000.25 * i
    return cells


def filled_on(form: str) -> tuple[str, str]:
    return SHEET, a1(L.Layout(load_definition(form), 1).header_row("filled_on"), L.VALUE_COLS[0])


def filled_with_openpyxl(data: bytes, form: str, on: Any) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(data))
    for (sheet, ref), value in {**typed_answers(data, form), filled_on(form): on}.items():
        book[sheet][ref] = value
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _first_form(name: str, period: str) -> bytes:
    return next(iter(example_forms(name, period).values()))


FILLED = [
    ("blank annual", lambda: render_blank("annual"), "annual"),
    ("blank quarterly", lambda: render_blank("quarterly"), "quarterly"),
    ("luhansk 2025", lambda: _first_form("luhansk-2018-2026", "2025"), "annual"),
    ("hlukhiv 2021-Q2", lambda: _first_form("hlukhiv-2020-2026", "2021-Q2"), "quarterly"),
]


@pytest.mark.parametrize(("label", "make", "form"), FILLED, ids=[f[0] for f in FILLED])
def test_forms_filled_with_openpyxl(label: str, make: Callable[[], bytes], form: str) -> None:
    for on in (datetime(2026, 1, 15, 9, 30), date(2026, 1, 15), "15.01.2026"):
        assert disagreements(filled_with_openpyxl(make(), form, on)) == [], (label, on)


@pytest.mark.parametrize(("label", "make", "form"), FILLED, ids=[f[0] for f in FILLED])
def test_forms_typed_into_and_saved_by_libreoffice(
    label: str, make: Callable[[], bytes], form: str, tmp_path: Path, libreoffice: LibreOffice
) -> None:
    """Typed as a person types (LibreOffice reads "2026-01-14" as a date, "60 %" as a
    percentage), saved as .xlsx; and a form filled elsewhere, opened and saved again."""
    src = tmp_path / "form.xlsx"
    src.write_bytes(make())
    typed: dict[tuple[str, str], CellValue] = typed_answers(src.read_bytes(), form)
    typed[filled_on(form)] = "2026-01-14"
    libreoffice.fill(src, tmp_path / "typed.xlsx", typed)
    assert disagreements((tmp_path / "typed.xlsx").read_bytes()) == [], label

    (tmp_path / "openpyxl.xlsx").write_bytes(filled_with_openpyxl(make(), form, date(2026, 1, 15)))
    saved = libreoffice.convert(tmp_path / "openpyxl.xlsx", tmp_path / "again", "xlsx")
    assert disagreements(saved.read_bytes()) == [], label


# --- the test above fails when the fast path falls short ------------------------------


def _altered(change: Callable[[Grid], None]) -> FastReader:
    """A fast path that answers, then changes its answer."""

    class Altered(XmlSheets):
        def grid(self, sheet: str) -> Grid | Declined:
            got = super().grid(sheet)
            if not isinstance(got, Declined) and sheet == SHEET:
                change(got)
            return got

    return Altered


def _first(grid: Grid, kind: type) -> tuple[int, int]:
    return next(
        (r, c)
        for r, row in enumerate(grid)
        for c, v in enumerate(row)
        if type(v) is kind and v != ""
    )


def _retyped(grid: Grid) -> None:
    r, c = _first(grid, float)
    grid[r][c] = int(grid[r][c]) if grid[r][c].is_integer() else str(grid[r][c])


def _rewritten(grid: Grid) -> None:
    r, c = _first(grid, str)
    grid[r][c] += " "


def _shortened(grid: Grid) -> None:
    grid.pop()


class _Declining(XmlSheets):
    def grid(self, sheet: str) -> Grid | Declined:
        return Declined("declines everything")


@pytest.mark.parametrize(
    "fast",
    [_Declining, _altered(_retyped), _altered(_rewritten), _altered(_shortened)],
    ids=["declines", "a number retyped", "a text changed", "a row lost"],
)
def test_a_fast_path_that_declines_or_differs_is_caught(fast: FastReader) -> None:
    data = filled_with_openpyxl(render_blank("annual"), "annual", date(2026, 1, 15))
    assert disagreements(data) == []
    assert disagreements(data, fast) != []


def test_a_fast_path_whose_parser_declines_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (ROOT / "templates" / "xlsx" / "annual.xlsx").read_bytes()
    monkeypatch.setattr(sheets, "fast_grid", lambda *args: None)
    found = disagreements(data)
    assert len(found) == 4 and all("declined (sheet XML in a shape" in f for f in found)


# --- the version the fast path mirrors ------------------------------------------------


def test_calamine_is_pinned_to_the_version_the_fast_path_mirrors() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert f"python-calamine=={MIRRORED_CALAMINE}" in project["project"]["dependencies"]
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    [locked] = [p["version"] for p in lock["package"] if p["name"] == "python-calamine"]
    assert locked == MIRRORED_CALAMINE
    assert sheets.calamine_mismatch() == ""  # the installed one: the fast path runs


def test_on_another_calamine_the_fast_path_refuses_and_calamine_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = RETURNS / "percent-typed"
    plan, registry = load_plan(RETURNS / "plan.yaml"), load_registry(RETURNS / "units.yaml")
    data = (case / "returned.xlsx").read_bytes()
    ctx = Context(plan, registry, period=Period(2021))
    before = validate_bytes(data, "returned.xlsx", ctx)

    sheets.calamine_mismatch.cache_clear()
    monkeypatch.setattr(sheets, "MIRRORED_CALAMINE", "0.0.1")
    try:
        reason = sheets.calamine_mismatch()
        assert "python-calamine 0.9.1 is installed" in reason and "mirrors 0.0.1" in reason
        gate = inspect(data, "returned.xlsx")
        members = Members(data, gate.inflated, gate.names)
        reader = open_sheets(data, members, read_parts(members))
        assert reader.grid(SHEET) == CalamineSheets(data).grid(SHEET)
        assert reader.declined == {SHEET: reason}
        after = validate_bytes(data, "returned.xlsx", ctx)
    finally:
        sheets.calamine_mismatch.cache_clear()
    assert [(i.code, i.where) for i in after.issues] == [(i.code, i.where) for i in before.issues]
    assert after.answers == before.answers and before.issues
