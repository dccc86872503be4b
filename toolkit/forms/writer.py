"""A FormSpec → the .xlsx bytes an executor fills (xlsxwriter).

Byte-stable: the document date is pinned and everything is written in a fixed order,
so the same inputs give the same file (the golden-file tests rely on it)."""

from __future__ import annotations

import io
from datetime import datetime
from functools import lru_cache
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from toolkit import __version__, paper
from toolkit.cellref import a1, quote_sheet, sheet_range
from toolkit.forms import layout as L
from toolkit.forms.definition import NUMERIC, Column
from toolkit.forms.spec import FormSpec, RowSpec
from toolkit.forms.styles import Styles
from toolkit.forms.validations import add_validations
from toolkit.fsutil import XLSX_SAFE_OPTIONS
from toolkit.messages import Lang, t
from toolkit.paper import DEFAULT_FONT
from toolkit.text import row_points, strip_control, wrapped_lines

PINNED_DATE = datetime(2000, 1, 1)


class _FormSheet(Worksheet):  # type: ignore[misc]
    """The report sheet, with xlsxwriter's preparation of a formula remembered. Preparing
    a data-validation formula runs some 150 regular expressions (Excel's newer functions
    get their prefixes); every form of a run has the same few formulas («a reason when the
    status asks for one»). Measured: 0.8 of 8.5 ms a form. The result is xlsxwriter's own,
    for the same arguments; only the repetition is saved."""

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        expand = expand_future_functions or bool(self.use_future_functions)
        return _prepared(formula, expand)


@lru_cache(maxsize=256)
def _prepared(formula: str, expand: bool) -> str:
    return str(Worksheet._prepare_formula(_PREPARER, formula, expand))


_PREPARER = Worksheet()  # a worksheet used only to call xlsxwriter's own preparation


def render_form(spec: FormSpec, lang: Lang = "uk") -> bytes:
    buf = io.BytesIO()
    # Arial 10 as the default font: column widths then print alike everywhere (toolkit.paper).
    wb = xlsxwriter.Workbook(
        buf, XLSX_SAFE_OPTIONS | {"default_format_properties": dict(DEFAULT_FONT)}
    )
    styles = Styles(wb)
    lay = L.Layout(spec.definition, len(spec.rows))
    _properties(wb, spec, lang)
    d = spec.definition
    instructions = wb.add_worksheet(d.sheet("instructions", lang))
    report = wb.add_worksheet(d.sheet("report", lang), worksheet_class=_FormSheet)
    lists = wb.add_worksheet(d.sheet("lists", lang))
    meta = wb.add_worksheet(d.sheet("meta", lang))
    _instructions(instructions, spec, styles, lang)
    _lists(wb, lists, spec, styles, lang)
    _report(wb, report, spec, lay, styles, lang)
    _meta(wb, meta, spec, lay, styles)
    report.activate()
    wb.close()
    return buf.getvalue()


def _properties(wb: Workbook, spec: FormSpec, lang: Lang) -> None:
    wb.set_properties(
        {
            "title": f"{spec.definition.title.text(lang)} — {spec.unit.short} — {spec.period}",
            "subject": spec.plan_title,
            "author": "zvit",
            "company": "",
            "comments": f"zvit {__version__}; {spec.identity.form_id}",
            "created": PINNED_DATE,
        }
    )
    for name, value in spec.identity.properties().items():
        wb.set_custom_property(name, value, "text")
    wb.define_name(L.NAME_FORM_ID, f'="{spec.identity.form_id}"')
    wb.define_name(L.NAME_CHECKSUM, f'="{spec.identity.checksum}"')


