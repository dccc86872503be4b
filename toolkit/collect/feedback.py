"""The feedback copy: the executor's own returned workbook, marked up and sent back.

A first sheet lists every issue (errors first) with a link to its cell; on the report
sheets each flagged cell gets a red or yellow fill and a note that explains it. The
original bytes are never touched — a new package is built from them.

Everything we write is untrusted text (messages quote what the executor typed), so it
goes in as plain strings only: never as a formula, never as an external link."""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from datetime import datetime
from io import BytesIO
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.writer.excel import ExcelWriter

from toolkit.cellref import a1, cell_index, quote_sheet
from toolkit.collect.feedback_print import legible, print_setup
from toolkit.issues import Issue, count_by_severity
from toolkit.messages import LANGS, Lang, messages, t
from toolkit.text import UNWRITABLE, clean_text, row_points, wrapped_lines

__all__ = ["FILLS", "PINNED_TIME", "feedback_workbook"]

FILLS = {"error": "FFC7CE", "warning": "FFEB9C"}
# A fixed timestamp keeps the output a pure function of its inputs (tests compare bytes).
PINNED_TIME = datetime(2000, 1, 1)
NOTE_MARK = "zvit:"  # first line of our notes; finds them again in a resubmitted copy
_RANK = {"error": 0, "warning": 1, "info": 2}
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_WIDTHS = (5, 10, 9, 9, 14, 46, 46, 22)  # one landscape page wide at a legible scale
_FONT = Font(name="Arial", size=10)  # the forms' font; openpyxl's default is Calibri
_BOLD = Font(name="Arial", size=10, bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")

_INTRO = ("checked", "marked", "link", "todo", "errors", "warnings")  # one line each
_COLUMNS = ("number", "sheet", "cell", "measure", "severity", "what", "fix", "code")
# how our remarks sheet begins, in any language: found again in a resubmitted copy
_TITLE_PREFIXES = tuple(messages()["feedback.title"][lang].split("{")[0] for lang in LANGS)

Target = tuple[str, str]  # (sheet title, normalised A1 coordinate)
Row = tuple[Issue, Target | None]


def feedback_workbook(
    original: bytes,
    issues: list[Issue],
    *,
    unit_name: str,
    period_label: str,
    form_id: str = "",
    lang: Lang = "uk",
) -> bytes:
    """The returned workbook with a summary sheet first and the flagged cells marked."""
    wb = _load(original)
    ranked = sorted(issues, key=lambda i: _RANK[i.severity])
    _drop_stale(wb)
    rows = [(i, _target(wb, i)) for i in ranked]
    _mark_cells(wb, rows, lang)
    legible(wb, {t[0] for _, t in rows if t}, lang)
    ws = wb.create_sheet(_free_name(wb, t("feedback.sheet", lang)), 0)
    _write_summary(ws, rows, lang, (unit_name, period_label, form_id))
    _activate(wb, ws)
    wb.properties.created = wb.properties.modified = PINNED_TIME
    return _save(wb)


def _load(original: bytes) -> Any:
    # The safety gate has already recorded openpyxl's warnings about this file (e.g.
    # "Data Validation extension is not supported"); here they would only be noise.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        wb = load_workbook(BytesIO(original), keep_vba=False, keep_links=False, rich_text=True)
    wb.template = False  # an .xltx/.xltm content type would not open as .xlsx
    # rich_text keeps bold/colour runs inside the executor's cells instead of flattening.
    return wb


def _put_text(cell: Any, text: str) -> Any:
    cell.value = clean_text(text)
    # openpyxl turns a leading "=" into a formula and "#N/A" into an error; force text.
    cell.data_type = "s"
    if cell.value[:1] in ("=", "+", "-", "@", "\t", "\r"):  # OWASP's formula triggers
        cell.quotePrefix = True  # stays text even if someone edits and re-enters it
    return cell


def _target(wb: Any, issue: Issue) -> Target | None:
    """Where the issue points, if that sheet exists and the cell is a real address."""
    sheet, cell = issue.where.sheet, issue.where.cell
    if not sheet or not cell or sheet not in wb.sheetnames:
        return None
    try:
        row, col = cell_index(cell.strip().upper())
    except ValueError:
        return None  # a range or garbage: listed in the summary, not marked
    return sheet, a1(row, col)


def _drop_stale(wb: Any) -> None:
    """A resubmitted feedback copy still carries our last summary and notes; they would
    mislead, so they go. A sheet is ours only if its title line is, not by name alone
    (an executor may keep notes on a sheet of their own called «Зауваження»)."""
    for ws in list(wb.worksheets):
        a1 = getattr(ws._cells.get((1, 1)), "value", None)  # ws["A1"] would create it
        if isinstance(a1, str) and a1.startswith(_TITLE_PREFIXES) and len(wb.worksheets) > 1:
            wb.remove(ws)
    for ws in wb.worksheets:
        for cell in list(ws._cells.values()):  # existing cells only; iter_rows creates them
            note = cell.comment
            if note is not None and note.text.startswith(NOTE_MARK):
                cell.comment = None
                if (cell.fill.fgColor.rgb or "")[-6:] in FILLS.values():
                    cell.fill = PatternFill(fill_type=None)


def _free_name(wb: Any, name: str) -> str:
    n, candidate = 1, name
    while candidate in wb.sheetnames:
        n += 1
        candidate = f"{name} ({n})"
    return candidate


def _mark_cells(wb: Any, rows: list[Row], lang: Lang) -> None:
    """Fill and annotate each flagged cell once, however many issues it has."""
    by_cell: dict[Target, list[Issue]] = {}
    bounds: dict[str, tuple[int, int]] = {}  # max_row/max_column scan every cell: once a sheet
    for issue, target in rows:
        if target and target[0] not in bounds:
            ws = wb[target[0]]
            bounds[target[0]] = (ws.max_row, ws.max_column)
        if target and issue.severity in FILLS and _inside(bounds[target[0]], target[1]):
            anchor = _anchor(wb[target[0]], target[1]).coordinate
            by_cell.setdefault((target[0], anchor), []).append(issue)
    for (sheet, coord), found in by_cell.items():
        cell = wb[sheet][coord]
        # Only the fill changes: value, number format, font, border and lock stay.
        cell.fill = PatternFill("solid", fgColor=FILLS[found[0].severity])
        cell.comment = _note(found, cell.comment, lang)


def _inside(bounds: tuple[int, int], coord: str) -> bool:
    """Marking a cell past the used range would grow the sheet with phantom rows."""
    row, col = cell_index(coord)
    return row < bounds[0] and col < bounds[1]


def _anchor(ws: Any, coord: str) -> Any:
    """The cell that holds a merged range's value, fill and note."""
    cell = ws[coord]
    if isinstance(cell, MergedCell):
        for merged in ws.merged_cells.ranges:
            if coord in merged:
                return ws.cell(merged.min_row, merged.min_col)
    return cell


def _note(found: list[Issue], existing: Comment | None, lang: Lang) -> Comment:
    lines = [NOTE_MARK] + [f"{_severity(i, lang)}: {_body(i, lang)}" for i in found]
    if existing is not None and existing.text:
        lines += ["", existing.text]  # the executor's own note stays, below ours
    text = clean_text("\n".join(lines))
    height = min(400, 40 + 15 * sum(1 + len(line) // 45 for line in lines))
    return Comment(text, "zvit", height=height, width=320)


def _body(issue: Issue, lang: Lang) -> str:
    return f"{_cap(issue.what(lang))} {issue.fix(lang)}".strip()


def _cap(text: str) -> str:
    """Catalog templates start in lower case, to follow a location in a message."""
    text = UNWRITABLE.sub("", text)  # first, or a leading "\x01" would take the capital
    return text[:1].upper() + text[1:]


def _severity(issue: Issue, lang: Lang) -> str:
    return _cap(t(f"issue.severity.{issue.severity}", lang))


def _write_summary(ws: Any, rows: list[Row], lang: Lang, heading: tuple[str, str, str]) -> None:
    unit, period, form_id = heading
    top = [t("feedback.title", lang, unit=unit, period=period)]
    if form_id:
        top.append(t("feedback.form", lang, form_id=form_id))
    counts = count_by_severity(i for i, _ in rows)
    # one short sentence a row: the lines spill right, no wrapping or merging needed
    top += [t(f"feedback.intro.{line}", lang) for line in _INTRO]
    top.append(t("feedback.counts", lang, **counts))
    for r, line in enumerate(top, start=1):
        _put_text(ws.cell(r, 1), line).font = _FONT
    ws.cell(1, 1).font = Font(name="Arial", size=13, bold=True)
    head_row = len(top) + 2
    _table(ws, head_row, rows, lang)
    for c, width in enumerate(_WIDTHS, start=1):
        ws.column_dimensions[ws.cell(1, c).column_letter].width = width
    ws.freeze_panes = ws.cell(head_row + 1, 1)
    ws.print_title_rows = f"{head_row}:{head_row}"
    print_setup(ws, list(_WIDTHS), top[0], lang, landscape=True)


def _table(ws: Any, head_row: int, rows: list[Row], lang: Lang) -> None:
    for c, title in enumerate((t(f"feedback.col.{c}", lang) for c in _COLUMNS), start=1):
        _put_text(ws.cell(head_row, c), title).font = _BOLD
    for n, (issue, target) in enumerate(rows, start=1):
        r = head_row + n
        ws.cell(r, 1, n)
        cells = [ws.cell(r, 1)]
        for c, text in enumerate(_row(issue, lang), start=2):
            cells.append(_put_text(ws.cell(r, c), text))
        for cell in cells:  # by index: ws[r] scans the sheet's width on every row
            cell.font, cell.alignment = _FONT, _WRAP
        ws.row_dimensions[r].height = _height(cells)
        if issue.severity in FILLS:
            ws.cell(r, 5).fill = PatternFill("solid", fgColor=FILLS[issue.severity])
        if target:
            _link(ws.cell(r, 3), target)


def _height(cells: Iterable[Any]) -> float:
    """Row height for the wrapped texts: neither Excel nor LibreOffice fits rows on
    opening a file, so an unset height would show one line of a long message."""
    lines = 1
    for cell, width in zip(cells, _WIDTHS, strict=False):
        lines = max(lines, wrapped_lines(str(cell.value or ""), width))
    return row_points(lines)


def _row(issue: Issue, lang: Lang) -> Iterable[str]:
    where = issue.where
    return (
        where.sheet or "",
        where.cell or "",
        where.measure or "",
        _severity(issue, lang),
        _cap(issue.what(lang)),
        issue.fix(lang),
        issue.code,
    )


def _link(cell: Any, target: Target) -> None:
    """An in-workbook jump: `location` only, so no relationship or URL is written."""
    sheet, coord = target
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"{quote_sheet(sheet)}!{coord}")
    cell.font = Font(name="Arial", size=10, color="0563C1", underline="single")


def _activate(wb: Any, summary: Any) -> None:
    # Several selected tabs would open as a group, and edits would hit all of them.
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws is summary
    wb.active = summary
    for view in wb.views:
        view.firstSheet = 0


def _save(wb: Any) -> bytes:
    raw = BytesIO()
    # ExcelWriter, not wb.save(): save() stamps "modified" with the current time.
    ExcelWriter(wb, ZipFile(raw, "w", ZIP_DEFLATED, allowZip64=True)).save()
    return _repack(raw.getvalue())


def _repack(data: bytes) -> bytes:
    """The same package with fixed entry timestamps, so equal inputs give equal bytes."""
    out = BytesIO()
    with ZipFile(BytesIO(data)) as src, ZipFile(out, "w", ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = ZIP_DEFLATED
            entry.create_system = 0  # the same bytes on Windows and POSIX
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()
