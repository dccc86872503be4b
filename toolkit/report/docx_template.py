"""The shipped Word template of the report document, ``templates/docx/report.docx``.

Built here with python-docx so that what it holds is reviewable as code; a coordinator
edits their workspace's copy in Word or LibreOffice (letterhead, fonts, extra paragraphs)
and ``toolkit.report.document`` renders whichever copy wins (``Workspace.template``).
Regenerate with ``uv run python -m toolkit.report.docx_template``; a test keeps it current.

Page and type by ДСТУ 4163-2020: A4; margins 30 mm left, 10 mm right, 20 mm top and
bottom; Times New Roman 14 for text, 12 in the table; page numbers centred at the top from
the second page on. Every word is a Jinja tag filled from the message catalog, so the same
template serves Ukrainian and English. Named paragraph styles («Адресат», «Текст звіту»,
«Таблиця»…) are what a coordinator restyles."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from toolkit.fsutil import atomic_write_bytes
from toolkit.report.document import TEMPLATE
from toolkit.resources import templates_dir

FONT = "Times New Roman"
TEXT_WIDTH_MM = 170  # A4 210 mm less 30 mm left and 10 mm right
COLUMNS_MM = (14, 42, 25, 29, 60)  # №, measure, deadline, executors, state
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def build_template() -> bytes:
    doc = Document()
    _page(doc)
    _styles(doc)
    body = doc.element.body
    for p in list(doc.paragraphs):
        body.remove(p._p)
    _para(doc, "Адресат", "{%p for line in addressee %}")
    _para(doc, "Адресат", "{{ line }}")
    _para(doc, "Адресат", "{%p endfor %}")
    _para(doc, "Реквізити", "{{ sender }}")
    _para(doc, "Реквізити", "{{ registration }}")
    _para(doc, "Заголовок до тексту", "{{ subject }}")
    _para(doc, "Текст звіту", "{{ intro }}")
    _para(doc, "Текст звіту", "{{ summary }}")
    _table(doc)
    _para(doc, "Текст звіту", "{{ missing_heading }}")
    _para(doc, "Перелік", "{%p for unit in missing %}")
    _para(doc, "Перелік", "{{ unit }}")
    _para(doc, "Перелік", "{%p endfor %}")
    _para(doc, "Підпис", "{{ signer_position }}\t{{ signer_name }}")
    _para(doc, "Підпис", "{{ signer_hint }}")
    _para(doc, "Виконавець", "{{ executor }}")
    core = doc.core_properties
    core.author = core.last_modified_by = "zvit"
    core.title = "zvit: звіт про стан виконання плану заходів"
    raw = io.BytesIO()
    doc.save(raw)
    return _repack(raw.getvalue())


def _page(doc: Any) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(10)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.header_distance = section.footer_distance = Mm(10)
    # Numbers from the second page: the first page's header is kept empty.
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    header._p.append(field)


def _styles(doc: Any) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    normal.element.rPr.rFonts.set(qn("w:cs"), FONT)
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), 1.0

    def add(name: str, *, size: int = 14, bold: bool = False) -> Any:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        style.font.size, style.font.bold = Pt(size), bold
        return style

    add("Адресат").paragraph_format.left_indent = Mm(95)
    add("Реквізити")
    title = add("Заголовок до тексту", bold=True)
    title.paragraph_format.space_before = title.paragraph_format.space_after = Pt(12)
    title.paragraph_format.right_indent = Mm(60)
    text = add("Текст звіту")
    text.paragraph_format.first_line_indent = Cm(1.25)
    text.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    text.paragraph_format.space_after = Pt(6)
    add("Перелік").paragraph_format.left_indent = Cm(1.25)
    add("Таблиця", size=12)
    add(
        "Таблиця: заголовок", size=12, bold=True
    ).paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add("Таблиця: розділ", size=12, bold=True)
    sign = add("Підпис")
    sign.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)
    sign.paragraph_format.space_before = Pt(24)
    add("Виконавець", size=12).paragraph_format.space_before = Pt(36)


def _para(doc: Any, style: str, text: str) -> None:
    doc.add_paragraph(text, style=style)


def _table(doc: Any) -> None:
    """Header row (repeated on each page), then per section a title row across the table
    and a row per measure; the Jinja row tags take rows of their own."""
    table = doc.add_table(rows=7, cols=5)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    heads = ("number", "measure", "deadline", "executors", "state")
    _row(table.rows[0], [f"{{{{ labels.{h} }}}}" for h in heads], "Таблиця: заголовок")
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    _row(table.rows[1], ["{%tr for section in sections %}"], "Таблиця")
    _row(table.rows[2], ["{{ section.title }}"], "Таблиця: розділ")
    _row(table.rows[3], ["{%tr for m in section.measures %}"], "Таблиця")
    cells = ["{{ m.number }}", "{{ m.text }}", "{{ m.deadline }}", "{{ m.executors }}"]
    _row(table.rows[4], cells, "Таблиця")
    _state_cell(table.rows[4].cells[4])
    _row(table.rows[5], ["{%tr endfor %}"], "Таблиця")
    _row(table.rows[6], ["{%tr endfor %}"], "Таблиця")
    for r in (1, 2, 3, 5, 6):
        row = table.rows[r]
        row.cells[0].merge(row.cells[4])
    # Fixed widths in the grid itself: LibreOffice lays a table out by its grid columns.
    table.autofit = False
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, COLUMNS_MM, strict=True):
        column.w = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, COLUMNS_MM, strict=False):
            cell.width = Mm(width)


def _row(row: Any, texts: list[str], style: str) -> None:
    for cell, text in zip(row.cells, texts, strict=False):
        p = cell.paragraphs[0]
        p.style = style
        p.text = text


def _state_cell(cell: Any) -> None:
    """The combined status in bold, then each executor's words with its short name."""
    first = cell.paragraphs[0]
    first.style = "Таблиця"
    first.add_run("{{ m.status }}").bold = True
    for text in ("{%p for note in m.notes %}", None, "{%p endfor %}"):
        p = cell.add_paragraph(style="Таблиця")
        if text is not None:
            p.add_run(text)
            continue
        p.add_run("{{ note.who }}").bold = True
        p.add_run("{{ note.text }}")


def _repack(data: bytes) -> bytes:
    """Fixed entry times and order, so the same code gives the same bytes."""
    out = io.BytesIO()
    with ZipFile(io.BytesIO(data)) as src, ZipFile(out, "w", ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = ZIP_DEFLATED
            entry.create_system = 0
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else templates_dir() / TEMPLATE
    atomic_write_bytes(target, build_template())
    print(target)
