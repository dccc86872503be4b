"""Builds the case folders of returned workbooks in ``tests/cases/returns/``.

Each case is one form of the snapshot plan (Hlukhiv, unit hmr-tercentr, 2021) filled the
way an executor might fill it — mostly typed in LibreOffice, some edited at the file
level — with the issue codes its check must give, listed in ``case.yaml`` beside it.
Rebuild after changing the forms: ``uv run python -m tests.cases.build_returns``."""

from __future__ import annotations

import io
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import yaml

from tests.support.libreoffice import DeleteRow, InsertRow, LibreOffice, RenameSheet, Unprotect
from toolkit.cellref import a1, cell_index
from toolkit.forms import layout as L
from toolkit.forms.definition import load_definition
from toolkit.forms.spec import build_specs
from toolkit.forms.writer import render_form
from toolkit.periods import Period
from toolkit.plan.io import load_plan, load_registry

HERE = Path(__file__).resolve().parent / "returns"
UNIT, PERIOD, SHEET = "hmr-tercentr", Period(2021), "Звіт"
DEFINITION = load_definition("annual")


def form_bytes(period: Period = PERIOD, plan_dir: Path = HERE, unit: str = UNIT) -> bytes:
    plan, registry = load_plan(plan_dir / "plan.yaml"), load_registry(plan_dir / "units.yaml")
    [spec] = build_specs(plan, registry, DEFINITION, period, only=[unit])
    return render_form(spec)


def _ids(period: Period = PERIOD) -> list[str]:
    from toolkit.plan.query import assignments

    plan, registry = load_plan(HERE / "plan.yaml"), load_registry(HERE / "units.yaml")
    return [m.id for m in assignments(plan, registry, period).get(UNIT, [])]


def _lay(period: Period = PERIOD) -> L.Layout:
    return L.Layout(DEFINITION, len(_ids(period)))


LAY = _lay()


def cell(key: str, row: int, period: Period = PERIOD) -> tuple[str, str]:
    """(sheet, A1) of column ``key`` in the ``row``-th measure row (0-based)."""
    lay = _lay(period)
    return SHEET, a1(lay.data_row(row), lay.col(key))


def header(key: str) -> tuple[str, str]:
    return SHEET, a1(LAY.header_row(key), L.VALUE_COLS[0])


def good_answers(period: Period = PERIOD) -> dict[tuple[str, str], Any]:
    """A complete, correct report as a careful executor types it (en-US client)."""
    plan = load_plan(HERE / "plan.yaml")
    cells: dict[tuple[str, str], Any] = {
        header("person"): "Іваненко Олена Петрівна, директорка",
        header("phone"): "(05444) 2-22-22",
        header("email"): "tercentr@hlukhiv-rada.gov.ua.example",
        header("filled_on"): "2022-01-14",
    }
    for i, mid in enumerate(_ids(period)):
        target = plan.measure(mid).indicator.target
        if i == 3:
            cells[cell("status", i, period)] = "не виконано"
            cells[cell("reasons", i, period)] = "Не виділено коштів у бюджеті."
            continue
        done = target is not None or i % 2
        cells[cell("status", i, period)] = "виконано" if done else "виконується"
        cells[cell("done", i, period)] = (
            f"Захід {mid}: проведено заплановані заходи, складено звіт."
        )
        if target is not None:
            cells[cell("value", i, period)] = target
        if i % 5 == 0:
            cells[cell("fund_local", i, period)] = 12.5 + i
    return cells


def row_of(mid: str) -> int:
    return _ids().index(mid)


Builder = Callable[[LibreOffice, Path, Path], None]
Case = tuple[str, list[str], Builder] | tuple[str, list[str], Builder, Period]


def _typed(
    changes: dict[tuple[str, str], Any],
    ops: tuple[Any, ...] = (),
    fmt: str = "xlsx",
    sheet: str = SHEET,
) -> Callable[[LibreOffice, Path, Path], None]:
    """A correct report with ``changes`` typed over it; ``sheet``: the report sheet's name
    after ``ops`` (a renamed sheet)."""

    def build(lo: LibreOffice, src: Path, dst: Path) -> None:
        cells = _follow_rows(good_answers(), ops) | changes
        cells = {(sheet if s == SHEET else s, a): v for (s, a), v in cells.items()}
        lo.fill(src, dst, cells, fmt=fmt, ops=ops)

    return build


