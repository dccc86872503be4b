"""The plan back as a table (``zvit plan export``): .xlsx, .docx or .csv in the usual
layout of a Ukrainian plan of measures, preamble included, so that it can be printed,
edited in Word or Excel, and imported again to the same plan."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

from toolkit.fsutil import XLSX_SAFE_OPTIONS, atomic_write_bytes
from toolkit.plan.deadlines import MONTHS
from toolkit.plan.model import Plan, Section

HEADER = (
    "№ з/п",
    "Найменування завдання",
    "Найменування заходу",
    "Термін виконання",
    "Виконавці",
    "Індикатори (показники) виконання",
)
Line = tuple[str, list[str]]  # (kind: section | heading | task | row, cells)


def preamble(plan: Plan) -> list[str]:
    d = plan.decision
    lines = [
        plan.issuer.upper(),
        d.kind.upper(),
        f"{d.date.day} {MONTHS[d.date.month - 1]} {d.date.year} р. № {d.number}",
    ]
    for rule in (plan.reporting.executors, plan.reporting.coordinator):
        if rule and rule.raw:
            lines.append(rule.raw)
    lines.append(plan.title)
    return lines


def has_tasks(plan: Plan) -> bool:
    return any(s.tasks for s in plan.sections)


def table(plan: Plan) -> tuple[list[str], list[Line]]:
    """Column titles and the rows below them, in plan order."""
    tasks = has_tasks(plan)
    header = list(HEADER) if tasks else [h for h in HEADER if h != HEADER[1]]
    lines: list[Line] = []
    for s in plan.sections:
        lines.append(("section", [f"{s.number} {s.title}"]))
        lines.extend(_section_rows(s, tasks))
    return header, lines


def _section_rows(s: Section, tasks: bool) -> list[Line]:
    out: list[Line] = []
    for t in s.tasks:
        for i, m in enumerate(t.measures):
            first = i == 0
            out.append(
                (
                    "task" if first else "row",
                    [
                        t.number if first else "",
                        t.title if first else "",
                        f"{m.number} {m.text}",
                        m.deadline.raw,
                        m.executors.raw,
                        m.indicator.raw,
                    ],
                )
            )
    heading = None
    for m in s.measures:
        if m.heading and m.heading != heading:
            heading = m.heading
            out.append(("heading", [heading]))
        cells = [m.number, m.text, m.deadline.raw, m.executors.raw, m.indicator.raw]
        out.append(("row", [*cells[:1], "", *cells[1:]] if tasks else cells))
    return out


def export_plan(plan: Plan, path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        data = _xlsx(plan)
    elif suffix == ".docx":
        data = _docx(plan)
    elif suffix == ".csv":
        data = _csv(plan)
    else:
        raise ValueError(f"unsupported export format {suffix}")
    atomic_write_bytes(path, data)


def _csv(plan: Plan) -> bytes:
    header, lines = table(plan)
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    for text in preamble(plan):
        w.writerow([text])
    w.writerow(header)
    for _kind, cells in lines:
        w.writerow(cells)
    # A byte-order mark lets Excel open the Cyrillic text correctly.
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _xlsx(plan: Plan) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, XLSX_SAFE_OPTIONS)
    wb.set_properties({"title": plan.title, "created": datetime(2000, 1, 1)})
    ws = wb.add_worksheet("План")
    wrap = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
    bold = wb.add_format({"bold": True, "text_wrap": True, "border": 1, "bg_color": "#DDEBF7"})
    header, lines = table(plan)
    pre = preamble(plan)
    for r, text in enumerate(pre):
        ws.write_string(r, 0, text)
    top = len(pre) + 1
    for c, text in enumerate(header):
        ws.write_string(top, c, text, bold)
    ws.set_column(0, 0, 8)
    ws.set_column(1, len(header) - 1, 40)
    for r, (kind, cells) in enumerate(lines, start=top + 1):
        if kind in ("section", "heading"):
            ws.merge_range(r, 0, r, len(header) - 1, cells[0], bold)
        else:
            for c, text in enumerate(cells):
                ws.write_string(r, c, text, wrap)
    ws.repeat_rows(top)
    wb.close()
    return buf.getvalue()


def _docx(plan: Plan) -> bytes:
    import docx

    document = docx.Document()
    for text in preamble(plan):
        document.add_paragraph(text)
    header, lines = table(plan)
    tbl = document.add_table(rows=1 + len(lines), cols=len(header))
    tbl.style = "Table Grid"
    rows = list(tbl.rows)  # indexing tbl.rows rebuilds the list each time
    for c, text in enumerate(header):
        rows[0].cells[c].text = text
    spans: list[tuple[int, int]] = []  # (first, last) row of each task
    for r, (kind, cells) in enumerate(lines, start=1):
        row_cells = rows[r].cells
        if kind in ("section", "heading"):
            merged = row_cells[0].merge(row_cells[len(header) - 1])
            merged.text = cells[0]
            continue
        for c, text in enumerate(cells):
            if text:
                row_cells[c].text = text
        if kind == "task":
            spans.append((r, r))
        elif spans and spans[-1][1] == r - 1 and len(header) == len(HEADER):
            spans[-1] = (spans[-1][0], r)
    for first, last in spans:
        if last > first:
            # A task spans its measures: its number and title cells are merged downwards.
            for c in (0, 1):
                tbl.cell(first, c).merge(tbl.cell(last, c))
    document.core_properties.created = datetime(2000, 1, 1)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