def _instructions(ws: Worksheet, spec: FormSpec, styles: Styles, lang: Lang) -> None:
    """One wrapped paragraph a row in a column as wide as a portrait page, so nothing is
    cut at the page's edge."""
    text = spec.definition.instructions.text(lang)
    text = text.format(
        period=spec.period.label(lang),
        report_sheet=spec.definition.sheet("report", lang),
        due=f"{spec.due:%d.%m.%Y}" if spec.due else t("forms.instructions.due_unset", lang),
        reply_to=spec.reply_to or t("forms.instructions.reply_unset", lang),
    )
    ws.set_column(0, 0, L.INSTRUCTIONS_WIDTH)
    lines = text.strip().splitlines()
    ws.write_string(0, 0, lines[0], styles.title)
    ws.set_row(0, 20)
    for r, line in enumerate(lines[1:], start=1):
        ws.write_string(r, 0, line, styles.wrap)
        ws.set_row(r, _text_height(line, L.INSTRUCTIONS_WIDTH))
    form_id = t("forms.identifier", lang, form_id=spec.identity.form_id)
    ws.write_string(len(lines) + 1, 0, form_id, styles.small)
    title = f"{spec.definition.title.text(lang)} — {spec.unit.short} — {spec.period.label(lang)}"
    _page(ws, [L.INSTRUCTIONS_WIDTH], spec, title, lang, landscape=False)
    ws.protect("", {"select_locked_cells": True})
    ws.hide_gridlines(2)


def _lists(wb: Workbook, ws: Worksheet, spec: FormSpec, styles: Styles, lang: Lang) -> None:
    choice_columns = [c for c in spec.definition.input_columns if c.choices]
    for i, column in enumerate(choice_columns):
        ws.write_string(0, i, column.header.text(lang), styles.bold)
        for r, choice in enumerate(column.choices, start=1):
            ws.write_string(r, i, column.shown(choice, lang))
        ref = sheet_range(ws.name, 1, i, len(column.choices), i)
        wb.define_name(L.NAME_LIST_PREFIX + column.key, f"={ref}")
    ws.hide()
    ws.protect("")


def _report(
    wb: Workbook, ws: Worksheet, spec: FormSpec, lay: L.Layout, styles: Styles, lang: Lang
) -> None:
    d = spec.definition
    last = lay.last_col
    ws.merge_range(
        L.TITLE_ROW,
        L.BLOCK_FIRST_COL,
        L.TITLE_ROW,
        last,
        t("forms.title", lang, title=d.title.text(lang), period=spec.period.label(lang)),
        styles.title,
    )
    ws.merge_range(
        L.PLAN_ROW, L.BLOCK_FIRST_COL, L.PLAN_ROW, last, spec.plan_title, styles.subtitle
    )
    ws.set_row(L.PLAN_ROW, 30)
    _header_block(wb, ws, spec, lay, styles, lang)
    _table_header(ws, spec, lay, styles, lang)
    for i, row in enumerate(spec.rows):
        _data_row(ws, lay, i, row, spec, styles, lang)
    for c, column in enumerate(d.columns):
        ws.set_column(c, c, column.width)
    add_validations(wb, ws, spec, lay, lang)
    bottom = max(lay.last_data_row, lay.first_data_row)
    wb.define_name(L.NAME_TABLE, f"={sheet_range(ws.name, lay.table_top, 0, bottom, last)}")
    wb.define_name(L.NAME_IDS, f"={sheet_range(ws.name, lay.first_data_row, 0, bottom, 0)}")
    _signatures(ws, lay, styles, lang)
    wb.define_name(L.NAME_SIGN, f"={quote_sheet(ws.name)}!{a1(lay.sign_row, 0, True)}")
    ws.freeze_panes(lay.first_data_row, 2)
    _print_setup(ws, spec, lay, lang)
    ws.protect(
        "",
        {
            "format_columns": True,
            "format_rows": True,
            "select_locked_cells": True,
            "select_unlocked_cells": True,
        },
    )


def _header_block(
    wb: Workbook, ws: Worksheet, spec: FormSpec, lay: L.Layout, styles: Styles, lang: Lang
) -> None:
    prefills = {
        "unit_name": spec.unit.name,
        "period_label": spec.period.label(lang),
        "plan_title": spec.plan_title,
    }
    for field in spec.definition.header:
        r = lay.header_row(field.key)
        ws.merge_range(r, L.LABEL_COLS[0], r, L.LABEL_COLS[1], field.label.text(lang), styles.label)
        value = prefills.get(field.prefill or "", "")
        style = styles.plan if field.prefill else styles.input_for(field.type)
        ws.merge_range(r, L.VALUE_COLS[0], r, L.VALUE_COLS[1], "", style)
        ws.write_string(r, L.VALUE_COLS[0], value, style)
        height = _text_height(value, _width(spec, *L.VALUE_COLS))
        if height > _text_height("", 1):  # a long unit name wraps: the row must grow with it
            ws.set_row(r, height)
        wb.define_name(
            L.NAME_HEADER_PREFIX + field.key,
            f"={quote_sheet(ws.name)}!{a1(r, L.VALUE_COLS[0], True)}",
        )


