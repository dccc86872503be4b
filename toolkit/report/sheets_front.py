"""The sheets a reader meets first: the title sheet, the summary by section with its
charts, and the notes that say how the figures were obtained."""

from __future__ import annotations

import math
from datetime import date, datetime

from xlsxwriter.workbook import Workbook

from toolkit.forms.definition import FormDefinition
from toolkit.ledger.status_text import decision_text
from toolkit.messages import Lang, t
from toolkit.plan.model import Section
from toolkit.report.cells import Sheet, fit
from toolkit.report.labels import status_label
from toolkit.report.model import Consolidated, SectionSummary
from toolkit.report.notes import NOTES
from toolkit.report.status import COMBINED
from toolkit.report.styles import FILLS, Styles

SHEETS = ("title", "summary", "measures", "matrix", "missing", "warnings", "provenance", "notes")
_CHART_ROWS = 16  # a default chart (288 px) spans about 15 default rows


def day(d: date | datetime | None) -> str:
    return "" if d is None else d.strftime("%d.%m.%Y")


def moment(d: datetime | None) -> str:
    """A moment as the coordinator's clock shows it (the ledger keeps time zones)."""
    if d is None:
        return ""
    return (d.astimezone() if d.tzinfo is not None else d).strftime("%Y-%m-%d %H:%M")


def fund_title(definition: FormDefinition, key: str, lang: Lang) -> str:
    column = definition.column(key)
    unit = column.unit.text(lang) if column.unit else ""
    return f"{column.header.text(lang)}, {unit}" if unit else column.header.text(lang)


