"""The form prevents what the checks reject: an automated executor that reads only the
form — its data validations and which cells are unlocked, with openpyxl — fills every
form strictly within them, at their edges (the largest percentage, the longest text, the
last date allowed, every status of the list), and the returned file has no errors."""

from __future__ import annotations

import io
import itertools
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.cell.cell import MergedCell
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from toolkit.forms.make import FormRequest, make_forms
from toolkit.periods import Period
from toolkit.plan.io import load_plan, load_registry
from toolkit.validate.check import validate_bytes
from toolkit.validate.context import Context

ROOT = Path(__file__).resolve().parent.parent
PLANS = ("luhansk-2018-2026", "hlukhiv-2020-2026")
REPORT = "Звіт"


def _choices(wb: Any, source: str) -> list[str]:
    """The values a list validation offers: a defined name → a range of the lists sheet."""
    name = source.lstrip("=")
    target = wb.defined_names[name].attr_text if name in wb.defined_names else name
    sheet, ref = target.rsplit("!", 1)
    cells = wb[sheet.strip("'")][ref.replace("$", "")]
    return [str(c.value) for row in cells for c in row if c.value not in (None, "")]


def _value(dv: DataValidation, wb: Any, n: int) -> Any:
    """A value the validation allows, at its edge; ``n`` turns a list's choice."""
    low, high = dv.formula1, dv.formula2
    if dv.type == "list":
        choices = _choices(wb, str(low))
        return choices[n % len(choices)]
    if dv.type in ("decimal", "whole"):
        cast = float if dv.type == "decimal" else int
        if dv.operator in (None, "between"):
            return cast(float(high))
        if dv.operator == "greaterThanOrEqual":
            return cast(float(low)) + cast(1234.5 if dv.type == "decimal" else 1234)
    if dv.type == "date":
        last = date(1899, 12, 30).toordinal() + int(float(high or low))
        return datetime.fromordinal(last)
    if dv.type == "textLength":
        return ("Зроблено. " * 500)[: int(float(low))]
    if dv.type == "custom":  # a text the row asks for: any text satisfies it
        return "Причину наведено."
    raise AssertionError(f"a validation this executor cannot follow: {dv.type} {dv.operator}")


def _unlocked(ws: Worksheet, row: int, col: int) -> bool:
    cell = ws.cell(row, col)
    if isinstance(cell, MergedCell):
        return False
    if cell.has_style:
        return not cell.protection.locked
    dim = ws.row_dimensions.get(row)
    return dim is not None and bool(dim.customFormat) and not dim.protection.locked


def fill_within_validations(data: bytes) -> tuple[bytes, int]:
    """The executor: every cell a validation covers gets a value it allows; every other
    unlocked cell of the report sheet gets some text. Returns the file and how many
    validated cells it filled."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb[REPORT]
    done: set[tuple[int, int]] = set()
    turn = itertools.count()
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            for row, col in itertools.product(
                range(rng.min_row, rng.max_row + 1), range(rng.min_col, rng.max_col + 1)
            ):
                ws.cell(row, col).value = _value(dv, wb, next(turn) if col else 0)
                done.add((row, col))
    for row in range(1, ws.max_row + 1):
        for col in range(1, ws.max_column + 1):
            if (row, col) not in done and _unlocked(ws, row, col):
                ws.cell(row, col).value = "(044) 123-45-67"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), len(done)


@pytest.mark.slow  # fills every unit's form cell by cell: 5 s for Luhansk
@pytest.mark.parametrize("example", PLANS)
@pytest.mark.parametrize("period", ["2025", "2025-Q2"])
def test_every_form_filled_within_its_validations_has_no_errors(
    example: str, period: str, tmp_path: Path
) -> None:
    plan = load_plan(ROOT / "examples" / example / "plan.yaml")
    registry = load_registry(ROOT / "examples" / example / "units.yaml")
    when = Period.parse(period)
    forms = make_forms(plan, registry, FormRequest(when, tmp_path, jobs=1))
    assert forms
    ctx = Context(plan, registry, period=when)
    kinds: set[str] = set()
    for form in forms:
        data, filled = fill_within_validations(form.path.read_bytes())
        assert filled >= form.rows  # every row had validated cells
        result = validate_bytes(data, form.path.name, ctx)
        errors = [f"[{i.code}] {i.message()}" for i in result.issues if i.severity == "error"]
        assert not errors, (form.unit, errors[:5])
        assert result.accepted
        kinds.update(_kinds(form.path.read_bytes()))
    # the forms did hold percent rows, count rows and the formula for reasons
    assert {"decimal-between", "whole", "custom"} <= kinds or example.startswith("hlukhiv")


def _kinds(data: bytes) -> set[str]:
    ws = openpyxl.load_workbook(io.BytesIO(data))[REPORT]
    found = set()
    for dv in ws.data_validations.dataValidation:
        found.add(f"{dv.type}-{dv.operator or 'between'}" if dv.type == "decimal" else dv.type)
    return found


def test_the_reason_formula_refuses_an_empty_reason_when_not_done(tmp_path: Path) -> None:
    """The custom validation of «Причини невиконання» says, for its first row, that an
    empty reason is refused exactly when the status asks for one."""
    plan = load_plan(ROOT / "examples" / PLANS[0] / "plan.yaml")
    registry = load_registry(ROOT / "examples" / PLANS[0] / "units.yaml")
    [form] = make_forms(plan, registry, FormRequest(Period(2025), tmp_path, ("loda-media",)))
    ws = openpyxl.load_workbook(form.path)[REPORT]
    [custom] = [
        dv
        for dv in ws.data_validations.dataValidation
        if dv.type == "custom" and "Причини" in str(dv.error)
    ]
    assert not custom.allow_blank and "не виконано" in str(custom.error)
    formula = str(custom.formula1)
    assert '<>"не виконано"' in formula and '<>"не розпочато"' in formula
    assert "LEN(TRIM(" in formula and "<=4000" in formula