def _table_header(ws: Worksheet, spec: FormSpec, lay: L.Layout, styles: Styles, lang: Lang) -> None:
    top = lay.table_top
    columns = spec.definition.columns
    c = 0
    while c < len(columns):
        column = columns[c]
        if column.group is None:
            ws.merge_range(top, c, top + 1, c, _title(column, lang), styles.head)
            c += 1
            continue
        end = c
        while end + 1 < len(columns) and columns[end + 1].group == column.group:
            end += 1
        if end > c:
            ws.merge_range(top, c, top, end, column.group.text(lang), styles.head)
        else:
            ws.write_string(top, c, column.group.text(lang), styles.head)
        for k in range(c, end + 1):
            ws.write_string(top + 1, k, _title(columns[k], lang), styles.head)
        c = end + 1
    ws.set_row(top + 1, 45)


def _title(column: Column, lang: Lang) -> str:
    return column.header.text(lang)


def _data_row(
    ws: Worksheet, lay: L.Layout, i: int, row: RowSpec, spec: FormSpec, styles: Styles, lang: Lang
) -> None:
    r = lay.data_row(i)
    # Empty input cells take the row's format (unlocked, bordered): writing ~700 blank
    # cells a form one by one was a third of the generation time.
    ws.set_row(r, row_height(row, spec, lang), styles.input_for("text"))
    for c, column in enumerate(spec.definition.columns):
        if column.is_input:
            value = row.carried.get(column.key)
            if value is not None:
                _input_cell(ws, r, c, column, column.shown(value, lang), styles)
        else:
            _plan_cell(ws, r, c, column, row, spec, styles, lang)


def row_height(row: RowSpec, spec: FormSpec, lang: Lang) -> float:
    """Clients do not grow wrapped rows of a generated file by themselves: estimate the
    lines the longest plan text needs in its column (about one character per width unit)."""
    m = row.measure
    texts = {
        "measure.text": m.text,
        "measure.indicator": m.indicator.raw,
        "measure.deadline": m.deadline.raw,
        "row.note": row.note(spec.carried_from, lang),
    }
    height = _text_height("", 1)
    for column in spec.definition.plan_columns:
        height = max(height, _text_height(texts.get(column.source or "", ""), column.width))
    for key, value in row.carried.items():
        height = max(height, _text_height(str(value), spec.definition.column(key).width))
    return height


def _text_height(text: str, width: float) -> float:
    return row_points(wrapped_lines(text, width))


def _width(spec: FormSpec, first: int, last: int) -> float:
    columns = spec.definition.columns
    return sum(columns[c].width for c in range(first, min(last, len(columns) - 1) + 1))


def _plan_cell(
    ws: Worksheet,
    r: int,
    c: int,
    column: Column,
    row: RowSpec,
    spec: FormSpec,
    styles: Styles,
    lang: Lang,
) -> None:
    m = row.measure
    source = column.source
    if source == "measure.target":
        if m.indicator.target is None:
            ws.write_blank(r, c, None, styles.plan)
        else:
            ws.write_number(r, c, m.indicator.target, styles.plan)
        return
    values = {
        "measure.id": m.id,
        "measure.text": m.text,
        "measure.deadline": m.deadline.raw,
        "measure.indicator": m.indicator.raw,
        "measure.unit": m.indicator.unit or "",
        "row.note": row.note(spec.carried_from, lang),
    }
    style = styles.overdue if source == "row.note" and row.overdue else styles.plan
    ws.write_string(r, c, strip_control(values.get(source or "", "")), style)


def _input_cell(ws: Worksheet, r: int, c: int, column: Column, value: Any, styles: Styles) -> None:
    style = styles.carried_for(column.type)
    if column.type in NUMERIC and isinstance(value, int | float):
        ws.write_number(r, c, value, style)
    elif isinstance(value, datetime):
        ws.write_datetime(r, c, value, style)
    else:
        # Carried answers came from an untrusted file: always text, never a formula.
        ws.write_string(r, c, strip_control(str(value)), style)