def _follow_rows(
    cells: dict[tuple[str, str], Any], ops: tuple[Any, ...]
) -> dict[tuple[str, str], Any]:
    """The answers as the executor typed them after inserting or deleting a row: they
    stay with their measure, so rows below the change move."""
    for op in ops:
        moved: dict[tuple[str, str], Any] = {}
        for (sheet, ref), value in cells.items():
            index, col = cell_index(ref)
            row = index + 1  # the ops count rows as a person does, from 1
            if isinstance(op, InsertRow) and row >= op.before:
                row += 1
            elif isinstance(op, DeleteRow) and row == op.row:
                continue
            elif isinstance(op, DeleteRow) and row > op.row:
                row -= 1
            moved[(sheet, a1(row - 1, col))] = value
        cells = moved
    return cells


def _then(step: Callable[[bytes], bytes]) -> Callable[[LibreOffice, Path, Path], None]:
    """A correct LibreOffice-filled report, then edited at the file level."""

    def build(lo: LibreOffice, src: Path, dst: Path) -> None:
        lo.fill(src, dst, good_answers())
        dst.write_bytes(step(dst.read_bytes()))

    return build


def _replace_part(data: bytes, part: str, edit: Callable[[bytes], bytes] | None) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            if info.filename == part and edit is None:
                continue
            body = src.read(info)
            dst.writestr(info, edit(body) if info.filename == part and edit else body)
    return out.getvalue()


def _strip_properties(data: bytes) -> bytes:
    """What Google Sheets and some converters do: custom properties gone."""
    data = _replace_part(data, "docProps/custom.xml", None)
    data = _replace_part(
        data, "[Content_Types].xml", lambda b: re.sub(rb'<Override[^>]*custom\.xml"[^>]*/>', b"", b)
    )
    return _replace_part(
        data, "_rels/.rels", lambda b: re.sub(rb'<Relationship[^>]*custom\.xml"[^>]*/>', b"", b)
    )


