"""The council-style plan as a Word document (see councildocs): python-docx for the
body, its oxml for what python-docx has no API for (list numbering, tracked changes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.table import Table as DocxTable

from tests.support.councildocs import (
    HEADER,
    SIGNATURE,
    Layout,
    Line,
    executor_lines,
    expected,
    preamble_lines,
    soften,
    table_lines,
)
from toolkit.plan.model import Measure, Plan

_INS = 0


def write_docx(plan: Plan, layout: Layout, path: Path) -> dict[str, Any]:
    want = expected(plan)
    lines = table_lines(plan, layout, want)
    document = docx.Document()
    for para in preamble_lines(plan, layout):
        if isinstance(para, tuple):
            small = document.add_table(rows=1, cols=len(para))
            for cell, text in zip(small.rows[0].cells, para, strict=True):
                cell.text = text
        else:
            document.add_paragraph(para)
    header = (
        list(HEADER)
        if any(s.tasks for s in plan.sections)
        else [h for h in HEADER if h != HEADER[1]]
    )
    if layout.numbering == "in-text":
        header = header[1:]
    numbering = _Numbering(document) if layout.numbering == "auto" else None
    parts = [lines]
    if layout.split_table:
        cut = len(lines) * 3 // 5
        parts = [lines[:cut], lines[cut:]]
    for i, part in enumerate(parts):
        if i:
            document.add_paragraph("Продовження додатка")
        container = document
        if layout.nested:
            outer = document.add_table(rows=1, cols=1)
            container = outer.cell(0, 0)
        with_header = i == 0
        if layout.signature_row and i == len(parts) - 1:
            part = [*part, Line("row", [SIGNATURE[0], "", "", SIGNATURE[1]])]
        _docx_table(container, header, part, layout, numbering, with_header, want)
    document.save(str(path))
    return want


def _docx_table(
    container: Any,
    header: list[str],
    lines: list[Line],
    layout: Layout,
    numbering: _Numbering | None,
    with_header: bool,
    want: dict[str, Any],
) -> None:
    top = [header] if with_header else []
    top.append([str(i) for i in range(1, len(header) + 1)])
    table: DocxTable = container.add_table(rows=len(top) + len(lines), cols=len(header))
    table.style = "Table Grid"
    rows = list(table.rows)
    for r, cells in enumerate(top):
        for c, text in enumerate(cells):
            rows[r].cells[c].text = text
    width = len(header)
    for r, line in enumerate(lines, start=len(top)):
        row_cells = rows[r].cells
        if line.kind != "row":
            _docx_section(table, r, line, layout, width)
            continue
        _docx_row(row_cells, line, layout, numbering, width)
    if layout.merge_down:
        _merge_down(table, lines, len(top), width)


def _docx_section(table: DocxTable, r: int, line: Line, layout: Layout, width: int) -> None:
    cells = table.rows[r].cells
    if layout.sections in ("split", "first", "arabic-split"):
        for c, text in enumerate(line.cells):
            cells[c].text = text
        return
    merged = cells[0].merge(cells[width - 1])
    merged.text = line.cells[0]


def _docx_row(
    cells: Any, line: Line, layout: Layout, numbering: _Numbering | None, width: int
) -> None:
    m = line.measure
    values = list(line.cells)
    if m is None:  # the signature row
        first = cells[0].merge(cells[2])
        first.text = values[0]
        cells[width - 1].text = values[3]
        return
    tasks = width == 6
    text_col = width - 4  # the measure's text, then deadline, executors, indicator
    if layout.soft_hyphens:
        values[text_col] = soften(values[text_col])
        values[-2] = soften(values[-2])
    for c, value in enumerate(values):
        if c == text_col and (layout.tracked or (numbering and tasks)):
            continue
        if c == width - 2 and layout.executors_lines:
            paragraphs = executor_lines(m)
            cells[c].text = paragraphs[0]
            for more in paragraphs[1:]:
                cells[c].add_paragraph(more)
            continue
        if c == 0 and numbering is not None and value:
            numbering.number(cells[0].paragraphs[0], m, task=tasks)
            continue
        cells[c].text = value
    if layout.tracked or (numbering and tasks):
        text = values[text_col]
        paragraph = cells[text_col].paragraphs[0]
        if numbering and tasks:
            text = text.split(" ", 1)[1]
            numbering.measure(paragraph, m)
        _tracked_text(paragraph, text, layout.tracked and _every(m, 3))


def _every(m: Measure, n: int) -> bool:
    return int(m.id.rsplit(".", 1)[1]) % n == 1


def _tracked_text(paragraph: Any, text: str, tracked: bool) -> None:
    """The text, its second half as an unaccepted insertion after a deleted phrase."""
    global _INS
    if not tracked:
        paragraph.add_run(text)
        return
    words = text.split(" ")
    half = max(1, len(words) // 2)
    paragraph.add_run(" ".join(words[:half]) + (" " if len(words) > half else ""))
    _INS += 2
    stamp = 'w:author="Редактор" w:date="2021-03-01T10:00:00Z"'
    paragraph._p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="{_INS}" {stamp}><w:r>'
            '<w:delText xml:space="preserve">застарілі слова </w:delText></w:r></w:del>'
        )
    )
    if len(words) > half:
        ins = parse_xml(
            f'<w:ins {nsdecls("w")} w:id="{_INS + 1}" {stamp}><w:r><w:t/></w:r></w:ins>'
        )
        ins.find(qn("w:r")).find(qn("w:t")).text = " ".join(words[half:])
        paragraph._p.append(ins)


def _merge_down(table: DocxTable, lines: list[Line], top: int, width: int) -> None:
    """Deadline and executors cells merged down over consecutive rows that share them."""
    for col in (width - 3, width - 2):
        start = None
        for i in range(len(lines) + 1):
            same = (
                i < len(lines)
                and start is not None
                and lines[i].measure is not None
                and lines[start].measure is not None
                and lines[i].cells[col] == lines[start].cells[col]
            )
            if same:
                continue
            if start is not None and i - 1 > start:
                text = table.cell(top + start, col).text
                merged = table.cell(top + start, col).merge(table.cell(top + i - 1, col))
                merged.text = text
            start = i if i < len(lines) and lines[i].measure is not None else None


class _Numbering:
    """Word lists: the № column ("1.") and, in plans with tasks, "1)" opening each
    measure's text; each section (task) restarts its list, as Word's "Restart at 1"."""

    def __init__(self, document: Any) -> None:
        self.part = document.part.numbering_part.element
        for aid, text in ((901, "%1."), (902, "%1)")):
            self.part.insert(
                0,
                parse_xml(
                    f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{aid}"><w:lvl w:ilvl="0">'
                    f'<w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="{text}"/>'
                    "</w:lvl></w:abstractNum>"
                ),
            )
        self.next_id = 900
        self.lists: dict[tuple[int, str], int] = {}

    def _list(self, aid: int, container: str) -> int:
        key = (aid, container)
        if key not in self.lists:
            self.next_id += 1
            self.part.append(
                parse_xml(
                    f'<w:num {nsdecls("w")} w:numId="{self.next_id}">'
                    f'<w:abstractNumId w:val="{aid}"/>'
                    '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
                )
            )
            self.lists[key] = self.next_id
        return self.lists[key]

    def _apply(self, paragraph: Any, num_id: int) -> None:
        ppr = paragraph._p.get_or_add_pPr()
        ppr.append(
            parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'
            )
        )

    def number(self, paragraph: Any, m: Measure, task: bool) -> None:
        self._apply(paragraph, self._list(901, m.section))

    def measure(self, paragraph: Any, m: Measure) -> None:
        self._apply(paragraph, self._list(902, m.task or m.section))
