"""Council-style plan documents generated from a bundled plan, in the layouts Ukrainian
councils publish: the decision's text, a small table with its date and number, the
approval block, the title (in capitals or not), the plan table with its column-number
row, sections merged across or typed in cells of their own, Word's automatic numbering,
hierarchical numbers, executors merged down over the rows that share them or one per
paragraph, tracked changes, soft hyphens pasted from the web, the table continued after
«Продовження додатка» or nested in a layout table, the signature as the table's last
row; in Excel a cover sheet, merged ranges, dates typed as dates, numbers as numbers, a
hidden sheet and the signature under the table.

Each writer returns what the import must give: the plan's dictionary, changed only where
the layout itself prints something else (a hierarchical number, a date shown as
31.12.2024)."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Literal

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.table import Table as DocxTable

from toolkit.plan.deadlines import MONTHS
from toolkit.plan.model import Measure, Plan

HEADER = (
    "№ з/п",
    "Найменування завдання",
    "Найменування заходу",
    "Термін виконання",
    "Відповідальні виконавці",
    "Індикатори (показники) виконання",
)
CITED = (
    "Відповідно до статті 52 Закону України «Про місцеве самоврядування в Україні», на "
    "виконання розпорядження Кабінету Міністрів України від 9 серпня 2017 року № 526-р "
    "«Про Національну стратегію реформування системи інституційного догляду та виховання "
    "дітей на 2017-2026 роки», виконавчий комітет ВИРІШИВ:"
)
SIGNATURE = ("Секретар міської ради", "Юрій БУРЛАКА")
SOFT = "\u00ad"


@dataclass(frozen=True)
class Layout:
    name: str
    preamble: Literal["decree", "appendix"] = "decree"
    numbering: Literal["typed", "auto", "dotted", "roman-dotted", "paren-dotted"] = "typed"
    sections: Literal["merged", "split", "first", "word", "arabic", "arabic-split"] = "merged"
    merge_down: bool = False
    executors_lines: bool = False
    tracked: bool = False
    soft_hyphens: bool = False
    split_table: bool = False
    signature_row: bool = False
    nested: bool = False
    caps_title: bool = False
    heading_table: bool = True
    # Excel only
    cover_sheet: bool = False
    dates: bool = False
    numbers: bool = False
    hidden_sheet: bool = False
    signature_below: bool = False
    codes: frozenset[str] = field(default_factory=frozenset)  # issue codes it must raise


DOCX_LAYOUTS = (
    Layout("tidy"),
    Layout("auto-numbering", numbering="auto"),
    Layout("merged-down", merge_down=True),
    Layout("executors-per-line", executors_lines=True),
    Layout("tracked", tracked=True, codes=frozenset({"W_TRACKED_CHANGES"})),
    Layout("soft-hyphens", soft_hyphens=True),
    Layout("continued", split_table=True, codes=frozenset({"I_REPAIR_TABLES_JOINED"})),
    Layout("signature-row", signature_row=True, codes=frozenset({"I_REPAIR_TRAILER"})),
    Layout("nested", nested=True),
    Layout("caps-title", caps_title=True, codes=frozenset({"W_TITLE_CAPITALS"})),
    Layout("sections-split", sections="split"),
    Layout("sections-first-cell", sections="first"),
    Layout("sections-word", sections="word"),
    Layout("no-heading-table", heading_table=False),
    Layout(
        "everything",
        numbering="auto",
        merge_down=True,
        executors_lines=True,
        tracked=True,
        soft_hyphens=True,
        split_table=True,
        signature_row=True,
        nested=True,
        caps_title=True,
        sections="split",
        codes=frozenset({"W_TRACKED_CHANGES", "I_REPAIR_TRAILER", "W_TITLE_CAPITALS"}),
    ),
)
# Hierarchical numbers only make sense where measures sit directly in sections.
FLAT_LAYOUTS = (
    Layout("dotted", numbering="dotted"),
    Layout("roman-dotted", numbering="roman-dotted"),
    Layout("paren-dotted", numbering="paren-dotted", merge_down=True),
    Layout("arabic-sections", numbering="dotted", sections="arabic"),
    Layout("arabic-split-sections", numbering="dotted", sections="arabic-split"),
)
XLSX_LAYOUTS = (
    Layout("tidy"),
    Layout("cover-sheet", cover_sheet=True),
    Layout("merged", merge_down=True),
    Layout("dates-and-numbers", dates=True, numbers=True),
    Layout("hidden-sheet", hidden_sheet=True, codes=frozenset({"W_SHEET_HIDDEN"})),
    Layout("signature-below", signature_below=True, codes=frozenset({"I_REPAIR_TRAILER"})),
    Layout("sections-split", sections="split"),
    Layout("soft-hyphens", soft_hyphens=True, executors_lines=True),
    Layout(
        "everything",
        cover_sheet=True,
        merge_down=True,
        dates=True,
        numbers=True,
        hidden_sheet=True,
        signature_below=True,
        soft_hyphens=True,
        caps_title=True,
        codes=frozenset({"W_SHEET_HIDDEN", "I_REPAIR_TRAILER", "W_TITLE_CAPITALS"}),
    ),
)


def layouts_for(plan: Plan, kind: Literal["docx", "xlsx"]) -> tuple[Layout, ...]:
    if kind == "xlsx":
        return XLSX_LAYOUTS
    flat = not any(s.tasks for s in plan.sections)
    return DOCX_LAYOUTS + (FLAT_LAYOUTS if flat else ())


# --- what each row of the table says ------------------------------------------------------


@dataclass
class Line:
    kind: Literal["section", "heading", "row"]
    cells: list[str]
    measure: Measure | None = None
    task_first: bool = False


def expected(plan: Plan) -> dict[str, Any]:
    return plan.to_dict() | {"source": ""}


def table_lines(plan: Plan, layout: Layout, want: dict[str, Any]) -> list[Line]:
    """The rows of the plan table, and the expected plan changed where the layout
    prints numbers differently."""
    tasks = any(s.tasks for s in plan.sections)
    lines: list[Line] = []
    for ordinal, s in enumerate(plan.sections, start=1):
        lines.append(Line("section", _section_cells(s.number, s.title, ordinal, layout)))
        if layout.sections in ("arabic", "arabic-split"):
            _expect_section(want, s.id, number=f"{ordinal}.")
        for t in s.tasks:
            if layout.numbering == "auto":
                _expect_task(want, t.id, f"{t.id.rsplit('.', 1)[1]}.")
            for i, m in enumerate(t.measures):
                if layout.numbering == "auto":
                    _expect_measure(want, m.id, number=f"{m.id.rsplit('.', 1)[1]})")
                cells = [t.number if i == 0 else "", t.title if i == 0 else ""]
                cells += [f"{m.number} {m.text}", *_fields(m)]
                lines.append(Line("row", cells, m, task_first=i == 0))
        heading = None
        for m in s.measures:
            if m.heading and m.heading != heading:
                heading = m.heading
                lines.append(Line("heading", [heading]))
            number = _printed(m, ordinal, layout)
            if number != m.number:
                _expect_measure(want, m.id, number=number)
            cells = [number, m.text, *_fields(m)]
            lines.append(Line("row", [cells[0], "", *cells[1:]] if tasks else cells, m))
    return lines


def _section_cells(number: str, title: str, ordinal: int, layout: Layout) -> list[str]:
    if layout.sections == "split":
        return [number, title]
    if layout.sections == "word":
        return [f"Розділ {number} {title}"]
    if layout.sections == "arabic":
        return [f"{ordinal}. {title}"]
    if layout.sections == "arabic-split":
        return [f"{ordinal}.", title]
    return [f"{number} {title}"]


def _printed(m: Measure, ordinal: int, layout: Layout) -> str:
    n = m.id.rsplit(".", 1)[1]
    if layout.numbering == "auto":
        return f"{n}."  # what Word shows for the list "%1."
    if layout.numbering == "dotted":
        return f"{ordinal}.{n}."
    if layout.numbering == "roman-dotted":
        return f"{m.section}.{n}"
    if layout.numbering == "paren-dotted":
        return f"{ordinal}.{n})"
    return m.number


def _fields(m: Measure) -> list[str]:
    return [m.deadline.raw, m.executors.raw, m.indicator.raw]


def _expect_measure(want: dict[str, Any], mid: str, **values: Any) -> None:
    for s in want["sections"]:
        for m in s.get("measures", []) + [m for t in s.get("tasks", []) for m in t["measures"]]:
            if m["id"] == mid:
                for key, value in values.items():
                    if key == "deadline_raw":
                        m["deadline"]["raw"] = value
                    else:
                        m[key] = value


def _expect_section(want: dict[str, Any], sid: str, **values: Any) -> None:
    for s in want["sections"]:
        if s["id"] == sid:
            s.update(values)


def _expect_task(want: dict[str, Any], tid: str, number: str) -> None:
    _expect_task_numbers(want, {tid: number})


def _expect_task_numbers(want: dict[str, Any], printed: dict[str, str]) -> None:
    for s in want["sections"]:
        for t in s.get("tasks", []):
            t["number"] = printed.get(t["id"], t["number"])


def executor_lines(m: Measure) -> list[str]:
    """The executors one per line, where the plan's phrase is exactly its names."""
    phrases = [r.phrase for r in m.executors.refs]
    if len(phrases) > 1 and ", ".join(phrases) == m.executors.raw:
        return phrases
    return [m.executors.raw]


