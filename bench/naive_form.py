"""The baseline the benchmark compares against: the same form written the
straightforward way, cell by cell with openpyxl, one file after another."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from toolkit.cellref import sheet_range
from toolkit.forms import layout as L
from toolkit.forms.spec import FormSpec

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_GREY = PatternFill("solid", fgColor="F2F2F2")


def write_naive(spec: FormSpec, path: Path) -> None:
    d = spec.definition
    lay = L.Layout(d, len(spec.rows))
    wb = Workbook()
    info = wb.active
    assert info is not None
    info.title = d.sheet("instructions")
    for r, line in enumerate(d.instructions.uk.splitlines(), start=1):
        info.cell(r, 1, line)
    ws = wb.create_sheet(d.sheet("report"))
    lists = wb.create_sheet(d.sheet("lists"))
    meta = wb.create_sheet(d.sheet("meta"))
    ws.cell(1, 1, f"{d.title.uk} за {spec.period.label()}").font = Font(bold=True, size=13)
    ws.cell(2, 1, spec.plan_title)
    for field in d.header:
        r = lay.header_row(field.key) + 1
        ws.cell(r, 1, field.label.uk).font = Font(bold=True)
        value = ws.cell(r, 4, spec.unit.name if field.prefill == "unit_name" else "")
        value.protection = Protection(locked=bool(field.prefill))
    for c, column in enumerate(d.columns, start=1):
        head = ws.cell(lay.table_top + 2, c, column.header.uk)
        head.font, head.border = Font(bold=True), _BORDER
    status = d.column("status")
    for r, choice in enumerate(status.choices, start=2):
        lists.cell(r, 1, choice)
    for i, row in enumerate(spec.rows):
        r = lay.data_row(i) + 1
        m = row.measure
        values = {
            "measure_id": m.id,
            "measure": m.text,
            "deadline": m.deadline.raw,
            "indicator": m.indicator.raw,
            "target": m.indicator.target,
            "target_unit": m.indicator.unit,
        }
        for c, column in enumerate(d.columns, start=1):
            cell = ws.cell(r, c, values.get(column.key) if not column.is_input else None)
            cell.border = _BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if column.is_input:
                cell.protection = Protection(locked=False)
            else:
                cell.fill = _GREY
    dv = DataValidation(type="list", formula1=f"={sheet_range(lists.title, 1, 0, 5, 0)}")
    dv.add(f"H{lay.first_data_row + 1}:H{lay.last_data_row + 1}")
    ws.add_data_validation(dv)
    ws.protection.sheet = True
    for r, (key, value) in enumerate(spec.identity.fields().items(), start=2):
        meta.cell(r, 1, key)
        meta.cell(r, 2, value)
        wb.custom_doc_props.append(StringProperty(name=f"zvit.{key}", value=value))
    wb.defined_names[L.NAME_FORM_ID] = DefinedName(
        L.NAME_FORM_ID, attr_text=f'"{spec.identity.form_id}"'
    )
    lists.sheet_state = meta.sheet_state = "hidden"
    wb.save(path)
