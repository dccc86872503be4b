"""The two big tables: one row per measure, and the units × measures matrix."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

from toolkit.messages import Lang, t
from toolkit.report.cells import Sheet
from toolkit.report.labels import heading, status_label
from toolkit.report.model import Consolidated, MeasureRow, UnitAnswer
from toolkit.report.sheets_front import fund_title
from toolkit.report.status import COMBINED
from toolkit.report.styles import Styles
from toolkit.text import row_points, wrapped_lines


@dataclass(frozen=True)
class Col:
    title: str
    width: float
    kind: str  # text | wrap | int | number | money | flag | status
    get: Callable[[MeasureRow], Any]


def measure_columns(c: Consolidated, lang: Lang) -> list[Col]:
    yes = t("report.yes", lang)
    cols = [
        Col(t("report.col.measure_id", lang), 9, "text", lambda r: r.measure.id),
        Col(t("report.col.section", lang), 7, "text", lambda r: r.measure.section),
        Col(t("report.col.measure", lang), 45, "wrap", lambda r: r.measure.text),
        Col(t("report.col.deadline", lang), 14, "wrap", lambda r: r.measure.deadline.raw),
        Col(t("report.col.executors", lang), 10, "int", lambda r: r.expected),
        Col(t("report.col.reported", lang), 10, "int", lambda r: r.reported),
        Col(t("report.col.combined", lang), 14, "status", lambda r: r.combined),
        Col(t("report.col.partial", lang), 12, "flag", lambda r: yes if r.partial else ""),
        Col(t("report.col.overdue", lang), 13, "flag", lambda r: yes if r.overdue else ""),
        Col(t("report.col.carried", lang), 12, "flag", lambda r: yes if r.carried else ""),
        Col(t("report.col.lost", lang), 12, "int", lambda r: r.lost),
        Col(t("report.col.statuses", lang), 40, "wrap", lambda r: _statuses(r, lang)),
    ]
    for i, key in enumerate(c.text_keys):
        title = c.definition.column(key).header.text(lang)
        # The first narrative («what was done») is the longest: a wide column keeps rows low.
        cols.append(Col(title, 80 if i == 0 else 45, "wrap", _text_of(key)))
    cols += [
        Col(t("report.col.indicator", lang), 30, "wrap", lambda r: r.measure.indicator.raw),
        Col(t("report.col.target", lang), 10, "number", lambda r: r.target),
        Col(
            t("report.col.target_unit", lang), 12, "text", lambda r: r.measure.indicator.unit or ""
        ),
        Col(t("report.col.value", lang), 11, "number", lambda r: r.value),
        Col(
            t("report.col.value_rule", lang),
            10,
            "text",
            lambda r: t(f"report.rule.{r.value_rule}", lang),
        ),
        Col(t("report.col.cumulative", lang), 13, "number", lambda r: r.cumulative),
    ]
    for key in c.fund_keys:
        cols.append(Col(fund_title(c.definition, key, lang), 12, "money", _fund_of(key)))
    cols.append(
        Col(
            t("report.col.funds_total", lang),
            12,
            "money",
            lambda r: math.fsum(r.funds.values()) if r.funds else None,
        )
    )
    return cols


def _text_of(key: str) -> Callable[[MeasureRow], Any]:
    return lambda r: r.texts.get(key, "")


def _fund_of(key: str) -> Callable[[MeasureRow], Any]:
    return lambda r: r.funds.get(key)


def _statuses(r: MeasureRow, lang: Lang) -> str:
    return "; ".join(f"{a.short}: {status_label(a.status, lang)}" for a in r.answers)


def measures_sheet(wb: Workbook, c: Consolidated, st: Styles, lang: Lang) -> None:
    s = Sheet(wb.add_worksheet(t("report.sheet.measures", lang)), lang)
    cols = measure_columns(c, lang)
    s.row(0, [col.title for col in cols], st.header)
    s.ws.set_row(0, 60)
    s.columns([col.width for col in cols])
    # Each printed page of the wide table starts with the measure's number.
    s.page(heading(c, lang), landscape=True, header_rows=(0, 0), label_cols=1)
    for r, row in enumerate(c.rows, start=1):
        values = [col.get(row) for col in cols]
        for i, (col, value) in enumerate(zip(cols, values, strict=True)):
            _cell(s, r, i, col.kind, value, st, lang)
        s.ws.set_row(r, _height(cols, values))
    s.ws.freeze_panes(1, 3)
    s.ws.autofilter(0, 0, max(len(c.rows), 1), len(cols) - 1)


def _cell(s: Sheet, r: int, i: int, kind: str, value: Any, st: Styles, lang: Lang) -> None:
    numeric: dict[str, Format] = {"int": st.integer, "number": st.number, "money": st.money}
    if kind in numeric:
        s.number(r, i, value, numeric[kind])
    elif kind == "status":
        s.text(r, i, status_label(value, lang), st.status_for(value))
    elif kind == "flag":
        s.text(r, i, value, st.flag)
    else:
        s.text(r, i, value, st.text)


def _height(cols: list[Col], values: list[Any]) -> float:
    """Rows of a generated file do not grow to their wrapped text in every client: estimate
    the lines the longest text needs (about one character per unit of column width)."""
    lines = 1
    for col, value in zip(cols, values, strict=True):
        if col.kind == "wrap" and isinstance(value, str) and value:
            lines = max(lines, wrapped_lines(value, col.width))
    return row_points(lines)


def matrix_sheet(wb: Workbook, c: Consolidated, st: Styles, lang: Lang) -> None:
    """Units down, measures across; each cell the unit's own status, coloured. A blank
    cell: the unit is not an executor of that measure."""
    s = Sheet(wb.add_worksheet(t("report.sheet.matrix", lang)), lang)
    s.text(0, 0, t("report.matrix.legend", lang), st.label)
    for i, status in enumerate(COMBINED):
        s.text(0, 2 + i, status_label(status, lang), st.status_for(status, small=True))
    s.text(2, 0, t("report.col.unit_id", lang), st.header)
    s.text(2, 1, t("report.col.unit", lang), st.header)
    for j, row in enumerate(c.rows):
        s.text(2, 2 + j, row.measure.id, st.header)
    cells: dict[str, dict[int, UnitAnswer]] = {}
    for j, row in enumerate(c.rows):
        for a in row.answers:
            cells.setdefault(a.unit, {})[j] = a
    r = 3
    for unit in c.units:
        mine = cells.get(unit.unit)
        if not mine:
            continue
        s.text(r, 0, unit.unit, st.text)
        s.text(r, 1, unit.short, st.text)
        lines = wrapped_lines(unit.short, _MATRIX_WIDTHS[1])
        for j, a in sorted(mine.items()):
            label = status_label(a.status, lang)
            s.text(r, 2 + j, label, st.status_for(a.status, small=True))
            lines = max(lines, wrapped_lines(label, _MATRIX_WIDTHS[2]))
        s.ws.set_row(r, row_points(lines))
        r += 1
    s.columns([*_MATRIX_WIDTHS[:2], *[_MATRIX_WIDTHS[2]] * max(len(c.rows), len(COMBINED))])
    s.ws.set_row(0, row_points(2))
    # Units down the page, measures across: every page repeats the units' columns.
    s.page(heading(c, lang), landscape=True, header_rows=(0, 2), label_cols=2)
    s.ws.freeze_panes(3, 2)


_MATRIX_WIDTHS = (16, 26, 11)  # unit id, unit, each measure
