"""The council-style plan as an Excel workbook (see councildocs): a cover sheet, merged
ranges, dates and numbers typed as such, a hidden sheet, the signature under the table."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from tests.support.councildocs import (
    HEADER,
    SIGNATURE,
    Layout,
    Line,
    executor_lines,
    expect_measure,
    expect_task_numbers,
    expected,
    preamble_lines,
    soften,
    table_lines,
)
from toolkit.plan.deadlines import MONTHS
from toolkit.plan.model import Plan


def write_xlsx(plan: Plan, layout: Layout, path: Path) -> dict[str, Any]:
    from openpyxl import Workbook

    want = expected(plan)
    lines = table_lines(plan, layout, want)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    if layout.cover_sheet:
        ws.title = "Рішення"
        for para in preamble_lines(plan, layout):
            ws.append([" ".join(para)] if isinstance(para, tuple) else [para])
        ws = wb.create_sheet("Додаток")
    else:
        ws.title = "План"
        for para in preamble_lines(plan, layout):
            ws.append(list(para) if isinstance(para, tuple) else [para])
    tasks = any(s.tasks for s in plan.sections)
    header = list(HEADER) if tasks else [h for h in HEADER if h != HEADER[1]]
    ws.append(header)
    ws.append(list(range(1, len(header) + 1)))
    first = ws.max_row + 1
    printed_tasks: dict[str, str] = {}
    placed: list[tuple[int, Line]] = []
    for i, line in enumerate(lines):
        row = _xlsx_row(line, layout, tasks, want, printed_tasks)
        ws.append(row)
        r = ws.max_row
        if line.kind == "row":
            placed.append((r, line))
        if line.kind != "row" and layout.sections not in ("split", "arabic-split"):
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(header))
        if i and i % 40 == 0:
            ws.append(list(range(1, len(header) + 1)))  # the column numbers at a page break
    expect_task_numbers(want, printed_tasks)
    if layout.merge_down:
        _xlsx_merge_down(ws, placed, len(header))
    if layout.signature_below:
        ws.append([])
        ws.append([])
        ws.append(["", SIGNATURE[0], "", SIGNATURE[1]])
    ws.print_title_rows = f"{first - 2}:{first - 1}"
    if layout.hidden_sheet:
        old = wb.create_sheet("Старий план")
        old.append(header)
        old.append(["1.", "Скасований захід", "2019", "Відділ освіти", "—"])
        old.sheet_state = "hidden"
    wb.save(path)
    return want


def _xlsx_row(
    line: Line, layout: Layout, tasks: bool, want: dict[str, Any], printed_tasks: dict[str, str]
) -> list[Any]:
    cells: list[Any] = list(line.cells)
    if line.kind != "row":
        return cells
    m = line.measure
    assert m is not None
    text_col = 2 if tasks else 1
    if layout.soft_hyphens:
        cells[text_col] = soften(cells[text_col])
        cells[-2] = soften(cells[-2])
    if layout.executors_lines:
        cells[-2] = "\n".join(executor_lines(m))
    if layout.numbers and re.fullmatch(r"\d+\.", cells[0]):
        cells[0] = int(cells[0][:-1])
        if tasks and m.task:
            printed_tasks[m.task] = str(cells[0])
        else:
            expect_measure(want, m.id, number=str(cells[0]))
    if layout.dates:
        day = _as_date(m.deadline.raw)
        if day is not None:
            cells[-3] = day
            expect_measure(want, m.id, deadline_raw=f"{day:%d.%m.%Y}")
    return cells


def _as_date(raw: str) -> date | None:
    m = re.fullmatch(rf"до\s+(\d{{1,2}})\s+({'|'.join(MONTHS)})\s+(\d{{4}})", raw.strip(), re.I)
    return date(int(m[3]), MONTHS.index(m[2].lower()) + 1, int(m[1])) if m else None


def _xlsx_merge_down(ws: Any, placed: list[tuple[int, Line]], width: int) -> None:
    """Deadline and executors merged down over adjacent measure rows that share them."""
    for col in (width - 2, width - 1):
        run: list[int] = []
        for r, _line in [*placed, (-1, None)]:
            value = ws.cell(r, col).value if r > 0 else None
            if (
                run
                and r == run[-1] + 1
                and value not in (None, "")
                and value == ws.cell(run[0], col).value
            ):
                run.append(r)
                continue
            if len(run) > 1:
                ws.merge_cells(start_row=run[0], start_column=col, end_row=run[-1], end_column=col)
            run = [r] if r > 0 else []
