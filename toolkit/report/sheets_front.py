"""The sheets a reader meets first: the title sheet, the summary by section with its
charts, and the notes that say how the figures were obtained."""

from __future__ import annotations

import math
from datetime import date

from xlsxwriter.workbook import Workbook

from toolkit.forms.definition import FormDefinition
from toolkit.ledger.status_text import decision_text
from toolkit.messages import Lang, t
from toolkit.plan.model import Section
from toolkit.report.cells import Sheet, fit
from toolkit.report.labels import day, heading, status_label
from toolkit.report.model import Consolidated, SectionSummary
from toolkit.report.notes import notes
from toolkit.report.sheets_changes import amendment_text
from toolkit.report.status import COMBINED
from toolkit.report.styles import FILLS, Styles
from toolkit.text import wrapped_lines
from toolkit.workspace import ReportSettings

SHEETS = ("title", "summary", "measures", "matrix", "missing", "warnings", "provenance", "notes")
_CHART_ROWS = 16  # a default chart (288 px) spans about 15 default rows


def fund_title(definition: FormDefinition, key: str, lang: Lang) -> str:
    column = definition.column(key)
    unit = column.unit.text(lang) if column.unit else ""
    return f"{column.header.text(lang)}, {unit}" if unit else column.header.text(lang)


def title_sheet(
    wb: Workbook,
    c: Consolidated,
    st: Styles,
    lang: Lang,
    made_on: date,
    people: ReportSettings | None = None,
) -> None:
    s = Sheet(wb.add_worksheet(t("report.sheet.title", lang)), lang)
    s.columns(_TITLE_WIDTHS)
    s.page(heading(c, lang), landscape=False)
    s.merged(0, 0, 2, heading(c, lang), st.title)
    s.ws.set_row(0, _height(heading(c, lang), sum(_TITLE_WIDTHS), lines_of=20))
    d = c.plan.decision
    decision = d.label(lang, day(d.date))
    facts: list[tuple[str, str]] = [
        ("report.title.plan", c.plan.title),
        ("report.title.issuer", c.plan.issuer),
        ("report.title.decision", decision),
        ("report.title.period", c.period.label(lang)),
        ("report.title.made_on", day(made_on)),
        ("report.title.due", day(c.due)),
    ]
    if c.amendment is not None:  # a plan never amended: the title sheet as it always was
        facts.insert(3, ("revisions.report.revision", amendment_text(c.amendment, lang)))
    r = 2
    for key, value in facts:
        s.text(r, 0, t(key, lang), st.label)
        s.merged(r, 1, 2, value, st.wrap)
        s.ws.set_row(r, max(_height(t(key, lang), _TITLE_WIDTHS[0]), _height(value, 56)))
        r += 1
    r += 1
    for key, count in _counts(c):
        s.text(r, 0, t(key, lang), st.label)
        s.number(r, 1, count, st.count)
        s.ws.set_row(r, _height(t(key, lang), _TITLE_WIDTHS[0]))
        r += 1
    r += 1
    s.text(r, 0, t("report.title.contents", lang), st.label)
    names = [t(f"report.sheet.{name}", lang) for name in SHEETS[1:]]
    if c.amendment is not None and c.amendment.changes:
        names.insert(-1, t("revisions.report.sheet", lang))
    for i, name in enumerate(names):
        s.text(r + i, 1, name, st.plain)
    signature_block(s, r + len(names) + 1, st, people or ReportSettings())


_TITLE_WIDTHS = (36, 25, 25)