def soften(text: str) -> str:
    """Soft hyphens inside long words, a no-break space after short ones, as pasted."""
    text = re.sub(r"(\w{5})(\w{4,})", lambda g: g[1] + SOFT + g[2], text)
    return re.sub(r"\b(\w{1,2}) ", "\\1\u00a0", text)


def preamble_lines(plan: Plan, layout: Layout) -> list[str | tuple[str, ...]]:
    """Paragraphs before the table; a tuple is a row of a small layout table."""
    d = plan.decision
    dated = f"{d.date:%d.%m.%Y}"
    title = plan.title.upper() if layout.caps_title else plan.title
    approval = [
        "ЗАТВЕРДЖЕНО",
        f"{d.kind} {_body_of(plan)}",
        f"{dated} № {d.number}",
    ]
    if layout.preamble == "appendix":
        return [*approval, title]
    out: list[str | tuple[str, ...]] = [plan.issuer.upper(), " ".join(d.kind.upper())]
    if layout.heading_table:
        out.append((dated, "м. Глухів", f"№ {d.number}"))
    else:
        out.append(f"{d.date.day} {MONTHS[d.date.month - 1]} {d.date.year} р. № {d.number}")
    out += [
        "Про затвердження плану",
        CITED,
        f"1. Затвердити {plan.title} (далі – План), що додається.",
    ]
    for rule in (plan.reporting.executors, plan.reporting.coordinator):
        if rule and rule.raw:
            out.append(rule.raw)
    out += [f"{SIGNATURE[0]}\t\t\t{SIGNATURE[1]}", *approval, title]
    return out


def _body_of(plan: Plan) -> str:
    return (
        "виконавчого комітету міської ради"
        if plan.decision.kind == "рішення"
        else ("голови обласної державної адміністрації")
    )


# --- Word ---------------------------------------------------------------------------------

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
    text_col = 2 if tasks else 1
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


# --- Excel --------------------------------------------------------------------------------


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
    _expect_task_numbers(want, printed_tasks)
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
            _expect_measure(want, m.id, number=str(cells[0]))
    if layout.dates:
        day = _as_date(m.deadline.raw)
        if day is not None:
            cells[-3] = day
            _expect_measure(want, m.id, deadline_raw=f"{day:%d.%m.%Y}")
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


def variant(layout: Layout, **changes: Any) -> Layout:
    return replace(layout, **changes)


def deep(want: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(want)