def _edit_meta_unit(data: bytes) -> bytes:
    """Someone unhides _zvit and changes the unit to pass as another body."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["_zvit"]
    for row in ws.iter_rows():
        if row[0].value == "unit":
            row[1].value = "hmr-osvita"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _control_character(data: bytes) -> bytes:
    """A pasted invisible character (Excel stores it escaped as _x0007_)."""
    return _replace_part(
        data,
        "xl/sharedStrings.xml",
        lambda b: b.replace("проведено".encode(), "про_x0007_ведено".encode(), 1),
    )


def _sorted_rows(data: bytes) -> bytes:
    """The table sorted: two whole rows swapped (plan cells and answers together)."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb[SHEET]
    a, b = LAY.data_row(0) + 1, LAY.data_row(1) + 1
    for col in range(1, len(DEFINITION.columns) + 1):
        x, y = ws.cell(a, col), ws.cell(b, col)
        x.value, y.value = y.value, x.value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _not_a_form(lo: LibreOffice, src: Path, dst: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Захід", "Стан", "Що зроблено"])
    ws.append(["I.1", "виконано", "Реєстр ведеться"])
    wb.save(dst)


def _on_form(period: Period, changes: Callable[[], dict[tuple[str, str], Any]]) -> Builder:
    """A correct report on the form of another period, with ``changes`` typed over it."""

    def build(lo: LibreOffice, src: Path, dst: Path) -> None:
        other = dst.with_name("other.xlsx")
        other.write_bytes(form_bytes(period))
        lo.fill(other, dst, good_answers(period) | changes())
        other.unlink()

    return build


def _insert_column(data: bytes) -> bytes:
    """A column of one's own inserted before "Пропозиції"."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb[SHEET]
    at = LAY.col("proposals") + 1
    ws.insert_cols(at)
    ws.cell(LAY.table_top + 2, at).value = "Примітка виконавця"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


II13 = row_of("II.13")  # a "%" target of 60
CASES: list[Case] = [
    ("valid-libreoffice", [], _typed({})),
    # In an en-US client these stay text; an apostrophe keeps a number as text (LibreOffice
    # drops it only where the rest would read as a number).
    (
        "numbers-typed-as-text",
        ["W_NUMBER_AS_TEXT"] * 3,
        _typed(
            {
                cell("fund_local", 0): "12,5",
                cell("fund_state", 1): "1 234",
                cell("value", II13): "60 осіб",
            }
        ),
    ),
    ("number-ambiguous", ["E_NUMBER_AMBIGUOUS"], _typed({cell("fund_state", 2): "'1,234"})),
    ("percent-typed", ["W_PERCENT_FRACTION"], _typed({cell("value", II13): "60 %"})),
    ("number-not-a-number", ["E_NUMBER_INVALID"], _typed({cell("fund_other", 2): "багато"})),
    ("funding-negative", ["E_NUMBER_NEGATIVE"], _typed({cell("fund_oblast", 1): -5})),
    (
        "status-variants",
        ["W_CHOICE_NORMALISED"] * 2,
        _typed({cell("status", 1): "Виконано.", cell("status", 2): "в процесі"}),
    ),
    ("status-not-in-list", ["E_CHOICE_INVALID"], _typed({cell("status", 1): "зроблено"})),
    (
        "required-missing",
        ["E_VALUE_REQUIRED"] * 3,
        _typed({cell("status", 1): None, cell("reasons", 3): None, cell("done", 2): None}),
    ),
    (
        "header-missing",
        ["E_VALUE_REQUIRED"] * 3,
        _typed({header("person"): None, header("phone"): None, header("filled_on"): None}),
    ),
    ("date-typed-as-text", ["W_DATE_AS_TEXT"], _typed({header("filled_on"): "'14.01.2022"})),
    ("email-doubtful", ["W_EMAIL_INVALID"], _typed({header("email"): "терцентр на пошті"})),
    ("formula-in-input", ["W_FORMULA_IN_INPUT"], _typed({cell("fund_state", 0): "=10+2,5"})),
    ("percent-over-100", ["E_PERCENT_OVER_100"], _typed({cell("value", II13): 160})),
    # IV.3 (2 posts by 2021) is the unit's alone; on the 2020 form
    (
        "done-below-target",
        ["W_VALUE_BELOW_TARGET"],
        _on_form(
            Period(2020), lambda: {cell("value", _ids(Period(2020)).index("IV.3"), Period(2020)): 1}
        ),
        Period(2020),
    ),
    ("co-executor-below-target", [], _typed({cell("value", II13): 40})),
    ("text-too-long", ["E_TEXT_TOO_LONG"], _typed({cell("proposals", 0): "пропозиція " * 400})),
    ("control-character", ["W_CONTROL_CHAR_STRIPPED"], _then(_control_character)),
    (
        "row-inserted",
        ["E_ROW_ADDED"],
        _typed(
            {(SHEET, a1(LAY.data_row(2), LAY.col("done"))): "Додатковий захід"},
            ops=(Unprotect(SHEET), InsertRow(SHEET, LAY.data_row(2) + 1)),
        ),
    ),
    (
        "row-deleted",
        ["E_ROW_REMOVED"],
        _typed({}, ops=(Unprotect(SHEET), DeleteRow(SHEET, LAY.last_data_row + 1))),
    ),
    ("rows-sorted", ["W_ROWS_REORDERED"], _then(_sorted_rows)),
    (
        "plan-text-edited",
        ["E_PLAN_TEXT_CHANGED"],
        _typed({cell("measure", 1): "Інший текст заходу"}, ops=(Unprotect(SHEET),)),
    ),
    (
        "sheet-renamed",
        ["W_SHEET_RENAMED"],
        _typed({}, ops=(RenameSheet(SHEET, "Звіт ТЦСО"),), sheet="Звіт ТЦСО"),
    ),
    ("column-inserted", ["W_COLUMNS_MOVED"], _then(_insert_column)),
    ("identity-properties-lost", ["W_IDENTITY_PARTIAL"], _then(_strip_properties)),
    ("identity-edited", ["E_IDENTITY_CONFLICT", "E_IDENTITY_TAMPERED"], _then(_edit_meta_unit)),
    ("wrong-period", ["E_WRONG_PERIOD"], _on_form(Period(2020), dict)),
    ("not-a-form", ["E_NOT_A_FORM"], _not_a_form),
    ("saved-as-ods", ["E_FORMAT_ODS"], _typed({}, fmt="ods")),
    ("saved-as-xls", ["E_FORMAT_XLS"], _typed({}, fmt="xls")),
]


def build(lo: LibreOffice, only: list[str] | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "form.xlsx"
        src.write_bytes(form_bytes())
        for name, codes, make, *when in CASES:
            if only and name not in only:
                continue
            folder = HERE / name
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            made = Path(tmp) / f"{name}.out"
            make(lo, src, made)
            (folder / "returned.xlsx").write_bytes(made.read_bytes())
            period = when[0] if when else PERIOD
            note = {"unit": UNIT, "period": str(period), "expected": sorted(codes)}
            (folder / "case.yaml").write_text(
                yaml.safe_dump(note, allow_unicode=True, sort_keys=False), encoding="utf-8"
            )


if __name__ == "__main__":
    import sys

    with LibreOffice() as office:
        build(office, sys.argv[1:] or None)