def signature_block(s: Sheet, r: int, st: Styles, people: ReportSettings) -> int:
    """«Посада ____ (підпис) Ім'я ПРІЗВИЩЕ» and «Виконавець, телефон» lines to sign on
    paper, filled from ``[report]`` of zvit.toml where given; returns the next free row."""
    lang = s.lang
    position = people.signer_position or t("print.sign.head", lang)
    s.text(r, 0, position, st.label)
    s.ws.set_row(r, max(_height(position, _TITLE_WIDTHS[0]), 30))
    s.text(r, 1, "", st.sign_line)
    s.text(r, 2, people.signer_name, st.sign_line)
    s.text(r + 1, 1, t("print.sign.signature", lang), st.caption)
    s.text(r + 1, 2, "" if people.signer_name else t("print.sign.name", lang), st.caption)
    s.text(r + 3, 0, t("print.sign.executor", lang), st.label)
    s.ws.set_row(r + 3, 30)
    s.merged(r + 3, 1, 2, people.executor, st.sign_line)
    if not people.executor:
        s.merged(r + 4, 1, 2, t("print.sign.executor_hint", lang), st.caption)
    return r + 5


def _height(text: str, width: float, lines_of: float = 13.0) -> float:
    """Rows of a generated file do not grow to their wrapped text in every client:
    ``lines_of`` points a line (13 for the 10-point text, more for the title)."""
    return min(409.0, lines_of * wrapped_lines(text, width) + 3)


def _counts(c: Consolidated) -> list[tuple[str, int]]:
    counts = [
        ("report.title.expected", len(c.expected)),
        ("report.title.reported", len([u for u in c.expected if not u.missing])),
        ("report.title.late", len(c.late)),
        ("report.title.missing", len(c.missing)),
    ]
    if c.unexpected:
        counts.append(("report.title.unexpected", len(c.unexpected)))
    counts += [
        ("report.title.measures", len(c.rows)),
        ("report.title.carried", sum(1 for r in c.rows if r.carried)),
    ]
    return counts


