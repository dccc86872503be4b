"""Lists about the submissions: missing and late units, accepted warnings, provenance."""

from __future__ import annotations

from collections.abc import Sequence

from xlsxwriter.workbook import Workbook

from toolkit.issues import Issue, Location, catalog
from toolkit.ledger.status_text import pin_text, state_text
from toolkit.messages import Lang, t
from toolkit.report.cells import Sheet
from toolkit.report.model import AcceptedWarning, Consolidated, Provenance, UnitCoverage
from toolkit.report.sheets_front import moment
from toolkit.report.styles import Styles


def _table(s: Sheet, heads: Sequence[tuple[str, float]], st: Styles) -> None:
    s.row(0, [h for h, _ in heads], st.header)
    for i, (_, w) in enumerate(heads):
        s.ws.set_column(i, i, w)
    s.ws.set_row(0, 30)
    s.ws.freeze_panes(1, 0)
    s.page(landscape=True, fit_width=True, header_rows=1)


def missing_sheet(wb: Workbook, c: Consolidated, st: Styles, lang: Lang) -> None:
    s = Sheet(wb.add_worksheet(t("report.sheet.missing", lang)), lang)
    keys = (
        "report.col.state",
        "report.col.unit_id",
        "report.col.unit",
        "report.col.name",
        "report.col.measures",
        "report.col.submitted",
        "report.col.received",
        "report.col.emails",
        "report.col.person",
        "report.col.phone",
        "report.col.note",
    )
    widths = (14, 16, 28, 50, 9, 17, 17, 32, 28, 18, 36)
    _table(s, [(t(k, lang), w) for k, w in zip(keys, widths, strict=True)], st)
    listed = [(u, "missing") for u in c.missing] + [(u, "late") for u in c.late]
    if not listed:
        s.text(1, 0, t("report.missing.none", lang), st.plain)
        return
    for r, (u, state) in enumerate(listed, start=1):
        s.row(r, _unit_cells(u, state, lang), st.text)
        s.number(r, 4, u.measures, st.integer)


def _unit_cells(u: UnitCoverage, state: str, lang: Lang) -> list[object]:
    note = state_text(u.standing, lang) if u.standing is not None else ""
    return [
        t(f"report.state.{state}", lang),
        u.unit,
        u.short,
        u.name,
        u.measures,
        moment(u.late or u.submitted_at),
        moment(u.received_at),
        ", ".join(u.emails),
        u.person,
        u.phone,
        note,
    ]


def warnings_sheet(wb: Workbook, c: Consolidated, st: Styles, lang: Lang) -> None:
    s = Sheet(wb.add_worksheet(t("report.sheet.warnings", lang)), lang)
    keys = (
        "report.col.unit",
        "report.col.unit_id",
        "report.col.submission",
        "report.col.code",
        "report.col.severity",
        "report.col.measure_id",
        "report.col.sheet",
        "report.col.cell",
        "report.col.message",
    )
    widths = (28, 16, 9, 26, 13, 10, 12, 9, 90)
    _table(s, [(t(k, lang), w) for k, w in zip(keys, widths, strict=True)], st)
    if not c.warnings:
        s.text(1, 0, t("report.warnings.none", lang), st.plain)
        return
    shorts = {u.unit: u.short for u in c.units}
    for r, w in enumerate(c.warnings, start=1):
        severity = (
            t(f"report.severity.{w.severity}", lang)
            if w.severity in ("warning", "info")
            else w.severity
        )
        s.row(
            r,
            [
                shorts.get(w.unit, w.unit),
                w.unit,
                w.submission,
                w.code,
                severity,
                w.measure,
                w.sheet,
                w.cell,
                _message(w, lang),
            ],
            st.text,
        )


def _message(w: AcceptedWarning, lang: Lang) -> str:
    """The message the unit was given; in English, rendered again from the catalog."""
    if lang != "en" or w.code not in catalog():
        return w.message
    where = Location(sheet=w.sheet or None, cell=w.cell or None, measure=w.measure or None)
    return Issue(w.code, where, w.params).message("en")


def provenance_sheet(wb: Workbook, c: Consolidated, st: Styles, lang: Lang) -> None:
    """One line per submission used: its file, then the sheet column each answer was read
    from, then the sheet row of each measure. The cell of a value = its column × its row,
    e.g. «Державний бюджет» K and measure II.2.1 at row 17 → K17 of that file."""
    s = Sheet(wb.add_worksheet(t("report.sheet.provenance", lang)), lang)
    keys = [col.key for col in c.definition.input_columns]
    mids = [r.measure.id for r in c.rows]
    heads = [(t(k, lang), w) for k, w in _FILE_COLUMNS]
    heads += [(c.definition.column(k).header.text(lang), 10) for k in keys]
    heads += [(m, 8) for m in mids]
    s.text(0, 0, t("report.provenance.file", lang), st.label)
    s.text(0, len(_FILE_COLUMNS), t("report.provenance.columns", lang), st.label)
    s.text(0, len(_FILE_COLUMNS) + len(keys), t("report.provenance.rows", lang), st.label)
    s.row(1, [h for h, _ in heads], st.header)
    for i, (_, w) in enumerate(heads):
        s.ws.set_column(i, i, w)
    s.ws.set_row(1, 45)
    s.page(landscape=True, fit_width=False, header_rows=2)
    shorts = {u.unit: u.short for u in c.units}
    rows = _rows_by_submission(c.provenance)
    first = len(_FILE_COLUMNS) + len(keys)
    for r, src in enumerate(c.sources, start=2):
        s.number(r, 0, src.submission)
        s.row(
            r,
            [
                src.period,
                src.unit,
                shorts.get(src.unit, src.unit),
                src.filename,
                src.sha256,
                moment(src.received_at),
                moment(src.submitted_at),
                src.sheet,
                pin_text(src.pin, lang) if src.pin is not None else "",
                *(src.columns.get(k, "") for k in keys),
            ],
            st.plain,
            col=1,
        )
        mine = rows.get((src.submission, src.period), {})
        for j, mid in enumerate(mids):
            if mid in mine:
                s.number(r, first + j, mine[mid])
    s.ws.freeze_panes(2, 4)
    if c.sources:
        s.ws.autofilter(1, 0, len(c.sources) + 1, len(heads) - 1)


_FILE_COLUMNS = (
    ("report.col.submission", 9),
    ("report.col.period", 9),
    ("report.col.unit_id", 16),
    ("report.col.unit", 28),
    ("report.col.file", 36),
    ("report.col.sha256", 66),
    ("report.col.received", 17),
    ("report.col.submitted", 17),
    ("report.col.sheet", 10),
    ("report.col.decision", 30),
)


def _rows_by_submission(items: tuple[Provenance, ...]) -> dict[tuple[int, str], dict[str, int]]:
    out: dict[tuple[int, str], dict[str, int]] = {}
    for p in items:
        out.setdefault((p.submission, p.period), {})[p.measure_id] = p.row
    return out