def title_sheet(wb: Workbook, c: Consolidated, st: Styles, lang: Lang, made_on: date) -> None:
    s = Sheet(wb.add_worksheet(t("report.sheet.title", lang)), lang)
    s.ws.set_column(0, 0, 40)
    s.ws.set_column(1, 1, 80)
    s.page(landscape=False, fit_width=True)
    s.text(0, 0, f"{t('report.title.heading', lang)} — {c.period.label(lang)}", st.title)
    d = c.plan.decision
    decision = t("report.title.decision_fmt", lang, kind=d.kind, date=day(d.date), number=d.number)
    facts: list[tuple[str, str]] = [
        ("report.title.plan", c.plan.title),
        ("report.title.issuer", c.plan.issuer),
        ("report.title.decision", decision),
        ("report.title.period", c.period.label(lang)),
        ("report.title.made_on", day(made_on)),
        ("report.title.due", day(c.due)),
    ]
    r = 2
    for key, value in facts:
        s.text(r, 0, t(key, lang), st.label)
        s.text(r, 1, value, st.wrap)
        s.ws.set_row(r, 15 * (len(value) // 90 + 1))
        r += 1
    r += 1
    for key, count in _counts(c):
        s.text(r, 0, t(key, lang), st.label)
        s.number(r, 1, count, st.count)
        r += 1
    r += 1
    s.text(r, 0, t("report.title.contents", lang), st.label)
    for i, name in enumerate(SHEETS[1:]):
        s.text(r + i, 1, t(f"report.sheet.{name}", lang), st.plain)


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
    s = Sheet(wb.add_worksheet(t("report.sheet.summary", lang)), lang)
    heads = [
        t("report.col.section", lang),
        t("report.col.section_title", lang),
        t("report.col.measures", lang),
    ]
    heads += [status_label(x, lang) for x in COMBINED]
    heads += [
        t("report.col.share_done", lang),
        t("report.col.overdue", lang),
        t("report.col.partial", lang),
    ]
    heads += [fund_title(c.definition, k, lang) for k in c.fund_keys]
    heads.append(t("report.col.funds_total", lang))
    s.row(0, heads, st.header)
    widths = [8, 50, 9, *[11] * len(COMBINED), 10, 11, 12, *[13] * len(c.fund_keys), 13]
    for i, w in enumerate(widths):
        s.ws.set_column(i, i, w)
    s.ws.set_row(0, 45)
    s.page(landscape=True, fit_width=True, header_rows=1)
    for i, sec in enumerate(c.sections, start=1):
        _summary_row(s, i, sec, c.fund_keys, st, total=False)
        s.ws.set_row(i, 14 * (len(sec.section.title) // 55 + 1))
    _summary_row(s, len(c.sections) + 1, _overall(c), c.fund_keys, st, total=True)
    s.ws.freeze_panes(1, 2)
    _charts(wb, s, c.sections, lang)


def _overall(c: Consolidated) -> SectionSummary:
    return SectionSummary(
        section=Section("", "", ""),
        measures=sum(x.measures for x in c.sections),
        by_status={k: sum(x.by_status.get(k, 0) for x in c.sections) for k in COMBINED},
        overdue=sum(x.overdue for x in c.sections),
        partial=sum(x.partial for x in c.sections),
        funds=dict(c.funds),
    )


def _summary_row(
    s: Sheet, r: int, sec: SectionSummary, keys: tuple[str, ...], st: Styles, *, total: bool
) -> None:
    label, integer, money, pct = (
        (st.total_label, st.total_int, st.total_money, st.total_percent)
        if total
        else (st.text, st.integer, st.money, st.percent)
    )
    s.text(r, 0, t("report.summary.total", s.lang) if total else sec.section.number, label)
    s.text(r, 1, "" if total else sec.section.title, label)
    s.number(r, 2, sec.measures, integer)
    for i, status in enumerate(COMBINED):
        s.number(r, 3 + i, sec.by_status.get(status, 0), integer)
    col = 3 + len(COMBINED)
    s.number(r, col, sec.share_done, pct)
    s.number(r, col + 1, sec.overdue, integer)
    s.number(r, col + 2, sec.partial, integer)
    for i, k in enumerate(keys):
        s.number(r, col + 3 + i, sec.funds.get(k, 0.0), money)
    s.number(r, col + 3 + len(keys), math.fsum(sec.funds.values()), money)


def _charts(wb: Workbook, s: Sheet, sections: tuple[SectionSummary, ...], lang: Lang) -> None:
    """One column chart per section: its measures by combined status. The chart reads the
    counts written in the table above (numbers we computed, never text from a unit)."""
    first = len(sections) + 4
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
                "data_labels": {"value": True},
            }
        )
        chart.set_title({"name": _chart_title(sec), "name_font": {"size": 10}})
        chart.set_legend({"none": True})
        top = max(sec.by_status.values(), default=0)
        chart.set_y_axis(
            {
                "min": 0,
                "major_unit": max(1, -(-top // 5)),
                "num_format": "0",
                "major_gridlines": {"visible": False},
            }
        )
        s.ws.insert_chart(
            first + (i // 2) * _CHART_ROWS,
            0 if i % 2 == 0 else 3,
            chart,
            {"x_offset": 5, "y_offset": 5},
        )


def _chart_title(sec: SectionSummary) -> str:
    # A chart title starting with "=" would be read as a reference: plan text never should.
    title = fit(f"{sec.section.number} {sec.section.title}").lstrip("=+-@ ")
    return title if len(title) <= 90 else title[:89] + "…"


def notes_sheet(wb: Workbook, c: Consolidated, st: Styles, lang: Lang) -> None:
    """The rules in words, then the coordinator's decisions of the period, if any."""
    s = Sheet(wb.add_worksheet(t("report.sheet.notes", lang)), lang)
    s.ws.set_column(0, 0, 32)
    s.ws.set_column(1, 1, 110)
    s.page(landscape=True, fit_width=True)
    notes = list(NOTES["en" if lang == "en" else "uk"])
    if c.decisions:
        body = "\n".join(decision_text(d, lang) for d in c.decisions)
        notes.append((t("report.notes.decisions", lang), body))
    for r, (head, body) in enumerate(notes):
        s.text(r, 0, head, st.label)
        s.text(r, 1, body, st.wrap)
        lines = body.count("\n") + len(body) // 100 + 2
        s.ws.set_row(r, min(409, 14 * lines))
