"""The plan back as a table (``zvit plan export``): .docx or .xlsx in the usual layout of a
Ukrainian plan of measures, preamble included, so that a coordinator can print what zvit
read and check it against the signed decision, or edit it in Word or Excel and import it
again to the same plan (tested both ways). Printed on A4 landscape, the column titles
repeated on every page.

The document is the plan's own text, in the plan's language whatever ``--lang`` says: its
column titles are the ones the importer recognises. No CSV: a cell that starts with "="
would be a formula in Excel, and the "'" that prevents it would not survive the way back."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Any

from toolkit.errors import UsageError
from toolkit.fsutil import XLSX_SAFE_OPTIONS, atomic_write_bytes
from toolkit.messages import DEFAULT_LANG, Lang
from toolkit.plan.deadlines import MONTHS
from toolkit.plan.model import Plan, Section
from toolkit.text import row_points, strip_control, wrapped_lines

PINNED = datetime(2000, 1, 1)  # the same plan gives the same bytes

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


# Widths (characters) of the columns, task column included; without tasks it is left out.
WIDTHS = (7, 32, 52, 18, 34, 42)
_DOCX_CM = (1.3, 4.2, 7.4, 2.6, 4.8, 5.9)  # the same proportions on A4 landscape


def export_plan(plan: Plan, path: Path, lang: Lang = DEFAULT_LANG) -> None:
    """Write the plan to ``path`` (.docx or .xlsx, by its suffix), atomically."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        data = _xlsx(plan)
    elif suffix == ".docx":
        data = _docx(plan)
    else:
        raise UsageError("plan.export.format", suffix=suffix or path.name)
    atomic_write_bytes(path, data)


def _columns(tasks: bool) -> list[int]:
    return list(range(len(HEADER))) if tasks else [c for c in range(len(HEADER)) if c != 1]


def _xlsx(plan: Plan) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, XLSX_SAFE_OPTIONS)
    wb.set_properties({"title": plan.title, "created": PINNED})
    ws = wb.add_worksheet("План")
    # Arial 10 as the forms: the row heights below are estimated for it
    base = {"font_name": "Arial", "font_size": 10, "text_wrap": True, "valign": "top"}
    plain = wb.add_format(base)
    wrap = wb.add_format(base | {"border": 1})
    bold = wb.add_format(base | {"bold": True, "border": 1, "bg_color": "#DDEBF7"})
    header, lines = table(plan)
    widths = [WIDTHS[c] for c in _columns(has_tasks(plan))]
    last = len(header) - 1
    for c, width in enumerate(widths):
        ws.set_column(c, c, width)
    pre = preamble(plan)
    for r, text in enumerate(pre):
        ws.merge_range(r, 0, r, last, _text(text), plain)
        ws.set_row(r, row_points(wrapped_lines(text, sum(widths))))
    top = len(pre) + 1
    for c, text in enumerate(header):
        ws.write_string(top, c, text, bold)
    ws.set_row(top, _height(header, widths))
    for r, (kind, cells) in enumerate(lines, start=top + 1):
        if kind in ("section", "heading"):
            ws.merge_range(r, 0, r, last, _text(cells[0]), bold)
            ws.set_row(r, row_points(wrapped_lines(cells[0], sum(widths))))
            continue
        for c, text in enumerate(cells):
            ws.write_string(r, c, _text(text), wrap)
        ws.set_row(r, _height(cells, widths))
    ws.repeat_rows(top)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.fit_to_pages(1, 0)  # every column on the page, as many pages down as it takes
    wb.close()
    return buf.getvalue()


def _height(texts: list[str], widths: list[int]) -> float:
    """Neither Excel nor LibreOffice grows a row to its wrapped text: the tallest cell's."""
    return max(row_points(wrapped_lines(x, w)) for x, w in zip(texts, widths, strict=True))


def _docx(plan: Plan) -> bytes:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)  # A4, not Letter
    section.left_margin = section.right_margin = Cm(1.5)
    section.top_margin = section.bottom_margin = Cm(1.5)
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(11)
    for text in preamble(plan):
        document.add_paragraph(_text(text))
    header, lines = table(plan)
    tbl = document.add_table(rows=1 + len(lines), cols=len(header))
    tbl.style = "Table Grid"
    tbl.autofit = False
    widths = [Cm(_DOCX_CM[c]) for c in _columns(has_tasks(plan))]
    for column, width in zip(tbl.columns, widths, strict=True):
        for cell in column.cells:
            cell.width = width  # Word reads the cells' widths, LibreOffice the grid's
        column.width = width
    rows = list(tbl.rows)  # indexing tbl.rows rebuilds the list each time
    _repeat_as_header(rows[0])
    for c, text in enumerate(header):
        rows[0].cells[c].text = text
    spans: list[tuple[int, int]] = []  # (first, last) row of each task
    for r, (kind, cells) in enumerate(lines, start=1):
        row_cells = rows[r].cells
        if kind in ("section", "heading"):
            merged = row_cells[0].merge(row_cells[len(header) - 1])
            merged.text = _text(cells[0])
            continue
        for c, text in enumerate(cells):
            if text:
                row_cells[c].text = _text(text)
        if kind == "task":
            spans.append((r, r))
        elif spans and spans[-1][1] == r - 1 and len(header) == len(HEADER):
            spans[-1] = (spans[-1][0], r)
    for first, last in spans:
        if last > first:
            # A task spans its measures: its number and title cells are merged downwards.
            for c in (0, 1):
                tbl.cell(first, c).merge(tbl.cell(last, c))
    document.core_properties.created = PINNED
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _repeat_as_header(row: Any) -> None:
    """The column titles again at the top of every printed page (Word's "repeat as header
    row"; python-docx has no call for it)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _text(text: str) -> str:
    """Characters a document cannot hold are left out (python-docx refuses them)."""
    return strip_control(text)