def summary_sheet(wb: Workbook, c: Consolidated, st: Styles, lang: Lang) -> None:
    """Two tables one page wide, by section: the measures by combined status, then the
    funds; then a chart of each section, two to a row, on pages of their own."""
    s = Sheet(wb.add_worksheet(t("report.sheet.summary", lang)), lang)
    heads = [
        t("report.col.section", lang),
        t("report.col.section_title", lang),
        t("report.col.measures", lang),
        *(status_label(x, lang) for x in COMBINED),
        t("report.col.share_done", lang),
        t("report.col.overdue", lang),
        t("report.col.partial", lang),
    ]
    fund_heads = [heads[0], heads[1], *(fund_title(c.definition, k, lang) for k in c.fund_keys)]
    fund_heads.append(t("report.col.funds_total", lang))
    widths = [6, 40, 9, *[11] * len(COMBINED), 10, 11, 12]
    s.columns(widths + [13] * max(0, len(fund_heads) - len(widths)))
    n = len(c.sections)
    funds_top = n + 3
    for top, row in ((0, heads), (funds_top, fund_heads)):
        s.row(top, row, st.header)
        s.ws.set_row(top, 45)
    for i, sec in enumerate([*c.sections, _overall(c)], start=1):
        total = i > n
        _status_row(s, i, sec, st, total=total)
        _funds_row(s, funds_top + i, sec, c.fund_keys, st, total=total)
        for r in (i, funds_top + i):
            s.ws.set_row(r, _height(sec.section.title, 40))
    s.ws.freeze_panes(1, 2)
    s.page(heading(c, lang), landscape=True)
    charts_top = funds_top + n + 3
    # Each table starts a page (a header row cannot repeat for both), and charts are
    # never cut: a page break before them and after every two rows of them.
    chart_rows = -(-n // 2) * _CHART_ROWS
    breaks = range(charts_top, charts_top + chart_rows, 2 * _CHART_ROWS)
    s.ws.set_h_pagebreaks([funds_top, *breaks])
    _charts(wb, s, c.sections, lang, charts_top)


def _overall(c: Consolidated) -> SectionSummary:
    return SectionSummary(
        section=Section("", "", ""),
        measures=sum(x.measures for x in c.sections),
        by_status={k: sum(x.by_status.get(k, 0) for x in c.sections) for k in COMBINED},
        overdue=sum(x.overdue for x in c.sections),
        partial=sum(x.partial for x in c.sections),
        funds=dict(c.funds),
    )


def _labels(s: Sheet, r: int, sec: SectionSummary, st: Styles, *, total: bool) -> None:
    label = st.total_label if total else st.text
    s.text(r, 0, t("report.summary.total", s.lang) if total else sec.section.number, label)
    s.text(r, 1, "" if total else sec.section.title, label)


def _status_row(s: Sheet, r: int, sec: SectionSummary, st: Styles, *, total: bool) -> None:
    integer, pct = (st.total_int, st.total_percent) if total else (st.integer, st.percent)
    _labels(s, r, sec, st, total=total)
    s.number(r, 2, sec.measures, integer)
    for i, status in enumerate(COMBINED):
        s.number(r, 3 + i, sec.by_status.get(status, 0), integer)
    col = 3 + len(COMBINED)
    s.number(r, col, sec.share_done, pct)
    s.number(r, col + 1, sec.overdue, integer)
    s.number(r, col + 2, sec.partial, integer)


def _funds_row(
    s: Sheet, r: int, sec: SectionSummary, keys: tuple[str, ...], st: Styles, *, total: bool
) -> None:
    money = st.total_money if total else st.money
    _labels(s, r, sec, st, total=total)
    for i, k in enumerate(keys):
        s.number(r, 2 + i, sec.funds.get(k, 0.0), money)
    s.number(r, 2 + len(keys), math.fsum(sec.funds.values()), money)


def _charts(
    wb: Workbook, s: Sheet, sections: tuple[SectionSummary, ...], lang: Lang, first: int
) -> None:
    """One column chart per section: its measures by combined status. The chart reads the
    counts written in the table above (numbers we computed, never text from a unit)."""
    for i, sec in enumerate(sections):
        chart = wb.add_chart({"type": "column"})
        if chart is None:
            continue
        r = 1 + i
        chart.add_series(
            {
                "name": t("report.summary.chart", lang),
                "categories": [s.name, 0, 3, 0, 2 + len(COMBINED)],
                "values": [s.name, r, 3, r, 2 + len(COMBINED)],
                "points": [
                    {"fill": {"color": FILLS[x]}, "border": {"color": "#7F7F7F"}} for x in COMBINED
                ],
                "data_labels": {"value": True, "font": {"size": 10}},
            }
        )
        chart.set_title({"name": _chart_title(sec), "name_font": {"size": 10}})
        chart.set_legend({"none": True})
        chart.set_x_axis({"num_font": {"size": 10}})
        top = max(sec.by_status.values(), default=0)
        chart.set_y_axis(
            {
                "min": 0,
                "major_unit": max(1, -(-top // 5)),
                "num_format": "0",
                "num_font": {"size": 10},
                "major_gridlines": {"visible": False},
            }
        )
        # The second chart of a row starts past the first (480 px wide by default).
        s.ws.insert_chart(
            first + (i // 2) * _CHART_ROWS,
            0 if i % 2 == 0 else 4,
            chart,
            {"x_offset": 5, "y_offset": 5},
        )


def _chart_title(sec: SectionSummary) -> str:
    # A chart title starting with "=" would be read as a reference: plan text never should.
    title = fit(f"{sec.section.number} {sec.section.title}").lstrip("=+-@ ")
    return title if len(title) <= 90 else title[:89] + "…"


def notes_sheet(wb: Workbook, c: Consolidated, st: Styles, lang: Lang) -> None:
    """The rules the numbers follow; on an amended plan, its rules too; then the
    coordinator's decisions of the period, if any."""
    s = Sheet(wb.add_worksheet(t("report.sheet.notes", lang)), lang)
    s.columns([32, 110])
    s.page(heading(c, lang), landscape=True)
    shown = list(notes(lang))
    if c.amendment is not None:
        shown.append((t("revisions.report.note_title", lang), t("revisions.report.note", lang)))
    if c.decisions:
        body = "\n".join(decision_text(d, lang) for d in c.decisions)
        shown.append((t("report.notes.decisions", lang), body))
    for r, (head, body) in enumerate(shown):
        s.text(r, 0, head, st.label)
        s.text(r, 1, body, st.wrap)
        s.ws.set_row(r, max(_height(head, 32), _height(body, 110)))