def _print_setup(ws: Worksheet, spec: FormSpec, lay: L.Layout, lang: Lang) -> None:
    """Legible on A4 (``toolkit.paper``): pages across, each with the table's two header
    rows and the measure's number; the form, unit and period on top of every page."""
    widths = [c.width for c in spec.definition.columns]
    d = spec.definition
    title = f"{d.title.text(lang)} — {spec.unit.short} — {spec.period.label(lang)}"
    header_rows = (lay.table_top, lay.table_top + 1)
    _page(ws, widths, spec, title, lang, landscape=True, header_rows=header_rows, label_cols=1)
    # The measure rows carry a format across the whole row: without a print area a client
    # may print empty bordered columns past the table.
    ws.print_area(0, 0, lay.sign_row + L.SIGN_ROWS - 1, lay.last_col)


def _page(
    ws: Worksheet,
    widths: list[float],
    spec: FormSpec,
    title: str,
    lang: Lang,
    *,
    landscape: bool,
    header_rows: tuple[int, int] | None = None,
    label_cols: int = 0,
) -> paper.Fit:
    """The form's page: the form's id in the footer, beside the page numbers."""
    return paper.set_up_page(
        ws,
        widths,
        title=title,
        lang=lang,
        landscape=landscape,
        header_rows=header_rows,
        label_cols=label_cols,
        footer_left=spec.identity.form_id,
    )


def _signatures(ws: Worksheet, lay: L.Layout, styles: Styles, lang: Lang) -> None:
    """Lines to sign the printed form on, below the table: «Керівник ____ (ПІБ)» and
    «Виконавець, телефон». The reader stops the table at this block (``NAME_SIGN``), so
    whatever is written here is never read as a row of the report."""
    top = lay.sign_row
    first, last = L.SIGN_LABEL_COLS
    ws.merge_range(top, first, top, last, t("print.sign.head", lang), styles.sign_label)
    ws.write_blank(top, L.SIGN_LINE_COL, None, styles.sign_line)
    ws.write_blank(top, L.SIGN_NAME_COL, None, styles.sign_input)
    ws.write_string(top + 1, L.SIGN_LINE_COL, t("print.sign.signature", lang), styles.caption)
    ws.write_string(top + 1, L.SIGN_NAME_COL, t("print.sign.name", lang), styles.caption)
    r = top + 3
    ws.merge_range(r, first, r, last, t("print.sign.executor", lang), styles.sign_label)
    ws.merge_range(r, L.SIGN_LINE_COL, r, L.SIGN_NAME_COL, "", styles.sign_input)
    hint = t("print.sign.executor_hint", lang)
    ws.merge_range(r + 1, L.SIGN_LINE_COL, r + 1, L.SIGN_NAME_COL, hint, styles.caption)
    for row in (top, r):
        ws.set_row(row, 28)


def _meta(wb: Workbook, ws: Worksheet, spec: FormSpec, lay: L.Layout, styles: Styles) -> None:
    ident = spec.identity
    values = ident.fields() | {"checksum": ident.checksum}
    ws.write_string(0, 0, "zvit", styles.bold)
    ws.write_string(0, 1, __version__)
    for r, key in enumerate(L.META_KEYS, start=1):
        ws.write_string(r, 0, key)
        ws.write_string(r, 1, values[key])
    top = L.META_TABLE_TOP
    for c, title in enumerate(("measure_id", "row", "row_hash")):
        ws.write_string(top, c, title, styles.bold)
    for i, (mid, h) in enumerate(zip(ident.measure_ids, ident.row_hashes, strict=True)):
        ws.write_string(top + 1 + i, 0, mid)
        ws.write_string(top + 1 + i, 1, str(lay.data_row(i) + 1))
        ws.write_string(top + 1 + i, 2, h)
    wb.define_name(L.NAME_META, f"={sheet_range(ws.name, 0, 0, len(L.META_KEYS), 1)}")
    ws.set_column(0, 2, 24)
    ws.hide()
    ws.protect("")
